// Whom a router names, in its run's meta, as sharing a bundle of the run: `teqlctl rollback` holds
// off where one of them cannot be reached (rollback/split-bundles.ts).
import type { RunState } from './run-state.js';

/**
 * The hosts that share a bundle with `h` in this run. Undefined (recorded as not known) for a host
 * of the play's hosts without a bundle: what its tasks link it to is not known (a review: "no
 * peers" let a rollback undo one end of a link that its playbook made by hand). A bundled host
 * names them among its peers for the same reason (a second review). `without`: units undone on
 * both ends already (a hub's partial rollback): their peers no longer share anything of the run.
 */
export function peersOf(run: RunState, h: string, without: ReadonlySet<string> = new Set()): string[] | undefined {
  const unbundled = run.domains.units.filter((u) => !u.bundle).flatMap((u) => u.hosts);
  if (unbundled.includes(h)) return undefined;
  // The play's hosts without a bundle count too: a task may link this host to one of them. A peer
  // that changes nothing in the run keeps no record of it and has nothing to undo: not named (a
  // rollback would refuse it as a peer without the run), unless a later play may change it.
  const changes = (x: string) => run.laterPlays || (run.reports.get(x)?.planned.length ?? 0) > 0;
  return [...new Set([...run.domains.units.filter((u) => u.hosts.includes(h) && !without.has(u.name)).flatMap((u) => u.hosts), ...unbundled])].filter((x) => x !== h && changes(x));
}
