// Every line teqlctl's remote scripts print to frame their output, in one table: a new marker must
// not start with an existing one, or a parser would read the other's lines.
export const SECTION_MARKER = '@@teqlctl-section';
export const STEP_MARKER = '@@teqlctl-step';
export const CHECK_MARKER = '@@teqlctl-check';
export const LOCK_MARKER = '@@teqlctl-lock';
export const RUN_MARKER = '@@teqlctl-run';
export const CONFIRM_MARKER = '@@teqlctl-confirm';
export const REVERTED_MARKER = '@@teqlctl-reverted';
/** A rollback met its run decided as abandoned at boot (boot-script.ts): nothing of it is undone. */
export const ABANDONED_MARKER = '@@teqlctl-abandoned';
/** A rollback met its run decided by the revert and not ended: the revert owns the undo (`state=S` follows). */
export const REVERT_OWNS_MARKER = '@@teqlctl-revert-owns';
/** A rollback met its confirmed run's lock held by another run (the run id follows): nothing is undone beneath it. */
export const LOCK_TAKEN_MARKER = '@@teqlctl-lock-taken';
export const ARM_FAILED_MARKER = '@@teqlctl-arm-failed';
export const STALE_MARKER = '@@teqlctl-stale';
export const UNDO_MARKER = '@@teqlctl-undo';
export const BARRIER_MARKER = '@@teqlctl-barrier';
export const PARTIAL_MARKER = '@@teqlctl-partial';

/** A line of revert.sh by which the boot script knows one that can finish an interrupted undo (`revert.sh resume`). */
export const RESUMABLE_MARK = '# teqlctl: resumable';

/**
 * A line of the boot script a teardown leaves until its run is confirmed (retiring-script.ts): the
 * confirmation then runs it with `retire`, and the plan knows it for the teardown's own.
 */
export const RETIRING_MARK = '# teqlctl: retiring';

/**
 * The output from the first line that starts with `prefix`, or undefined. Not `startsWith` on the
 * whole output: a login shell's rc file may print before the script does (a review: a stale plan
 * or a held lock read as an apply that ended early).
 */
export function fromMarkerLine(stdout: string, prefix: string): string | undefined {
  const at = stdout.startsWith(prefix) ? 0 : stdout.indexOf('\n' + prefix);
  return at < 0 ? undefined : stdout.slice(at === 0 ? 0 : at + 1);
}
