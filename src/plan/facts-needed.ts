// What a host's tasks need read besides the fixed facts: the facts script fetches it in the same trip.
import type { TaskInstance } from '../load/types.js';

/** Sysctl names the tasks read (every rp_filter is read anyway). */
export function sysctlNames(tasks: readonly TaskInstance[]): string[] {
  return [...new Set(tasks.flatMap((t) => (t.module === 'sysctl' ? [t.args.name] : [])))];
}
