// The order in which a run's hosts confirm, pure. A host confirmed is past a partial rollback: if a
// peer it shares a bundle with then fails its confirmation, the bundle's undo on the confirmed host
// can take no batch (its failed link's rp_filter raised, its boot files written again), and it is
// rolled back wholly, its other bundles with it. So:
// - the hosts that end one bundle (spokes, a plain pair's two ends) confirm first, together: rolled
//   back wholly, they lose nothing else;
// - then the hosts that end several, fewest bundles first, never two that share a bundle in one
//   wave: of two such peers, the one that loses less when rolled back wholly confirms first, and
//   the other is still pending when the first's confirmation fails. A branch with two uplinks to
//   two head offices confirmed at once with both: its dead-man firing rolled both hubs back
//   wholly, every healthy branch of theirs with them (a review, 2026-12-05).
export function confirmWaves(hosts: readonly string[], unitsOf: (host: string) => readonly string[]): string[][] {
  const single = hosts.filter((h) => unitsOf(h).length <= 1);
  // A stable sort: inventory order among hosts of as many bundles.
  const several = hosts.filter((h) => unitsOf(h).length > 1).sort((a, b) => unitsOf(a).length - unitsOf(b).length);
  const waves: string[][] = single.length > 0 ? [single] : [];
  let left = several;
  while (left.length > 0) {
    const wave: string[] = [];
    const taken = new Set<string>();
    const fewest = unitsOf(left[0]!).length;
    for (const h of left) {
      // A host of more bundles waits for the wave after: it would be exposed to the fewer's failure.
      if (unitsOf(h).length !== fewest) continue;
      if (unitsOf(h).some((u) => taken.has(u))) continue;
      wave.push(h);
      for (const u of unitsOf(h)) taken.add(u);
    }
    waves.push(wave);
    left = left.filter((h) => !wave.includes(h));
  }
  return waves;
}
