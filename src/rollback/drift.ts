// What moved on a router since a run: the state the run left (kept on the router at confirmation)
// against the state it holds now. Pure: `teqlctl rollback` reads, this decides.
import type { Facts } from '../gather/facts.js';
import { stateLines } from './compare.js';
import { isDaemonRoute } from '../gather/route-fact.js';
import { qdiscSelector } from '../gather/qdisc-detail.js';
import { inRunScope, recordedScope, scopeNow } from './run-scope.js';

/**
 * The sysctls the run's after-state names (`sysctl NAME = VALUE`): `rollback` does not know the
 * playbook, so it reads these again, and compares sysctls of these names only (the facts read others).
 * Left out of the comparison until 2026-12-06, a later run's change to one was undone unseen (a review).
 */
export function sysctlNames(afterRun: readonly string[]): string[] {
  return [...new Set(afterRun.filter((l) => l.startsWith('sysctl ')).map((l) => l.split(' ')[1]!))];
}

/**
 * The devices whose root qdisc the run's after-state holds in detail (`root qdisc KIND dev DEV HANDLE
 * HASH`, compare.ts), as the facts' selectors: read in detail again so that they compare (the facts
 * read the detail of the devices asked only, gather/qdisc-detail.ts). An after-state of a teqlctl
 * before 2026-12-07 holds the detail of every shaped device, and asks them all.
 */
export function qdiscDetailSelectors(afterRun: readonly string[]): string[] {
  return [...new Set(afterRun.map((l) => /^root qdisc \S+ dev (\S+) \S+ \S+$/.exec(l)?.[1]).filter((d): d is string => d !== undefined))].map(qdiscSelector);
}

function sysctlName(line: string): string | undefined {
  return line.startsWith('sysctl ') ? line.split(' ')[1] : undefined;
}

/**
 * A route line as teqlctl wrote it before it read routes whole (2026-12-02): network, gateway,
 * device and metric only. A run confirmed by that version left its after-state so; what the router
 * holds now is compared in the same terms, or every route would look moved after an upgrade.
 */
export function legacyRouteLine(line: string): string {
  if (!line.startsWith('route ')) return line;
  return line.replace(/ type \S+/, '').replace(/( metric \d+).*$/, '$1');
}

/**
 * An after-state with any route attribute the older lines never had (a type, onlink, a source, a
 * protocol, why it cannot be put back): written since routes are read whole. One with none reads
 * the same in both forms.
 */
function wholeRoutes(lines: readonly string[]): boolean {
  return lines.some((l) => l.startsWith('route ') && (/ (type|src|proto) /.test(l) || / onlink( |$)/.test(l) || l.endsWith(')')));
}

/**
 * An address line as teqlctl wrote it before it read addresses whole (2026-12-05): CIDR and device
 * only. The same upgrade as routes': lo's `scope host` alone would have looked moved on every router.
 */
export function legacyAddressLine(line: string): string {
  if (!line.startsWith('address ')) return line;
  const words = line.split(' ');
  return `address ${words[1]} dev ${words[words.length - 1]}`;
}

/** An after-state with any address attribute (a broadcast, a scope, ...): written since addresses are read whole. */
function wholeAddresses(lines: readonly string[]): boolean {
  return lines.some((l) => l.startsWith('address ') && !/^address \S+ dev \S+$/.test(l));
}

/** One message per difference, `host: no longer holds ...` / `host: now also holds ...`. */
export function movedSince(host: string, afterRun: readonly string[], now: Facts): string[] {
  // A routing daemon's routes, which an older teqlctl recorded, are no drift (compare.ts isDaemonRoute).
  const { state, scope: was, recorded } = recordedScope(afterRun);
  const scope = scopeNow(was, now);
  const after = new Set(state.filter((l) => l && !isDaemonRoute(l)));
  const named = new Set(sysctlNames(afterRun));
  // An after-state recorded with its scope is of this version: its lines are whole, whatever they
  // hold (the run's lines alone may have no attribute to tell it by; a review).
  const legacyRoutes = !recorded && !wholeRoutes(afterRun);
  const legacyAddresses = !recorded && !wholeAddresses(afterRun);
  const inTheirTerms = (l: string) => (legacyAddresses ? legacyAddressLine(legacyRoutes ? legacyRouteLine(l) : l) : legacyRoutes ? legacyRouteLine(l) : l);
  const compared = (l: string) => { const n = sysctlName(l); return n === undefined || named.has(n); };
  // The run's devices and networks, recorded with it: another device's lines are not the run's (run-scope.ts).
  const current = new Set([...stateLines(now)].filter((l) => compared(l) && inRunScope(l, scope)).map(inTheirTerms));
  return [
    ...[...after].filter((l) => !current.has(l)).map((l) => `${host}: no longer holds ${l}`),
    ...[...current].filter((l) => !after.has(l)).map((l) => `${host}: now also holds ${l}`),
  ];
}
