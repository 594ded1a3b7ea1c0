// The dead-man (commit-confirmed) on the router: before the first change of a run, the router gets
// a revert script computed from the pre-run snapshot and a timer that runs it unless teqlctl
// confirms in time. The timer lives on the router (systemd-run, else a detached sleeper), so it
// fires even when teqlctl is killed, loses its connection, or its machine goes away.
import { napLine } from '../router/nap.js';
import { randomBytes } from 'node:crypto';
import { syncFs, syncFsAt } from '../apply/render-op.js';
import { redoBatchScript, undoAllLine, undoBatchScript } from './batch-scripts.js';
import { ARM_FAILED_MARKER, RESUMABLE_MARK } from '../router/markers.js';
import { batchReserve, decide, DECIDED, freeReserve, markTakeover, RESERVE, takeOver, whoDecided, withRoom, writeReserve } from '../router/decision.js';
import type { Op } from '../plan/ops.js';
import { assertSafeRunId, runDir, RUNS_DIR } from '../router/paths.js';
import { releaseLockLine, ROUTER_NOW, takeLockScript } from '../router/lock.js';
import { recordUndoerLine, refuseOpenRunLines } from '../router/open-runs.js';
import { staleCheck } from './stale-check.js';
import { recordApplierLine, stopApplierLines } from './applier.js';
import { ARM_SEQ_FILE, metaLine } from './run-meta.js';
import { timerLines } from './timer-lines.js';
import { pruneRunsScript } from './prune-runs.js';

/**
 * Runs every batch's undo, newest first, once: records `reverted` and frees the lock. With the
 * argument `resume` (the boot script's), it instead finishes an undo a power cut interrupted: a run
 * left `reverting` (this revert's) or `rolling-back` (teqlctl's rollback's) has every batch's undo
 * run again, whole: a step already undone is undone again to the same value, or fails harmlessly
 * (an address already gone), and the run ends `reverted` or `rolled-back`. Nothing else decides
 * such a run: it was decided before the cut, and no timer outlives a reboot.
 */
export function revertScript(runId: string): string {
  const dir = runDir(assertSafeRunId(runId));
  return `#!/bin/sh
# written by teqlctl: the dead-man's revert of run ${runId}; does nothing once the run is confirmed.
${RESUMABLE_MARK}
export LANG=C LC_ALL=C
umask 077
d=${dir}
# resume: an undo a power cut interrupted; boot: a pending run found at boot. Kept: \`set --\` below.
mode=\${1:-}
if [ "$mode" = resume ]; then
  case "$(cat $d/state 2>/dev/null)" in
    reverting) final=reverted; log=revert.log;;
    rolling-back) final=rolled-back; log=rollback.log;;
    *) exit 0;;
  esac
  echo "resumed at boot: the undo of a $(cat $d/state) run, cut off" >> $d/$log
else
# Empty: a power cut between a decider's truncation of the state and its write (a file system
# without ext4's flush on such a rewrite): the run was still pending then, or decided (below).
case "$(cat $d/state 2>/dev/null)" in pending|'') ;; *) exit 0;; esac
# Exactly one of this revert, the confirmation and teqlctl's own rollback decides the run.
if ${decide('$d', 'revert')}; then
${markTakeover('$d', 'revert')}
final=reverted; log=revert.log
# At boot, a run decided in the boot it was armed in (by this revert, a rollback, or a confirmation
# that never recorded it, hence never said ok) whose state a power cut kept from the disk: nobody
# else finishes it now. Its undo runs, as the decider's would have: rolled back for a rollback.
elif [ "$mode" = boot ]; then
${whoDecided('$d')}
# A decider a power cut kept from recording itself (mkdir done, its file not): any of the three
# undoes now, so the undo runs, recorded as the revert's (a review: left as it was, the boot script
# counted the run reverted and a retiring boot script retired itself, nothing undone).
case "$tq_by" in rollback) final=rolled-back; log=rollback.log;; *) final=reverted; log=revert.log;; esac
echo "at boot: decided by \${tq_by:-a decider that did not record itself} before a restart, its state not recorded: undone now" >> $d/$log
else
# Decided by the confirmation, whose timer this still is: it stops it only once its records are
# written. Killed between the two (the OOM killer's SIGKILL), it never will: the run is taken over
# and undone here, unless the confirmation records it meanwhile or a rollback took it first.
# A decider still unnamed after 5 s (killed between its mkdir and its name) is taken for the
# confirmation: a revert or a rollback that decided marks \`takeover\` at once, which this then finds.
tq_wi=0; ${whoDecided('$d')}; while [ -z "$tq_by" ] && [ $tq_wi -lt 50 ]; do ${napLine()}; tq_wi=$((tq_wi+tq_dt)); ${whoDecided('$d')}; done
case "$tq_by" in confirm|'') ;; *) exit 0;; esac
${takeOver('$d', 'revert')} || exit 0
# The timer's record goes, and a signal is ignored from here: a confirmation that wakes up late stops nothing of this undo.
rm -f $d/timer
trap '' HUP TERM
final=reverted; log=revert.log
echo "decided by the confirmation, its records never written: undone by the dead-man" >> $d/$log
fi
# On a disk that filled since arming, the reserve makes room for the state; then it is freed for
# what the undo writes (the baseline's new copy, the log) and the records after it.
[ $final = reverted ] && tq_rs=reverting || tq_rs=rolling-back
${withRoom('$d', ['echo $tq_rs > $d/state'])}
# On disk before the undo's first change: a power cut during the undo then finds it (boot: resume).
${syncFsAt('d')}
fi
${freeReserve('$d')}
${recordUndoerLine('$d')}
# At boot the applier's pid is the previous boot's, maybe another process's now: nothing to stop.
if [ "$mode" != resume ] && [ "$mode" != boot ]; then
${stopApplierLines('$d')}
fi
${undoAllLine('$d', '$log')}
[ $final = reverted ] && date -u +%Y-%m-%dT%H:%M:%SZ > $d/reverted_at
${withRoom('$d', ['echo $final > $d/state'])}
${releaseLockLine(runId)}
exit 0
`;
}

