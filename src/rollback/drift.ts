// What moved on a router since a run: the state the run left (kept on the router at confirmation)
// against the state it holds now. Pure: `teqlctl rollback` reads, this decides.
import type { Facts } from '../gather/facts.js';
import { stateLines } from './compare.js';

/**
 * Sysctls are left out of the comparison: `rollback` does not know the playbook, so it cannot read
 * the named sysctls the run read, and a missing line would look like drift.
 */
export function comparedForDrift(line: string): boolean {
  return !line.startsWith('sysctl ');
}

/** One message per difference, `host: no longer holds ...` / `host: now also holds ...`. */
export function movedSince(host: string, afterRun: readonly string[], now: Facts): string[] {
  const after = new Set(afterRun.filter((l) => l && comparedForDrift(l)));
  const current = new Set([...stateLines(now)].filter(comparedForDrift));
  return [
    ...[...after].filter((l) => !current.has(l)).map((l) => `${host}: no longer holds ${l}`),
    ...[...current].filter((l) => !after.has(l)).map((l) => `${host}: now also holds ${l}`),
  ];
}
