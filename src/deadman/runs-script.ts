// Reading teqlctl's runs on a router (for `status` and `rollback`), and acting on one of them.
import { napLine } from '../router/nap.js';
import { shellQuote } from '../router/shell-quote.js';
import { IDENTITY_LINE } from '../router/stack-identity.js';
import { UID_LINE } from '../router/session-uid.js';
import { LOCK_DIR, RUNS_DIR, assertSafeRunId, runDir } from '../router/paths.js';
import { parseKeyValues } from '../router/key-values.js';
import { parseLock, READ_LOCK, type RouterLock } from '../router/lock.js';
import { PROC_START_FN, sameProcess } from '../router/proc-start.js';
import { LOCK_MARKER, RESUMABLE_MARK, RUN_MARKER } from '../router/markers.js';
import { heredoc } from './arm-script.js';
import { eachBatchLine, undoLogLine } from './batch-scripts.js';
import { timerLines } from './timer-lines.js';
import { ARM_SEQ_FILE, metaLine, parsePeers } from './run-meta.js';
import { latestRunsLines } from '../router/arm-order.js';
import { recordUndoerLine } from '../router/open-runs.js';
import { armedInEarlierBoot, readBootId } from '../router/boot-id.js';
import { decide, freeReserve, takeOver, whoDecided, withRoom, writeReserve } from '../router/decision.js';
import { syncFs, syncFsAt } from '../apply/render-op.js';
import { stopApplierLines } from './applier.js';
import { PRUNED_FILE } from './prune-runs.js';

/** Said by a rollback's arming when its lock is no longer its own, with the run that holds it. */
export const LOCK_LOST_MARKER = '@@teqlctl-lock-lost';
/**
 * One line per run (newest last), then the lock: every field on one line, key=value, tab-separated.
 * The files are read by the shell's own `read` (a router may start a process in ~30 ms, and this
 * read ~12 per run: `teqlctl status` of ten runs took seconds); only `systemctl` is a process. Each
 * `2>/dev/null` comes before the `<`, so that a missing file says nothing.
 * `alsoRun`: a run read whatever its age (`rollback --run` of a run older than the latest `limit`:
 * a busy hub no longer listed it, and its branch was rolled back alone).
 */
export function runsScript(limit = 10, alsoRun?: string, { identity = false }: { identity?: boolean } = {}): string {
  // The latest by the router's own count (arm-order.ts), oldest first; `alsoRun` after them unless among them.
  const also = alsoRun === undefined ? '' : `\ncase " $tq_ids" in *" ${assertSafeRunId(alsoRun)} "*) ;; *) [ -d ${runDir(alsoRun)} ] && tq_ids="\${tq_ids}${alsoRun} ";; esac`;
  return `export LANG=C LC_ALL=C
${PROC_START_FN}
${readBootId('tq_rbn')}
${latestRunsLines(limit, 'tq_ids')}${also}
for id in $tq_ids; do
  d=${RUNS_DIR}/$id; armed=0
  state=; read -r state 2>/dev/null < "$d/state"
  confirmed=; read -r confirmed 2>/dev/null < "$d/confirmed_at"
  reverted=; read -r reverted 2>/dev/null < "$d/reverted_at"
  rolledback=; read -r rolledback 2>/dev/null < "$d/rolled_back_at"; undofailed=; read -r undofailed 2>/dev/null < "$d/undo_failed_at"
  started=; owner=; timeout=; peers=-; seq=; rboot=
  if [ -f "$d/meta" ]; then
    while IFS= read -r l || [ -n "$l" ]; do
      case "$l" in started=*) started=\${l#started=};; owner=*) owner=\${l#owner=};; timeout=*) timeout=\${l#timeout=};; peers=*) peers=\${l#peers=};; seq=*) seq=\${l#seq=};; boot=*) rboot=\${l#boot=};; esac
    done 2>/dev/null < "$d/meta"
  fi
  earlier=0; if ${armedInEarlierBoot('rboot', 'tq_rbn')}; then earlier=1; fi
  # Its dead-man asked only in the boot that armed it (or an unknown one): none outlives a restart, and a systemctl is ~50 ms of an emulated router's (a review).
  kind=; what=; start=; [ $earlier = 0 ] && read -r kind what start 2>/dev/null < "$d/timer"
  case "$kind" in
    systemd) systemctl is-active --quiet "$what.service" "$what.timer" 2>/dev/null && armed=1;;
    pid) kill -0 "$what" 2>/dev/null && ${sameProcess('$what', '$start')} && armed=1;;
  esac
  printf '${RUN_MARKER}\\tid=%s\\tstate=%s\\tstarted=%s\\tconfirmed=%s\\treverted=%s\\tarmed=%s\\towner=%s\\ttimeout=%s\\tpeers=%s\\tseq=%s\\trolled_back=%s\\tearlier=%s\\tundo_failed=%s\\n' "$id" \\
    "$state" "$started" "$confirmed" "$reverted" "$armed" "$owner" "$timeout" "$peers" "$seq" "$rolledback" "$earlier" "$undofailed"
done
${alsoRun === undefined ? '' : prunedRunLine(alsoRun)}
if [ -f ${LOCK_DIR}/owner ]; then printf '${LOCK_MARKER}\\t%s\\n' "$({ ${READ_LOCK}; } | tr '\\n' '\\t')"; fi
${UID_LINE}
${identity ? IDENTITY_LINE : ''}
`;
}