/**
 * Writes `body` to `file` with a quoted here-document. The delimiter is random per call and checked
 * against the body's lines, so no interface name or value can end the document early. `onFailure`
 * runs when the file cannot be written (a full or read-only disk).
 */
export function heredoc(file: string, body: string, onFailure = 'exit 3'): string {
  const text = body.endsWith('\n') ? body : `${body}\n`;
  // Drawn again if found anywhere in the body: stricter than a line, cheaper than a set of lines.
  let tag: string;
  do tag = `TEQLCTL_EOF_${randomBytes(8).toString('hex')}`;
  while (text.includes(tag));
  if (text.length > HEREDOC_BUILTIN_MAX) return `cat > ${file} <<'${tag}' || ${onFailure}\n${text}${tag}`;
  // A small body is copied by the shell's own builtins, not by `cat` (a process: ~30 ms of an
  // emulated router's time, three per first apply). `read` takes a pipe byte by byte, so a large
  // body (a boot file's base64 in a redo script) is still cat's. A failed write fails it as cat's would.
  return [
    `teqlctl_hw=0; while IFS= read -r teqlctl_hl; do printf '%s\\n' "$teqlctl_hl" || teqlctl_hw=1; done > ${file} <<'${tag}' || teqlctl_hw=1`,
    `${text}${tag}`,
    `[ "$teqlctl_hw" = 0 ] || ${onFailure}`,
  ].join('\n');
}

/** Bodies up to this size are written by a builtin loop (see heredoc). */
const HEREDOC_BUILTIN_MAX = 4096;
/** Said when teqlctl's rollback reached the router before the run's first apply had armed it. */
export const ROLLED_BACK_FIRST = 'the run was rolled back here before it was armed (a signal just after the apply was sent): nothing of it applied';

export interface ArmOptions {
  runId: string;
  owner: string;
  batch: number;
  undo: Op[][];
  timeoutSec: number;
  /** First batch of the run on this host: write the run's files and arm the timer. */
  first: boolean;
  summary: string;
  /** The batch's steps, kept as its redo script for a later `teqlctl rollback`'s dead-man. */
  redo: Op[];
  /**
   * The fingerprint of the facts the plan was made from (first batch): checked under the lock, so
   * a router changed since (by another run or an operator, while this run waited for approval) is
   * refused as stale before any change, and nobody's change is overwritten.
   */
  fingerprint?: string;
  /** The sysctls and the routes by selector the facts script read (the fingerprint covers them). */
  sysctls?: readonly string[];
  held?: readonly string[];
  /** The hosts that share a bundle of the run with this one, recorded in the meta (run-meta.ts). */
  peers?: readonly string[];
}

