// A hub's partial rollback: the steps of its failed bundles are undone, the steps of its healthy
// bundles and the shared ones (sch_teql, conf.all) stay, and the run goes on to be confirmed. Each
// undone step leaves the write-ahead journal (begun-B), so neither the dead-man's revert nor a later
// `teqlctl rollback` undoes it again, nor a rollback's redo puts it back.
import { peersValue } from './run-meta.js';
import { baselineRenameProbe, isBaselineOp, renderOp, syncFs } from '../apply/render-op.js';
import { flushBeforeRename, renameSafeProbe } from '../router/rename-flush.js';
import { IPROUTE2_PREAMBLE } from '../router/iproute2.js';
import { PARTIAL_MARKER, UNDO_MARKER } from '../router/markers.js';
import { assertSafeRunId, LOCK_DIR, runDir } from '../router/paths.js';
import { DECIDED } from '../router/decision.js';
import { lockTakenTest, retakeLockLine } from '../router/lock.js';
import { forgetApplierLine, recordApplierLine } from './applier.js';
import type { Op } from '../plan/ops.js';

/** A step of the run's journal to undo: where it was journaled (batch, index) and its inverse. */
export interface StepToUndo {
  batch: number;
  index: number;
  undo: readonly Op[];
}

/**
 * Undoes `steps` newest first, only while the run is still open here (pending, or confirmed under
 * the run's lock); a run the dead-man or a rollback already decided is left to them. A step is
 * undone only if the journal says it began; its record is dropped after its undo (a crash between
 * the two undoes it once more, which restores the same value again). Prints `PARTIAL_MARKER ok`,
 * or `PARTIAL_MARKER state=S` when the run was no longer open; undo failures as UNDO_MARKER lines.
 */
