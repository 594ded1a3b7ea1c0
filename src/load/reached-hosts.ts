// The hosts a run reaches, for the problems an inventory keeps per host (inventory.ts, deferred):
// the plays' hosts that --limit keeps, and the far end of each of their bundles (its addresses are
// read into the near end's tasks), including a far end named by teql_peer or teql_bundles whose
// own files are broken (it then names no one back, and its own problem is the one to say).
import { matchPattern } from './host-pattern.js';
import type { Bundle } from './bundle-types.js';
import type { VarScope } from './scope.js';
import type { Inventory } from './types.js';

export function reachedHosts(patterns: ReadonlyArray<string | string[]>, inventory: Inventory, limited: ReadonlySet<string>, bundles: readonly Bundle[], scopeOf: (host: string) => VarScope): Set<string> {
  const reached = new Set([...playedHosts(patterns, inventory)].filter((h) => limited.has(h)));
  for (const b of bundles) if (b.ends.some((e) => reached.has(e.host))) for (const e of b.ends) reached.add(e.host);
  for (const h of [...reached]) for (const peer of namedPeers(scopeOf(h))) if (inventory.hosts.has(peer)) reached.add(peer);
  return reached;
}

/** The peers a host's teql_peer and teql_bundles name, as far as they can be read (their own problems are said elsewhere). */
function namedPeers(scope: VarScope): string[] {
  const value = (name: string): unknown => {
    try {
      const r = scope.lookup(name);
      return r.found ? r.value : undefined;
    } catch {
      return undefined;
    }
  };
  const peer = value('teql_peer');
  const list = value('teql_bundles');
  const fromList = Array.isArray(list) ? list.flatMap((e) => (e && typeof e === 'object' && typeof (e as { peer?: unknown }).peer === 'string' ? [(e as { peer: string }).peer] : [])) : [];
  return [...(typeof peer === 'string' ? [peer] : []), ...fromList];
}

/** The hosts some play's `hosts:` pattern names (a bad pattern is said where its play is read). */
export function playedHosts(patterns: ReadonlyArray<string | string[]>, inventory: Inventory): Set<string> {
  const played = new Set<string>();
  for (const p of patterns) {
    try {
      for (const h of matchPattern(p, inventory)) played.add(h);
    } catch {
      // Said where the play is read.
    }
  }
  return played;
}