/** A run named by `rollback --run` whose folder was pruned (prune-runs.ts): its line, from its tombstone. */
function prunedRunLine(runId: string): string {
  return `if [ ! -d ${runDir(runId)} ]; then tq_was=; while read -r tq_i tq_s; do [ "$tq_i" = '${runId}' ] && tq_was=$tq_s; done 2>/dev/null < ${PRUNED_FILE}; [ -n "$tq_was" ] && printf '${RUN_MARKER}\\tid=%s\\tstate=%s\\tpruned=1\\n' '${runId}' "$tq_was"; fi`;
}

export interface RouterRun {
  id: string;
  state: string;
  started: string;
  confirmed: string;
  reverted: string;
  armed: boolean;
  owner: string;
  timeout: string;
  /** The hosts that share a bundle of the run with this router (its meta); undefined: not known (an older run). */
  peers?: string[];
  /** Its place among the runs armed on this router (arm-order.ts); undefined for an older run. */
  seq?: number;
  /** When `teqlctl rollback` undid it (its rolled_back_at), and when that undo ended with a failed step (undo_failed_at). */
  rolledBack?: string;
  undoFailed?: string;
  /** Armed in an earlier boot than the router's current one: the restart dropped its kernel changes. */
  earlierBoot?: boolean;
  /** Its records were pruned (prune-runs.ts): `state` is the one it was in; nothing of it can be undone. */
  pruned?: boolean;
}

const fields = (line: string): Map<string, string> => parseKeyValues(line.split('\t').slice(1).join('\n'));

/** `-`: the meta has no peers line (an older run's); `?`: unknown. */
function peersOf(value: string | undefined): { peers?: string[] } {
  const peers = value === undefined || value === '-' ? undefined : parsePeers(value);
  return peers === undefined ? {} : { peers };
}

export function parseRuns(stdout: string): { runs: RouterRun[]; lock?: RouterLock } {
  const runs: RouterRun[] = [];
  let lock: RouterLock | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(RUN_MARKER + '\t')) {
      const f = fields(line);
      runs.push({
        id: f.get('id') ?? '', state: f.get('state') || 'unknown', started: f.get('started') ?? '', confirmed: f.get('confirmed') ?? '',
        reverted: f.get('reverted') ?? '', armed: f.get('armed') === '1', owner: f.get('owner') ?? '', timeout: f.get('timeout') ?? '',
        ...peersOf(f.get('peers')),
        ...(/^\d+$/.test(f.get('seq') ?? '') ? { seq: Number(f.get('seq')) } : {}),
        ...(f.get('pruned') === '1' ? { pruned: true } : {}),
        ...(f.get('rolled_back') ? { rolledBack: f.get('rolled_back')! } : {}),
        ...(f.get('undo_failed') ? { undoFailed: f.get('undo_failed')! } : {}),
        ...(f.get('earlier') === '1' ? { earlierBoot: true } : {}),
      });
    } else if (line.startsWith(LOCK_MARKER + '\t')) {
      lock = parseLock(line.split('\t').slice(1).join('\n'));
    }
  }
  return { runs, ...(lock ? { lock } : {}) };
}

