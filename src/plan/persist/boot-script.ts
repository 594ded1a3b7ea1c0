// The boot script (run by the unit, and by ifupdown's hook) and the if-up.d hook itself. Every
// command is idempotent (replace, not add), so running the script again changes nothing.
import { createHash } from 'node:crypto';
import { IPROUTE2_PREAMBLE } from '../../router/iproute2.js';
import { sysctlPath } from '../../router/sysctl-path.js';
import { shellJoin, shellQuote } from '../../router/shell-quote.js';
import { BOOT_ID_FILE, BOOT_LOCK_DIR, BOOT_SCRIPT, LOCK_OWNER, RUNS_DIR } from '../../router/paths.js';
import { RESUMABLE_MARK } from '../../router/markers.js';
import { decide } from '../../router/decision.js';
import { readRunBoot } from '../../router/boot-id.js';
import { readRunSeq } from '../../router/arm-order.js';
import { PROC_START_FN, sameProcess } from '../../router/proc-start.js';
import type { BootModel, BootStep } from './boot-model.js';

function command(step: BootStep): string {
  switch (step.kind) {
    case 'link':
      return shellJoin(['run', 'ip', 'link', 'set', 'dev', step.dev, ...(step.mtu !== undefined ? ['mtu', String(step.mtu)] : []), ...(step.up === undefined ? [] : [step.up ? 'up' : 'down'])]);
    case 'slave':
      return shellJoin(['tq_join', step.dev, step.teql]);
    case 'teql-up':
      // The kernel refuses an equalizer without slaves: with networkd, the slaves' qdisc may come later.
      return shellJoin(['retry', 'ip', 'link', 'set', 'dev', step.dev, 'up']);
    case 'address':
      return shellJoin(['run', 'ip', 'address', 'replace', step.cidr, 'dev', step.dev]);
    case 'route': {
      const r = step.route;
      return shellJoin(['run', 'ip', 'route', 'replace', r.to, ...(r.via ? ['via', r.via] : []), ...(step.dev ? ['dev', step.dev] : []), 'metric', String(r.metric)]);
    }
  }
}

/**
 * `skip`: interfaces networkd configures from its drop-ins; their steps are left to it, but for
 * `ownSlaves`, whose teql qdisc the script sets itself (a networkd before 252). The script loads
 * the module with its options and sets the sysctls itself, after the revert (boot-files.ts).
 */
export function bootScript(model: BootModel, skip: ReadonlySet<string>, ownSlaves: ReadonlySet<string> = new Set()): string {
  const lines = [
    '#!/bin/sh',
    `# Written by teqlctl for ${model.host}: brings the verified TEQL configuration back at boot.`,
    '# teqlctl rewrites or removes this file: change the playbook instead.',
    'export LANG=C LC_ALL=C',
    IPROUTE2_PREAMBLE,
    'failed=0',
    'run() { "$@" || { echo "teqlctl boot: failed: $*" >&2; failed=1; }; }',
    'retry() { n=0; until "$@" 2>/dev/null; do n=$((n + 1)); if [ $n -ge 30 ]; then run "$@"; return; fi; sleep 1; done; }',
    // A slave joining an equalizer already up (brought up with the slaves there then: a hook's
    // first interface, a device that came late) must match its MTU and link flags, or the kernel
    // refuses it, at every boot after (teql_qdisc_init; a review): the equalizer is taken down
    // first, and its teql-up step below brings it up with every slave. One already joined: nothing.
    'tq_join() { if ip link show dev "$2" 2>/dev/null | grep -q \'[<,]UP[,>]\' && ! tc qdisc show dev "$1" 2>/dev/null | grep -q "^qdisc $2 "; then ip link set dev "$2" down; fi; run tc qdisc replace dev "$1" root "$2"; }',
    ...revertPendingRuns(),
  ];
  const options = model.teql && model.teql.maxEqualizers > 1 ? ` max_equalizers=${model.teql.maxEqualizers}` : '';
  // Built into the kernel: nothing to load (a BusyBox modprobe would not find it).
  if (model.teql && !model.teql.builtin) {
    lines.push(`run modprobe sch_teql${options}`);
    // The teqlN devices the module just made: udev may still be applying sysctl.d's globs to them
    // (net.ipv4.conf.*.rp_filter = 2 on some distributions), after which ours must come.
    lines.push('command -v udevadm >/dev/null 2>&1 && udevadm settle -t 10 2>/dev/null');
  }
  if (model.sysctls.length > 0) {
    // An interface that is not there yet (a tunnel or VLAN another service brings up later) is
    // said and skipped, not a failure: the unit would be restarted for it until it gave up.
    // printf, not echo: dash's echo reads backslashes (a core_pattern's `\\c` cut the value: a review).
    lines.push('setsys() { if [ -e "$1" ]; then printf \'%s\\n\' "$2" > "$1"; else echo "teqlctl boot: $1 is not there (its interface is not up yet): not set" >&2; fi; }');
    for (const [k, v] of model.sysctls) lines.push(shellJoin(['run', 'setsys', sysctlPath(k), v]));
  }
  for (const step of model.steps) {
    const dev = step.kind === 'route' ? step.dev : step.dev;
    if (dev && skip.has(dev) && step.kind !== 'teql-up' && !(step.kind === 'slave' && ownSlaves.has(dev))) continue;
    lines.push(command(step));
  }
  lines.push('exit $failed', '');
  return withSelfId(lines.join('\n'));
}

