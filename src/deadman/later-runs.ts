// A run armed and confirmed on a router after the run `teqlctl rollback --run R` would undo there
// (the router's own count, arm-order.ts): R's undo puts back the values from before R, beneath that
// later run, which stays recorded as confirmed (a review: a later run's sysctl was undone, exit 0,
// nothing said). Checked under the rollback's lock, as a run confirmed after the runs were read is
// found only there.
import { assertSafeRunId, runDir } from '../router/paths.js';
import { laterConfirmedLines } from '../router/later-confirmed.js';

/** Said, with the later runs' ids, when a run was confirmed after the one to undo. */
export const LATER_RUN_MARKER = '@@teqlctl-later-run';

/**
 * Shell: prints LATER_RUN_MARKER and the ids of the runs armed after `runId` and confirmed, then
 * runs `release` and exits 3; nothing when there are none, or when `runId` has no number (an older
 * teqlctl's run: the controller's check on its id stands). Builtins only.
 */
export function refuseLaterRunLines(runId: string, release: string): string {
  return `${laterConfirmedLines(runDir(assertSafeRunId(runId)), 'tq_lr')}
if [ -n "$tq_lr" ]; then ${release}; echo "${LATER_RUN_MARKER}$tq_lr"; exit 3; fi`;
}

/** The later runs a LATER_RUN_MARKER line named; undefined when there is none. */
export function laterRunsIn(stdout: string): string[] | undefined {
  const m = new RegExp(`^${LATER_RUN_MARKER}(.*)$`, 'm').exec(stdout);
  return m ? m[1]!.trim().split(/\s+/).filter(Boolean) : undefined;
}