export const NO_REDO_MARKER = '@@teqlctl-no-redo';

/**
 * Every batch of the run has its redo script (runs made before teqlctl kept them do not): each
 * undo-N.sh's redo-N.sh is there. The shell's own globs and tests (ls | wc: a BusyBox without wc
 * compared two empty strings, and refused every rollback as a run without redo scripts, a review).
 */
function redoComplete(x: string): string {
  return `{ tq_rc=0; for tq_rf in ${x}/undo-*.sh; do [ -f "$tq_rf" ] || continue; tq_rn=\${tq_rf##*/undo-}; [ -f ${x}/redo-$tq_rn ] || tq_rc=1; done; [ $tq_rc = 0 ]; }`;
}

/**
 * What the run left (its after-state), then NO_REDO_MARKER on a line of its own when the run lacks
 * a redo script: told before any router is armed, a refusal then leaves no dead-man behind holding
 * a lock until it fires (the arm's own check, below, stays the guard).
 */
export function afterStateScript(runId: string): string {
  const x = runDir(assertSafeRunId(runId));
  return `cat ${x}/after-state || exit $?\n${redoComplete(x)} || printf '\\n%s\\n' '${NO_REDO_MARKER}'`;
}

/** The after-state's lines, and whether the run can be redone by a rollback's dead-man. */
export function parseAfterState(stdout: string): { lines: string[]; redo: boolean } {
  const lines = stdout.split('\n');
  const at = lines.indexOf(NO_REDO_MARKER);
  if (at < 0) return { lines, redo: true };
  // The line break printed before the marker ends an after-state without one; after one, it leaves
  // the empty last line `cat` alone would have left.
  return { lines: lines.slice(0, at), redo: false };
}

/**
 * The dead-man of `teqlctl rollback`: its own run `rollbackId`, whose revert redoes run `runId` (its
 * redo scripts, first batch first) and marks it confirmed again, unless the rollback is confirmed
 * within `timeoutSec`. Exits 9 with NO_REDO_MARKER when the run has no redo script for every batch
 * (runs made before teqlctl kept them), unless `withoutRedo` allows arming nothing.
 */