/** Stands in a boot script for its own id until withSelfId puts it there. */
const SELF_ID_LINE = '# teqlctl boot script @@SELF-ID@@';

/**
 * Puts the script's id (a hash of its text, so the same configuration gives the same file) in
 * place: a running copy knows by it whether the file on disk is still itself.
 */
export function withSelfId(script: string): string {
  const id = createHash('sha256').update(script).digest('hex').slice(0, 16);
  const line = SELF_ID_LINE.replace('@@SELF-ID@@', id);
  // Once as a line of its own (what the check greps for), and in the check itself.
  return script.replaceAll(SELF_ID_LINE, line).replace('\nexport LANG=C LC_ALL=C\n', `\n${line}\nexport LANG=C LC_ALL=C\n`);
}

/**
 * Reverts, at boot, a run a restart left pending, and finishes an undo a power cut interrupted;
 * then starts the script over once (the configuration the revert restored). Shared by the boot
 * script and the retiring script a teardown leaves until it is confirmed (retiring-script.ts).
 */
export function revertPendingRuns(): string[] {
  return [
    // The dead-man's timer does not outlive a reboot: a run still pending (the router restarted
    // before it was confirmed) is reverted here, as the timer would have done, files included; a
    // run whose undo a power cut interrupted (reverting, rolling-back) has it finished, if it is
    // the latest run (an older one's undo would undo a later run's configuration), no live shell
    // holds the lock for it (the unit restarted, an ifup by hand), and its revert.sh can resume.
    // Then the configuration it restored, if any, starts over, once. A run its revert cannot
    // settle (a read-only /var, or decided by another that did not finish) is said, and not
    // counted, or the script would run itself again forever and hold up the boot (network.target).
    // A lock taken in an earlier boot (where /run is kept across reboots) holds nothing: its shell
    // died with that boot. A lock without a boot line (an older teqlctl's) counts as live.
    'reverted=0; tq_live=',
    `bid=; read -r bid 2>/dev/null < ${BOOT_ID_FILE}`,
    // One boot script at a time (two interfaces' if-up.d hooks at once, the unit beside a hook):
    // a second one meanwhile would find the first's revert half done, and apply over it. It waits
    // (bounded); a holder that died, or of an earlier boot, or whose pid another process has now
    // (its start time, on a second line: an older script, which a revert may write back, reads the
    // first alone; on the first it read a boot id that never matched, a review), holds nothing, nor a lock without a
    // holder for 3 s (one killed between its mkdir and its record). A stale lock is removed under a
    // second mkdir, and only if it still names that holder: two waiters must not both take over
    // (the second would remove the first's fresh lock). The taker-over makes the new lock and names
    // itself in it before it lets go of the second mkdir: a waiter that counted the same stale lock
    // as holderless then finds it named, not empty again. The script's own exec below keeps its
    // pid, so it finds the lock its own.
    `${PROC_START_FN}; tq_started $$; tq_bme=$tq_st; tq_bw=0; tq_bn=0; until mkdir ${BOOT_LOCK_DIR} 2>/dev/null; do tq_bh=; tq_bb=; tq_bs=; { read -r tq_bh tq_bb; read -r tq_bs; } 2>/dev/null < ${BOOT_LOCK_DIR}/holder; [ "$tq_bh" = "$$" ] && break; if [ -z "$tq_bh" ]; then tq_bn=$((tq_bn + 1)); else tq_bn=0; fi; if { [ -n "$tq_bh" ] && { [ ! -d "/proc/$tq_bh" ] || [ "$tq_bb" != "$bid" ] || ! ${sameProcess('$tq_bh', '$tq_bs')}; }; } || [ $tq_bn -ge 3 ]; then if mkdir ${BOOT_LOCK_DIR}.takeover 2>/dev/null; then tq_bh2=; tq_bb2=; tq_bs2=; { read -r tq_bh2 tq_bb2; read -r tq_bs2; } 2>/dev/null < ${BOOT_LOCK_DIR}/holder; if [ "$tq_bh2 $tq_bb2 $tq_bs2" = "$tq_bh $tq_bb $tq_bs" ] && rm -rf ${BOOT_LOCK_DIR} && mkdir ${BOOT_LOCK_DIR} 2>/dev/null; then printf '%s %s\n%s\n' $$ "$bid" "$tq_bme" > ${BOOT_LOCK_DIR}/holder; rmdir ${BOOT_LOCK_DIR}.takeover; break; fi; rmdir ${BOOT_LOCK_DIR}.takeover; continue; fi; fi; tq_bw=$((tq_bw + 1)); if [ $tq_bw -ge 300 ]; then echo "teqlctl boot: another boot script (pid $tq_bh) still runs after 300 s: not waiting longer" >&2; exit 1; fi; sleep 1; done`,
    `printf '%s %s\n%s\n' $$ "$bid" "$tq_bme" > ${BOOT_LOCK_DIR}/holder; trap 'rm -rf ${BOOT_LOCK_DIR}' EXIT`,
    // A copy that waited for the lock while another one's revert replaced the script (two hooks
    // at once, the unit beside a hook) is a stale copy: it would apply the reverted run's
    // configuration, or retire the files the revert just wrote back (a review). The script on disk,
    // if it is another one now, runs instead (keeping this pid, so the lock is its own); none,
    // nothing. Once only: a script on disk without its id line (edited by hand) would otherwise
    // exec itself for ever and hold up the boot (a second review); one that cannot be read is run
    // as this copy is.
    `if [ ! -e ${BOOT_SCRIPT} ]; then exit 0; fi`,
    `grep -qxF '${SELF_ID_LINE}' ${BOOT_SCRIPT} 2>/dev/null; tq_si=$?`,
    `if [ $tq_si = 1 ]; then if [ -n "\${TEQLCTL_BOOT_SELF:-}" ]; then echo "teqlctl boot: ${BOOT_SCRIPT} has no id line of its own (edited by hand?): run as it is" >&2; elif [ -x ${BOOT_SCRIPT} ]; then export TEQLCTL_BOOT_SELF=1; exec ${BOOT_SCRIPT}; else exit 0; fi`,
    `elif [ $tq_si != 0 ]; then echo "teqlctl boot: ${BOOT_SCRIPT} cannot be read to check it is this script: run as it is" >&2; fi`,
    `held() { grep -qx "run=$1" ${LOCK_OWNER} 2>/dev/null || return 1; [ -n "$bid" ] && grep -q '^boot=.' ${LOCK_OWNER} && ! grep -qx "boot=$bid" ${LOCK_OWNER} && { echo "teqlctl boot: run $1's lock is from an earlier boot (/run kept across the reboot): nothing holds it, its undo is resumed" >&2; return 1; }; return 0; }`,
    // A run armed after run $1, a state file's path (a run folder teqlctl's rollback made for a run
    // that never armed here has no meta: it does not count, or it would hide the run a reboot cut).
    // Where both metas record their place in the order the router armed them (seq=,
    // router/arm-order.ts), that decides: a router clock set back at boot (no battery-backed clock)
    // and a controller's skewed clock both leave it right. Where one does not (an older teqlctl's
    // run), as before: later by name (the controllers' clocks) and by its meta's time (the
    // router's), both, so that neither clock alone makes an older run look later; with \`name\` as
    // $2, by name alone, and only runs that have a state count. A run without a meta of its own (a
    // rollback decided it before it armed: nothing of it began, its undo is empty) has none after
    // it: its undo is resumed and ends it, rather than leaving it rolling-back for good (a review).
    // Builtins only (test -nt).
    `later() { tq_m="\${1%/state}/meta"; [ -f "$tq_m" ] || return 1; ${readRunSeq('"$tq_m"', 'tq_ls')}; tq_past=0; for tq_o in ${RUNS_DIR}/*/meta; do if [ "$tq_o" = "$tq_m" ]; then tq_past=1; continue; fi; [ -f "$tq_o" ] || continue; if [ "\${2:-}" = name ] && [ ! -f "\${tq_o%/meta}/state" ]; then continue; fi; ${readRunSeq('"$tq_o"', 'tq_os')}; if [ -n "$tq_ls" ] && [ -n "$tq_os" ]; then [ "$tq_os" -gt "$tq_ls" ] && return 0; elif [ $tq_past = 1 ]; then if [ "\${2:-}" = name ] || [ "$tq_o" -nt "$tq_m" ]; then return 0; fi; fi; done; return 1; }`,
    `for s in ${RUNS_DIR}/*/state; do`,
    '  [ -f "$s" ] || continue',
    '  st=$(cat "$s"); r=${s%/state}; r=${r##*/}',
    '  case "$st" in',
    // Empty: a power cut between a decider's truncation of the state and its write (revert.sh).
    "    pending|'')",
    // Armed in this boot (the unit restarted, an ifup ran the hook, during a run): its own timer
    // and controller decide it; its revert here would race its apply. Armed in an earlier boot, with
    // a run armed after it (later()): that reboot already undid its kernel changes, and the later
    // run was made from what was left; its undo now would undo the later one's configuration. It is
    // decided as abandoned, so that no later boot takes it up either. A run without a boot line (a
    // teqlctl's before 2026-12-01) alike where a later run exists: a reboot cut it too, or it would
    // not have let the later one arm (until 2026-12-07 it was reverted over it, erasing the baseline's
    // entries its undo removed; a review). With no later run it is reverted, as its timer would have.
    `      ${readRunBoot('"${s%/state}"', 'rb')}`,
    `      if [ -n "$bid" ] && [ "$rb" = "$bid" ]; then echo "teqlctl boot: run $r was armed in this boot: its own dead-man decides it, not the boot script" >&2; tq_live="$tq_live $r"; continue; fi`,
    `      if later "$s"; then`,
    `        if ${decide('"${s%/state}"', 'revert')} && echo abandoned > "$s"; then echo "teqlctl boot: run $r was left pending by an earlier restart, and a later run exists: not reverted (it would undo the later run's configuration), recorded as abandoned; see teqlctl status" >&2`,
    `        else echo "teqlctl boot: run $r was left pending by an earlier restart, and a later run exists: not reverted, but it could not be recorded as abandoned (decided by another, or a read-only disk): see teqlctl status" >&2; failed=1; fi`,
    '        continue',
    '      fi',
    '      /bin/sh "${s%/state}/revert.sh" boot;;',
    '    reverting|rolling-back)',
    `      if later "$s" name; then echo "teqlctl boot: run $r is $st, and a later run exists: its undo is not resumed (it would undo the later run's configuration); see teqlctl status" >&2; continue; fi`,
    `      if held "$r"; then echo "teqlctl boot: run $r is $st and holds the lock: its undo is running, not resumed here" >&2; [ -n "$bid" ] && grep -qx "boot=$bid" ${LOCK_OWNER} 2>/dev/null && tq_live="$tq_live $r"; continue; fi`,
    `      if ! grep -qx '${RESUMABLE_MARK}' "\${s%/state}/revert.sh" 2>/dev/null; then echo "teqlctl boot: run $r is $st, and its revert.sh cannot finish it (an older teqlctl's, or a rollback's redo): left as it is, see teqlctl status" >&2; continue; fi`,
    '      /bin/sh "${s%/state}/revert.sh" resume;;',
    '    *) continue;;',
    '  esac',
    `  case "$(cat "$s" 2>/dev/null)" in pending|reverting|rolling-back|'') echo "teqlctl boot: run \${s%/state} is still $(cat "$s" 2>/dev/null) after its revert (a read-only disk, or decided elsewhere): left as it is, see teqlctl status" >&2; failed=1;; *) reverted=1;; esac`,
    'done',
    'if [ $reverted = 1 ] && [ -z "${TEQLCTL_BOOT_AGAIN:-}" ]; then if [ -x "$0" ]; then export TEQLCTL_BOOT_AGAIN=1; exec "$0"; fi; exit 0; fi',
    // A run of this boot still undecided (pending, its undo running), or one holding the lock now
    // (before its arm, or persisting after its confirmation): the configuration is the run's to
    // change. Applied now (an ifup's hook, the unit restarted), this script's steps went over the
    // run's: an older script put back what a teardown had just removed, or a newer one re-applied a
    // run its dead-man had just undone (a review). Only a lock of this very boot (its boot line,
    // read), whose session is the process that took it (pid above 1, its start time), counts: one
    // without a boot line or of an earlier boot (a /run kept across reboots) held up every boot (a
    // second review). Said, and the exit is the failures' so far, not a success.
    `if [ -z "$tq_live" ] && [ -n "$bid" ] && [ -f ${LOCK_OWNER} ]; then tq_lp=; tq_lb=; tq_lr=; tq_ls=; while IFS= read -r tq_l || [ -n "$tq_l" ]; do case $tq_l in pid=*) tq_lp=\${tq_l#pid=};; boot=*) tq_lb=\${tq_l#boot=};; run=*) tq_lr=\${tq_l#run=};; start=*) tq_ls=\${tq_l#start=};; esac; done < ${LOCK_OWNER}; if [ "$tq_lb" = "$bid" ] && [ "$tq_lp" -gt 1 ] 2>/dev/null && [ -d "/proc/$tq_lp" ] && ${sameProcess('$tq_lp', '$tq_ls')}; then tq_live=" \${tq_lr:-(unnamed)}"; fi; fi`,
    `if [ -n "$tq_live" ]; then echo "teqlctl boot: run$tq_live of this boot is not decided yet or holds the lock: the configuration is left to it, not applied now" >&2; exit $failed; fi`,
  ];
}

/** ifupdown runs every script in if-up.d after bringing an interface up, with IFACE set. */
export function ifupHook(devices: readonly string[]): string {
  return [
    '#!/bin/sh',
    '# Written by teqlctl: once ifupdown brings up one of these interfaces, the TEQL configuration is',
    '# applied again (the script is idempotent). teqlctl rewrites or removes this file.',
    'case "$IFACE" in',
    // Not exec'd: its exit would be the hook's, and ifupdown runs hooks with run-parts
    // --exit-on-error, so a slave not there yet failed `ifup` of a link that is fine (a review).
    `  ${devices.map(shellQuote).join('|')}) ${BOOT_SCRIPT} || echo "teqlctl: ${BOOT_SCRIPT} failed (exit $?) for $IFACE: see above" >&2 ;;`,
    'esac',
    'exit 0',
    '',
  ].join('\n');
}
