// Who ends a run on the router: the confirmation, the dead-man's revert, or teqlctl's own rollback.
// Both the confirmation and the revert used to read the run's state and then write it, so with the
// timer firing at confirmation time both could win. mkdir is atomic on every filesystem and in every
// shell: whoever creates the directory has decided, and everyone else finds out and says so.

/** The directory whose creation decides the run; `by` inside it names who decided. */
export const DECIDED = 'decided';

export type Decider = 'confirm' | 'revert' | 'rollback';

/** A shell condition: true for the one caller that decides the run in `dir`, false for all later ones. */
export function decide(dir: string, by: Decider): string {
  return `{ mkdir ${dir}/${DECIDED} 2>/dev/null && echo ${by} > ${dir}/${DECIDED}/by; }`;
}
