// The undo of `teqlctl rollback --run`, on one router, under the rollback's own dead-man (its run
// `rollbackId`, armed by armRollbackScript, whose revert redoes the run). The two must not
// interleave: an undo that starts after that dead-man fired would undo the redo with no dead-man
// left, and a redo beside a running undo leaves half of each. So the undo starts only while the
// rollback's run is undecided, and records itself as that run's applier: the redo stops it first.
import { recordUndoerLine } from '../router/open-runs.js';
import { eachBatchLine } from './batch-scripts.js';
import { assertSafeRunId, BOOT_SCRIPT, runDir } from '../router/paths.js';
import { forgetApplierLine, recordApplierLine } from './applier.js';
import { DECIDED } from '../router/decision.js';
import { RETIRING_MARK } from '../router/markers.js';
import { fileWriteMove, KEEP_RETIRING_ENV, renderOp } from '../apply/render-op.js';
import { shellQuote } from '../router/shell-quote.js';

/**
 * A run that made the boot script (a persisted chapter) removes it, and what starts it, in its
 * undo. Undone by `teqlctl rollback`, a router restarted before the rollback was confirmed came
 * back with nothing to run the rollback's dead-man at boot: the run half gone (not persisted any
 * more, its kernel state lost), recorded neither rolled back nor redone, while its peers' dead-men
 * redid it, a bundle on one end (a review, 2026-12-04). As a teardown does (retiring-script.ts):
 * where the undo ends by removing the boot script, a retiring script takes its place before the
 * undo, the undo's removals of it and its starters are skipped (render-op.ts 'file-remove', while
 * KEEP_RETIRING_ENV is set), and it is put back after the undo should one of the undo's own steps
 * have written an older boot script over it (a run that wrote it in two batches: several plays, a
 * hub's partial rollback; a second review). Every boot script revokes pending runs, so one is
 * always in place. At boot it runs the pending rollback's dead-man (the redo writes the run's boot
 * files back), and the rollback's confirmation retires it (confirm-script.ts). Not written, nothing
 * is undone (exit 3): the dead-man redoes.
 */
function keepBootScript(runDirPath: string, retiring: string, forgetApplier: string): string {
  return `  if [ -f ${shellQuote(BOOT_SCRIPT)} ] && [ "$(${lastBootScriptStep(runDirPath)})" = remove ]; then
    ${writeRetiring(retiring)} || { ${forgetApplier}; echo "cannot put a retiring boot script in place of ${BOOT_SCRIPT} (is /etc full or read-only?): nothing undone" >&2; exit 3; }
    export ${KEEP_RETIRING_ENV}=1
  fi`;
}

/**
 * After the undo: the retiring script again, where a step of the undo wrote an older boot script
 * over it. Where it cannot be, the run is not recorded rolled back: the older script would apply
 * part of the run at every boot; unconfirmed, the dead-man redoes the whole run (a review).
 */
function rewriteRetiring(retiring: string, forgetApplier: string): string {
  return `if [ -n "\${${KEEP_RETIRING_ENV}:-}" ] && ! grep -qx ${shellQuote(RETIRING_MARK)} ${shellQuote(BOOT_SCRIPT)} 2>/dev/null; then
  ${writeRetiring(retiring)} || { ${forgetApplier}; echo "cannot put the retiring boot script back in place of ${BOOT_SCRIPT}: not recorded rolled back, the dead-man redoes the run" >&2; exit 3; }
fi`;
}

function writeRetiring(retiring: string): string {
  return renderOp({ kind: 'file-write', path: BOOT_SCRIPT, content: retiring, executable: true });
}

/**
 * Prints what the undo does last to the boot script, \`remove\` or \`write\` (nothing: it leaves it
 * alone): the undo scripts run newest batch first, each one's steps in the order of its lines. A
 * removal is only ever the undo of the run's first write of it (plan/persist/plan-persist.ts), so it
 * comes last; a run whose later batch removed it again would have no boot script for a moment here.
 */
