// The undo of `teqlctl rollback --run`, on one router, under the rollback's own dead-man (its run
// `rollbackId`, armed by armRollbackScript, whose revert redoes the run). The two must not
// interleave: an undo that starts after that dead-man fired would undo the redo with no dead-man
// left, and a redo beside a running undo leaves half of each. So the undo starts only while the
// rollback's run is undecided, and records itself as that run's applier: the redo stops it first.
import { assertSafeRunId, runDir } from '../router/paths.js';
import { forgetApplierLine, recordApplierLine } from './applier.js';
import { DECIDED } from '../router/decision.js';

/** Said when the rollback's dead-man decided before this undo began: nothing undone. */
export const ROLLBACK_DECIDED_MARKER = '@@teqlctl-rollback-decided';

/**
 * Undoes a finished run from the router's own journal (every batch, newest first). Without a
 * dead-man of its own (--force on a run without redo scripts: no `rollbackId` folder) it runs as is.
 */
export function undoRunScript(runId: string, rollbackId: string): string {
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
fi
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