/**
 * Prefix of an apply script: lock, run files, this batch's undo, and (first batch) the timer. Every
 * write is checked (a full or read-only /var would otherwise leave a dead-man that cannot revert):
 * a failure stops the script before its first step, says what failed, and on the first batch
 * leaves the router as it was (no run folder, the lock freed).
 */
export function armScript(o: ArmOptions): string {
  const dir = runDir(assertSafeRunId(o.runId));
  const cleanup = o.first ? ` rm -rf ${dir}; ${releaseLockLine(o.runId)};` : '';
  const fail = (what: string) => `teqlctl_arm_failed '${what}'`;
  const lines = [
    // A first arm cut between its lock and its timer (the link lost: HUP; the round trip's bound:
    // TERM) left the lock held and the run pending with no timer to end it (a review running the
    // scripts, 2026-12-05): it runs to its end or its refusal. Restored once the timer is recorded
    // (the sleeper starts with them restored: timer-lines.ts); until 2026-12-05 just before it,
    // which left a few lines' gap (a second review).
    ...(o.first ? ["trap '' HUP PIPE TERM"] : []),
    // A later phase changes nothing once the run is decided (its dead-man fired between two phases,
    // during a slow verify or a long approval): checked before the lock, which the revert freed.
    ...(o.first ? [] : [`if [ -d ${dir}/${DECIDED} ] || [ "$(cat ${dir}/state 2>/dev/null)" != pending ]; then echo "${ARM_FAILED_MARKER} run ${o.runId} is no longer pending here: $(cat ${dir}/state 2>/dev/null) (decided by $(cat ${dir}/${DECIDED}/by 2>/dev/null)); nothing of this phase was applied"; exit 3; fi`]),
    // One `date` for the lock and the run's meta (a process each, issue 17): the same time in both.
    ...(o.first ? [`tq_now=${ROUTER_NOW}`] : []),
    takeLockScript(o.runId, o.owner, o.first ? '"$tq_now"' : ROUTER_NOW),
    // Under the lock: no other run of this boot still reverting, or pending (router/open-runs.ts).
    ...(o.first ? [refuseOpenRunLines(o.runId, releaseLockLine(o.runId))] : []),
    // Again under the lock: a revert that ended between the check above and the lock freed it, and
    // the lock just taken is this run's anew, which nobody would free (found by a review). Freed
    // only when taken anew here: a revert still undoing holds it (a second review).
    ...(o.first ? [] : [`tq_st=; read -r tq_st 2>/dev/null < ${dir}/state; if [ -d ${dir}/${DECIDED} ] || [ "$tq_st" != pending ]; then [ "\${tq_newlock:-}" = 1 ] && ${releaseLockLine(o.runId)}; echo "${ARM_FAILED_MARKER} run ${o.runId} is no longer pending here: $tq_st; nothing of this phase was applied"; exit 3; fi`]),
    ...(o.first && o.fingerprint !== undefined ? staleCheck(o.runId, o.fingerprint, o.sysctls ?? [], o.held ?? []) : []),
    `teqlctl_arm_failed() { echo "${ARM_FAILED_MARKER} $1";${cleanup} exit 3; }`,
    ...(o.first
      ? [
          // The run's folder is made by this mkdir alone: one that exists already is teqlctl's
          // rollback's, sent while this script was on its way (a signal just after the apply was
          // sent): the run is decided, nothing of it is armed or applied, and its records stay.
          pruneRunsScript(o.runId), // first, old runs' records: room on a small disk (prune-runs.ts)
          `[ -d ${RUNS_DIR} ] || mkdir -p ${RUNS_DIR} || ${fail(`cannot create ${dir}`)}`,
          `if ! mkdir -m 700 ${dir} 2>/dev/null; then [ -d ${dir} ] && { echo "${ARM_FAILED_MARKER} ${ROLLED_BACK_FIRST}"; ${releaseLockLine(o.runId)}; exit 3; }; ${fail(`cannot create ${dir}`)}; fi`,
        ]
      : [`mkdir -p -m 700 ${dir} || ${fail(`cannot create ${dir}`)}`]),
    `${recordApplierLine(dir)} || ${fail(`cannot write ${dir}/applier`)}`,
  ];
  lines.push(
    heredoc(`${dir}/undo-${o.batch}.sh`, undoBatchScript(o.undo), fail(`cannot write ${dir}/undo-${o.batch}.sh`)),
    heredoc(`${dir}/redo-${o.batch}.sh`, redoBatchScript(o.redo), fail(`cannot write ${dir}/redo-${o.batch}.sh`)),
    `true > ${dir}/begun-${o.batch} || ${fail(`cannot write ${dir}/begun-${o.batch}`)}`,
  );
  // The largest file its undo writes back (a boot file of many bundles), where the reserve is too small for it.
  const bigFile = Math.max(0, ...o.undo.flat().map((op) => (op.kind === 'file-write' ? Buffer.byteLength(op.content) : 0)));
  const room = batchReserve(dir, o.batch, bigFile);
  if (room) lines.push(`${room} || ${fail(`cannot write ${dir}/${RESERVE}.b${o.batch}`)}`);
  if (o.first) {
    lines.push(
      heredoc(`${dir}/revert.sh`, revertScript(o.runId), fail(`cannot write ${dir}/revert.sh`)),
      `${metaLine(o.runId, o.owner, o.timeoutSec, o.summary, '"$tq_now"', o.peers)} || ${fail(`cannot write ${dir}/meta or ${ARM_SEQ_FILE}`)}`,
      // Never over a state the rollback wrote meanwhile (noclobber): it decided the run first. The
      // shell's own "File exists" is not shown: the next line says what happened.
      `set -C; { echo pending > ${dir}/state; } 2>/dev/null; tq_sw=$?; set +C`,
      `if [ $tq_sw != 0 ]; then [ -s ${dir}/state ] && { echo "${ARM_FAILED_MARKER} ${ROLLED_BACK_FIRST}"; ${releaseLockLine(o.runId)}; exit 3; }; ${fail(`cannot write ${dir}/state`)}; fi`,
      // Room for the run's decision and its records should the disk fill before then (decision.ts).
      `{\n${writeReserve(dir)}\n} || ${fail(`cannot write ${dir}/${RESERVE}`)}`,
      // Written files can still be empty on a full disk: the revert and the state must be there.
      `[ -s ${dir}/revert.sh ] && [ -s ${dir}/state ] && [ -s ${dir}/undo-${o.batch}.sh ] || ${fail(`the run files in ${dir} are empty`)}`,
      ...timerLines(o.runId, o.timeoutSec, fail),
      'trap - HUP PIPE TERM',
    );
  }
  // The journal of this batch is on disk before its first step runs.
  lines.push(syncFs(dir));
  return lines.join('\n');
}