function lastBootScriptStep(runDirPath: string): string {
  const removal = shellQuote(renderOp({ kind: 'file-remove', path: BOOT_SCRIPT }));
  const write = shellQuote(fileWriteMove(BOOT_SCRIPT));
  const last = (pattern: string) => `$(grep -nF ${pattern} "$tq_fp" 2>/dev/null | tail -n 1 | cut -d: -f1)`;
  return `tq_last=; ${eachBatchLine(runDirPath, 'undo', 'newest', 'tq_f', `tq_fp=${runDirPath}/undo-$tq_f.sh; tq_r=${last(removal)}; tq_w=${last(write)}; if [ -n "$tq_r" ] && [ "$tq_r" -gt "\${tq_w:-0}" ]; then tq_last=remove; elif [ -n "$tq_w" ]; then tq_last=write; fi`)}; echo "$tq_last"`;
}

/** Said when the run to roll back is not confirmed any more under the rollback's lock, with its state. */
export const NOT_CONFIRMED_MARKER = '@@teqlctl-not-confirmed';

/**
 * Shell, right after the rollback takes the lock: the run is still \`confirmed\` here. Its state was
 * read before the lock; a second operator's rollback of it may have ended between the two (the
 * drift check then refused it, saying the routers changed, and hinted --force, which undid it a
 * second time: a review). Else the lock is freed (\`release\`) and the state said, exit 3.
 */
export function stillConfirmedLines(runId: string, release: string): string {
  const d = runDir(assertSafeRunId(runId));
  return `tq_xs=; read -r tq_xs 2>/dev/null < ${d}/state; [ "$tq_xs" = confirmed ] || { ${release}; echo "${NOT_CONFIRMED_MARKER} $tq_xs"; exit 3; }`;
}

/** Said when the rollback's dead-man decided before this undo began: nothing undone. */
export const ROLLBACK_DECIDED_MARKER = '@@teqlctl-rollback-decided';

/**
 * Undoes a finished run from the router's own journal (every batch, newest first). Without a
 * dead-man of its own (--force on a run without redo scripts: no `rollbackId` folder) it runs as is.
 * `retiring`: the retiring boot script for this router (plan/persist/retiring-script.ts), put in
 * place of the run's boot script where the undo would remove it (keepBootScript).
 */
export function undoRunScript(runId: string, rollbackId: string, retiring?: string): string {
  const d = runDir(assertSafeRunId(runId));
  const rb = runDir(assertSafeRunId(rollbackId));
  const undecided = `[ ! -d ${rb}/${DECIDED} ] && [ "$(cat ${rb}/state 2>/dev/null)" = pending ]`;
  return `export LANG=C LC_ALL=C
umask 077
trap '' HUP PIPE
# Recorded first, checked after: the redo decides, then reads the record, so whichever comes first,
# either this sees the decision or the redo sees this script (and stops it).
if [ -d ${rb} ]; then
  ${recordApplierLine(rb)} || exit 1
  ${undecided} || { ${forgetApplierLine(rb)}; echo "${ROLLBACK_DECIDED_MARKER} $(cat ${rb}/state 2>/dev/null)"; exit 3; }
${retiring === undefined ? '' : `${keepBootScript(d, retiring, forgetApplierLine(rb))}\n`}else
  # No dead-man of its own (--force on a run without redo scripts): the run is marked being undone,
  # so that a new run's open-run check (and the boot script, after a power cut) sees it; it stayed
  # confirmed through the undo, and a run let in beneath it by an unlock was undone (a review).
  { echo rolling-back > ${d}/state; } 2>/dev/null
fi
failed=0
# This shell is the undo now: a run past the open-run bound stays open while it runs (open-runs.ts).
${recordUndoerLine(d)}
${eachBatchLine(d, 'undo', 'newest', 'f', `/bin/sh ${d}/undo-$f.sh || failed=1`)}
${retiring === undefined ? '' : `${rewriteRetiring(retiring, forgetApplierLine(rb))}\n`}# Decided meanwhile (the redo stops this script first; this covers the moment before it does).
if [ -d ${rb} ]; then ${undecided} || { echo "${ROLLBACK_DECIDED_MARKER} $(cat ${rb}/state 2>/dev/null)"; exit 3; }; fi
# A failed step recorded before the state: the rollback's check over a fresh connection reads it
# where this shell's answer was lost (it cut its own session), and said "verified", exit 0 (a review).
if [ $failed = 0 ]; then rm -f ${d}/undo_failed_at; else date -u +%Y-%m-%dT%H:%M:%SZ > ${d}/undo_failed_at || exit 1; fi
echo rolled-back > ${d}/state || exit 1
date -u +%Y-%m-%dT%H:%M:%SZ > ${d}/rolled_back_at || exit 1
${forgetApplierLine(rb)}
exit $failed
`;
}
