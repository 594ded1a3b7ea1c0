// What `teqlctl play` says the moment a signal (Ctrl-C, TERM, HUP) arrives: what the run does about
// it from where it is. Said at once, before the run reacts, so it must not promise what the run
// will not do: once every router still standing is confirmed, nothing is rolled back any more.

/** Where the run is when the signal arrives. */
export type SignalPhase =
  | { kind: 'check' }
  /** `batchesBefore`: the `serial:` batches confirmed before this one (they stay). */
  | { kind: 'running'; batchesBefore?: number }
  /** Every router still standing confirmed; `waiting`: rollbacks beside the run were started. */
  | { kind: 'decided'; waiting: boolean };

export function signalMessage(signal: string, phase: SignalPhase): string {
  switch (phase.kind) {
    case 'check':
      return `${signal}: stopping (--check changes nothing on any router)`;
    case 'running':
      return phase.batchesBefore
        ? `${signal}: rolling back every router of batch ${phase.batchesBefore + 1} that changed (a step in flight is stopped on the router); the ${phase.batchesBefore === 1 ? 'batch' : `${phase.batchesBefore} batches`} before it ${phase.batchesBefore === 1 ? 'was' : 'were'} confirmed and stay${phase.batchesBefore === 1 ? 's' : ''}, and no later batch starts`
        : `${signal}: rolling back every router that changed (a step in flight is stopped on the router)`;
    case 'decided':
      return phase.waiting
        ? `${signal}: too late to roll back: every router still standing is confirmed; the rollbacks of the failed ones, running beside the run, end first (stopping them would leave those routers half undone), then the recap says each router's end`
        : `${signal}: too late to roll back: every router still standing is confirmed; the recap says each router's end`;
  }
}