export function armRollbackScript(rollbackId: string, owner: string, runId: string, timeoutSec: number): string {
  const d = runDir(assertSafeRunId(rollbackId));
  const x = runDir(assertSafeRunId(runId));
  const revert = `#!/bin/sh
# written by teqlctl: the dead-man of rollback ${rollbackId}: redoes run ${runId} unless the rollback is confirmed.
export LANG=C LC_ALL=C
umask 077
${RESUMABLE_MARK}
d=${d}; x=${x}
# The boot script's (plan/persist/boot-script.ts) resume: a redo a power cut interrupted, run again
# whole (a step redone already is set again to the same value, or fails harmlessly); boot: a rollback
# left pending (or its state empty: a power cut between a decider's truncation and its write) by a
# restart before its confirmation. Until 2026-12-04 neither was finished at boot (a review).
mode=\${1:-}
if [ "$mode" = resume ]; then
  [ "$(cat $d/state 2>/dev/null)" = reverting ] || exit 0
  echo "resumed at boot: the redo of run ${runId}, cut off" >> $d/revert.log
else
  case "$(cat $d/state 2>/dev/null)" in pending|'') ;; *) exit 0;; esac
  # Exactly one of this revert and the rollback's confirmation decides the rollback's run. At boot, a
  # decision whose state a power cut kept from the disk is this revert's or a confirmation's that
  # never said ok (teqlctl took it as failed, its dead-man redoing), or one whose decider a power cut
  # kept from recording itself (a review): the redo runs for each.
  if ${decide('$d', 'revert')}; then true
  elif [ "$mode" = boot ]; then
    ${whoDecided('$d')}
    echo "at boot: decided by \${tq_by:-a decider that did not record itself} before a restart, its state not recorded: redone now" >> $d/revert.log
  else
    # Decided by the rollback's confirmation, which stops this timer only once its records are
    # written: killed between the two, the rollback is taken over and the run redone here, as a
    # run's revert takes over its confirmation's (arm-script.ts; a review found this one stuck).
    tq_wi=0; ${whoDecided('$d')}; while [ -z "$tq_by" ] && [ $tq_wi -lt 50 ]; do ${napLine()}; tq_wi=$((tq_wi+tq_dt)); ${whoDecided('$d')}; done
    case "$tq_by" in confirm|'') ;; *) exit 0;; esac
    ${takeOver('$d', 'revert')} || exit 0
    rm -f $d/timer
    trap '' HUP TERM
    echo "decided by the rollback's confirmation, its records never written: redone by the dead-man" >> $d/revert.log
  fi
  ${withRoom('$d', ['echo reverting > $d/state'])}
  # On disk before the redo's first change: a power cut during the redo then finds it (resume).
  ${syncFsAt('d')}
fi
${freeReserve('$d')}
${recordUndoerLine('$d')}
# The rollback's undo still running here (undo-run-script.ts records it): stopped before the redo (at boot, nothing: its pid is the previous boot's).
if [ "$mode" != resume ] && [ "$mode" != boot ]; then
${stopApplierLines('$d')}
fi
${undoLogLine('$d', 'revert.log')}
${eachBatchLine('$x', 'redo', 'oldest', 'f', '/bin/sh $x/redo-$f.sh >> "$tq_ul" 2>&1')}
echo confirmed > $x/state; rm -f $x/rolled_back_at $x/undo_failed_at
date -u +%Y-%m-%dT%H:%M:%SZ > $d/reverted_at
${withRoom('$d', ['echo reverted > $d/state'])}
grep -qx 'run=${rollbackId}' ${LOCK_DIR}/owner 2>/dev/null && rm -rf ${LOCK_DIR}
exit 0
`;
  return [
    'export LANG=C LC_ALL=C',
    'umask 077',
    // As an apply's arming (arm-script.ts): a signal between its state and its timer left the
    // rollback pending with no timer, for good (a review); it runs to its end or its refusal.
    "trap '' HUP PIPE TERM",
    // The lock still the rollback's: another run could take it after a second operator's `unlock --force`
    // during the drift check's reads, and be undone beneath (a review). Refused before anything is written.
    `grep -qx 'run=${rollbackId}' ${LOCK_DIR}/owner 2>/dev/null || { echo "${LOCK_LOST_MARKER} $(sed -n 's/^run=//p' ${LOCK_DIR}/owner 2>/dev/null)"; exit 3; }`,
    `${redoComplete(x)} || { echo '${NO_REDO_MARKER}'; exit 9; }`,
    `mkdir -p ${d} && chmod 700 ${d} || exit 3`,
    // Not written (a full disk): its folder goes with it, none left without a meta, which no prune removes (a review).
    heredoc(`${d}/revert.sh`, revert, dropArm(d, `cannot write ${d}/revert.sh`)),
    // Its number among the runs armed here (router/arm-order.ts) must be recorded, as an apply's must.
    `${metaLine(rollbackId, owner, timeoutSec, `rollback of ${runId}`)} || { echo "cannot write ${d}/meta or ${ARM_SEQ_FILE} (is /var/lib/teqlctl full or read-only?)" >&2; rm -rf ${d}; exit 3; }`,
    // Each write checked, as an apply's arming checks them: a state or a reserve not written, or a
    // timer not started, left a rollback run pending with no timer (a review): refused, nothing left.
    `echo pending > ${d}/state || ${dropArm(d, `cannot write ${d}/state`)}`,
    // Room for the decision should the disk fill before the rollback is confirmed (decision.ts).
    `{\n${writeReserve(d)}\n} || ${dropArm(d, `cannot write ${d}/reserve`)}`,
    ...timerLines(rollbackId, timeoutSec, (what) => dropArm(d, what)),
    syncFs(d),
    'trap - HUP PIPE TERM',
  ].join('\n') + '\n';
}

/** A rollback's arming that failed: said, its folder removed, exit 3 (nothing of it is armed). */
function dropArm(d: string, what: string): string {
  return `{ echo ${shellQuote(`${what} (is /var/lib/teqlctl full or read-only?)`)} >&2; rm -rf ${d}; exit 3; }`;
}