/**
 * Written before step `index` of batch `batch` runs (write-ahead), so the revert knows every step
 * that may have run, including one whose controller died while it ran. Undoing a step that did not
 * finish is safe: every undo restores the value read before the run (an address, a qdisc, a sysctl,
 * a file), so where the step changed nothing the undo changes nothing, or fails harmlessly (an
 * address or route to delete that is not there), and the revert goes on to the next one.
 */
export function begunLine(runId: string, batch: number, index: number, durable = true, ahead: readonly number[] = []): string {
  const dir = runDir(assertSafeRunId(runId));
  const file = `${dir}/begun-${batch}`;
  // A run decided meanwhile (its dead-man fired, or teqlctl's rollback claimed it) starts no step.
  // `durable`: synced before the step, for a step whose effect survives a power cut (a file). A
  // step that changes the running kernel only needs no sync (~33 ms each on the lab): a crash
  // undoes it with the record, and the next synced line (syncfs) flushes the earlier ones too.
  // `ahead`: later steps recorded with this one (begun-records.ts), by the shell's own printf.
  const record = ahead.length === 0 ? `echo ${index}` : `printf '%s\\n' ${[index, ...ahead].join(' ')}`;
  return `{ [ ! -d ${dir}/${DECIDED} ] && ${record} >> ${file}${durable ? ` && ${syncFs(file)}` : ''}; }`;
}
