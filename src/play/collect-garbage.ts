// A full garbage collection between a fleet's apply and its confirmations. V8 collects the old
// generation only when it has grown by a factor of what the last collection kept: a fleet's apply
// leaves about half of the heap garbage (each host's ~90 KB scripts and their copies on the way to
// the wire), which then stays while every host's new connection for its confirmation is opened
// (a key exchange each), and the two add up to the run's peak memory: 300-318 MB at 500 simulated
// hosts, 252-281 MB with this collection (docs/performance.md), at the cost of one pause of tens
// of milliseconds. Node exposes no collection without a flag: the flag is set here, and `gc` taken
// from a context of its own, so that nothing is added to the program's globals.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this many hosts the heap is small: a pause would cost more than the memory it frees. */
export const COLLECT_FROM_HOSTS = 50;

let gc: (() => void) | null | undefined;

/** Collects all garbage now, where the runtime allows it (else nothing). */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const fn: unknown = runInNewContext('typeof gc === "function" ? gc : undefined');
      gc = typeof fn === 'function' ? (fn as () => void) : null;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
