// The undo of `teqlctl rollback --run`, on one router, under the rollback's own dead-man (its run
// `rollbackId`, armed by armRollbackScript, whose revert redoes the run). The two must not
// interleave: an undo that starts after that dead-man fired would undo the redo with no dead-man
// left, and a redo beside a running undo leaves half of each. So the undo starts only while the
// rollback's run is undecided, and records itself as that run's applier: the redo stops it first.
import { assertSafeRunId, BOOT_SCRIPT, runDir } from '../router/paths.js';
import { forgetApplierLine, recordApplierLine } from './applier.js';
import { DECIDED } from '../router/decision.js';
import { RETIRING_MARK } from '../router/markers.js';
import { KEEP_RETIRING_ENV, renderOp } from '../apply/render-op.js';
import { shellQuote } from '../router/shell-quote.js';

/**
 * A run that made the boot script (a persisted chapter) removes it, and what starts it, in its
 * undo. Undone by `teqlctl rollback`, a router restarted before the rollback was confirmed came
 * back with nothing to run the rollback's dead-man at boot: the run half gone (not persisted any
 * more, its kernel state lost), recorded neither rolled back nor redone, while its peers' dead-men
 * redid it, a bundle on one end (a review, 2026-12-04). As a teardown does (retiring-script.ts):
 * before the undo, where the undo removes the boot script, a retiring script takes its place, and
 * the undo keeps it and its starters (render-op.ts 'file-remove'); at boot it runs the pending
 * rollback's dead-man (the redo writes the run's boot files back), and the rollback's confirmation
 * retires it (confirm-script.ts). Not written, nothing is undone (exit 3): the dead-man redoes.
 */
function keepBootScript(runDirPath: string, retiring: string, forgetApplier: string): string {
  const removal = renderOp({ kind: 'file-remove', path: BOOT_SCRIPT });
  const write = renderOp({ kind: 'file-write', path: BOOT_SCRIPT, content: retiring, executable: true });
  return `  if [ -f ${shellQuote(BOOT_SCRIPT)} ] && ! grep -qx ${shellQuote(RETIRING_MARK)} ${shellQuote(BOOT_SCRIPT)} 2>/dev/null && grep -qF ${shellQuote(removal)} ${runDirPath}/undo-*.sh 2>/dev/null; then
    ${write} || { ${forgetApplier}; echo "cannot put a retiring boot script in place of ${BOOT_SCRIPT} (is /etc full or read-only?): nothing undone" >&2; exit 3; }
  fi
  export ${KEEP_RETIRING_ENV}=1`;
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
${retiring === undefined ? '' : `${keepBootScript(d, retiring, forgetApplierLine(rb))}\n`}fi
failed=0
for f in $(ls ${d}/undo-*.sh 2>/dev/null | sed 's/.*undo-\\([0-9]*\\)\\.sh/\\1/' | sort -nr); do /bin/sh ${d}/undo-$f.sh || failed=1; done
# Decided meanwhile (the redo stops this script first; this covers the moment before it does).
if [ -d ${rb} ]; then ${undecided} || { echo "${ROLLBACK_DECIDED_MARKER} $(cat ${rb}/state 2>/dev/null)"; exit 3; }; fi
echo rolled-back > ${d}/state || exit 1
date -u +%Y-%m-%dT%H:%M:%SZ > ${d}/rolled_back_at || exit 1
${forgetApplierLine(rb)}
exit $failed
`;
}