export function partialUndoScript(runId: string, steps: readonly StepToUndo[], then: string, holdSec?: number, keptPeers?: readonly string[]): string {
  const dir = runDir(assertSafeRunId(runId));
  const newestFirst = [...steps].sort((x, y) => y.batch - x.batch || y.index - x.index);
  // Fault injection (--debug-hold partial:S): a controller killed here leaves a hub half-way
  // through its partial rollback; the file tells a test that the hold began.
  const hold = holdSec ? [`    true > $d/debug-hold-partial; echo 'holding ${holdSec} s in the partial rollback (--debug-hold)' >&2; sleep ${holdSec}`] : [];
  const body = newestFirst.flatMap((s, k) => {
    const file = `$d/begun-${s.batch}`;
    return [
      '    tq_still',
      `    if [ $tq_go = 1 ] && grep -qx ${s.index} ${file} 2>/dev/null; then`,
      // Each op only while not stopped: a TERM in the first left the rest to run after the decision.
      ...s.undo.map((op) => `      [ $tq_go = 1 ] && { ${renderOp(op)} || echo "${UNDO_MARKER} undo step ${s.batch}.${s.index} failed: ${renderOp(op).replace(/["`$\\]/g, '')}"; }`),
      // The journal without the step's lines, by the shell's own read and printf: BusyBox's grep
      // exits 0 when its output cannot be written, which had put an empty journal in place on a
      // full disk (and the revert then undid nothing). A failed write keeps the old journal, which
      // lists the step as begun: undone once more later, which changes nothing.
      // Dropped from the journal only when not stopped meanwhile: an op a TERM cut is the revert's to undo (a review).
      `      [ $tq_go = 1 ] && tq_w=0 && { while IFS= read -r tq_l || [ -n "$tq_l" ]; do [ "$tq_l" = ${s.index} ] || printf '%s\\n' "$tq_l" || tq_w=1; done < ${file} > ${file}.new; } 2>/dev/null || tq_w=1; if [ $tq_go = 1 ]; then if [ $tq_w = 0 ] && ${flushBeforeRename('tq_rsd', `${file}.new`)}; then mv -f ${file}.new ${file}; else rm -f ${file}.new; echo "${UNDO_MARKER} step ${s.batch}.${s.index} undone, but the journal could not be rewritten"; fi; fi`,
      '    fi',
      ...(k === 0 ? hold : []),
    ];
  });
  return [
    "trap '' HUP PIPE",
    'export LANG=C LC_ALL=C',
    'umask 077',
    IPROUTE2_PREAMBLE,
    `d=${dir}`,
    // Whether the journal's and meta's rewrites need a flush before their rename (rename-flush.ts).
    renameSafeProbe('$d', 'tq_rsd'),
    ...(steps.some((st) => st.undo.some(isBaselineOp)) ? [baselineRenameProbe()] : []),
    // Fenced as the apply script is (applier.ts): recorded, so a revert or rollback that decides
    // the run stops it (TERM: this undo stops, the facts are still read); and each step starts only
    // while the run is as it was found. Unfenced, it went on undoing, and said ok, after the
    // dead-man had reverted the run and freed the lock (a review, reproduced under BusyBox).
    'tq_ps=$(cat $d/state 2>/dev/null); tq_go=1; tq_lt=',
    // A confirmed run's lock must still be its own: taken by another run (a second operator's
    // unlock while this one waited for its peers), its steps are not undone beneath that run; one
    // removed and not yet taken is taken back first, so that no run takes it during the undo.
    `tq_still() { [ $tq_go = 1 ] || return 0; if [ "$tq_ps" = pending ]; then [ ! -d $d/${DECIDED} ] || tq_go=0; else [ "$(cat $d/state 2>/dev/null)" = confirmed ] && { ${retakeLockLine(runId)}; ! ${lockTakenTest(runId)}; } || tq_go=0; fi; }`,
    'case "$tq_ps" in',
    '  pending|confirmed)',
    "    trap 'tq_go=0' TERM",
    `    ${recordApplierLine('$d')} 2>/dev/null`,
    '    tq_still',
    ...(newestFirst.length === 0 ? hold : []),
    ...body,
    // The meta's peers without those of the undone bundles (undone on both ends): a later
    // `teqlctl rollback` is not held off by a branch that shares nothing of the run any more. A
    // failed write keeps the old line, which only holds off more.
    ...(keptPeers ? [`    if [ $tq_go = 1 ]; then tq_w=0; { while IFS= read -r tq_l || [ -n "$tq_l" ]; do case $tq_l in peers=*) printf 'peers=%s\\n' '${peersValue(keptPeers)}' || tq_w=1;; *) printf '%s\\n' "$tq_l" || tq_w=1;; esac; done < $d/meta > $d/meta.new; } 2>/dev/null || tq_w=1; if [ $tq_w = 0 ] && ${flushBeforeRename('tq_rsd', '$d/meta.new')}; then mv -f $d/meta.new $d/meta; else rm -f $d/meta.new; fi; fi`] : []),
    `    ${syncFs(dir)}`,
    // Forgotten first, and TERM ignored from here (inherited): the facts after it are read whole.
    `    ${forgetApplierLine('$d')}`,
    '    tq_still',
    "    trap '' TERM",
    `    if [ $tq_go = 1 ]; then echo '${PARTIAL_MARKER} ok'; else echo "${PARTIAL_MARKER} state=$(cat $d/state 2>/dev/null || echo none)$([ "$tq_ps" = confirmed ] && ${lockTakenTest(runId)} && echo ",lock-taken")"; fi;;`,
    `  *) echo "${PARTIAL_MARKER} state=$(cat $d/state 2>/dev/null || echo none)";;`,
    'esac',
    then.trimEnd(),
    'exit 0',
  ].join('\n') + '\n';
}

/** `ok`, or the state the run was found in (the dead-man or a rollback had decided it). */
export function partialOutcome(stdout: string): { ok: true } | { ok: false; state: string } {
  const m = new RegExp(`^${PARTIAL_MARKER} (ok|state=(\\S*))$`, 'm').exec(stdout);
  if (!m) return { ok: false, state: 'no answer' };
  return m[1] === 'ok' ? { ok: true } : { ok: false, state: m[2] ?? '' };
}
