// What "a hub rolled back its failed bundles" means: every line of state that belongs to them is as
// in the snapshot, every other line (its healthy bundles, what they share) as before the undo.
import type { Facts } from '../gather/facts.js';
import { stateLines, type StateDiff } from './compare.js';

/**
 * `goes(line)`: the line belongs to the failed bundles only. One exception: an equalizer device the
 * shared sch_teql created (max_equalizers) stays, down and with its default sysctls, when its bundle
 * goes, since the module stays.
 */
export function partialResidual(snapshot: Facts, before: Facts, after: Facts, goes: (line: string) => boolean): StateDiff {
  const expected = new Set([...[...stateLines(snapshot)].filter(goes), ...[...stateLines(before)].filter((l) => !goes(l))]);
  const now = stateLines(after);
  // The device's own state only (down, its default sysctls): an address, a route or a qdisc on it still counts.
  const madeBy = (l: string) => /^link (teql\d+) down /.exec(l)?.[1] ?? /^sysctl net\.ipv[46]\.(?:conf|neigh)\.(teql\d+)\./.exec(l)?.[1];
  const moduleMade = (l: string) => {
    const dev = madeBy(l);
    return dev !== undefined && goes(l) && !snapshot.links.some((k) => k.name === dev);
  };
  return {
    missing: [...expected].filter((x) => !now.has(x)).sort(),
    extra: [...now].filter((x) => !expected.has(x) && !moduleMade(x)).sort(),
  };
}
