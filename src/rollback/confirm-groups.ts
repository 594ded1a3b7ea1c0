// `teqlctl rollback` confirms a bundle on both of its ends or on neither, as `play` does: a router
// that could not be verified after the undo is left to its dead-man, which redoes the run there,
// so every router it shares a bundle of the run with must redo it too, and every router those
// share one with, and so on. Pure: which hosts to confirm, from each host's recorded peers.

export interface ConfirmCandidate {
  host: string;
  /** The hosts that share a bundle of the run with this one (its meta's peers); undefined: not known. */
  peers?: readonly string[];
}

/**
 * The hosts to hold back (not confirm) because `failed` ones were not verified: every host joined
 * to a failed one through shared bundles. A host whose peers are not known is joined to every host
 * (an older run's record), and so is every host to it.
 */
export function heldBack(candidates: readonly ConfirmCandidate[], failed: ReadonlySet<string>): Map<string, string> {
  const why = new Map<string, string>();
  const unknown = candidates.filter((c) => c.peers === undefined).map((c) => c.host);
  const neighbours = (h: string): string[] => {
    const own = candidates.find((c) => c.host === h)?.peers;
    if (own === undefined) return candidates.map((c) => c.host);
    const naming = candidates.filter((c) => c.peers?.includes(h)).map((c) => c.host);
    return [...own, ...naming, ...unknown];
  };
  const queue = [...failed];
  for (const f of failed) why.set(f, f);
  while (queue.length > 0) {
    const h = queue.shift()!;
    for (const n of neighbours(h)) {
      if (why.has(n) || !candidates.some((c) => c.host === n)) continue;
      // Named by the failed host it is joined to.
      why.set(n, why.get(h)!);
      queue.push(n);
    }
  }
  for (const f of failed) why.delete(f);
  return why;
}
