// What "the router equals its snapshot" means: the state teqlctl manages, normalised so that two
// reads of the same state compare equal (kernel default qdiscs are all alike, order does not matter).
import { createHash } from 'node:crypto';
import type { Facts, NeighbourFact, RouteFact } from '../gather/facts.js';
import { isDaemonRoute, isIpv6, routeLine } from '../gather/route-fact.js';
import type { Flushed } from '../plan/simulate-routes.js';
import { addressLine } from '../gather/address-fact.js';
import { inRunScope, type RunScope } from './run-scope.js';

export function stateLines(f: Facts): Set<string> {
  const lines = new Set<string>();
  for (const l of f.links) lines.add(`link ${l.name} ${l.up ? 'up' : 'down'} mtu ${l.mtu}`);
  for (const a of f.addresses) lines.add(addressLine(a));
  for (const r of f.routes) if (!isDaemonRoute(r)) lines.add(routeLine(r));
  for (const q of f.rootQdiscs) {
    if (q.isDefault) continue;
    // Not only the kind: handle, options, classes and filters, as tc shows them (teql's own handle is the kernel's pick).
    const detail = q.detail && !/^teql\d+$/.test(q.kind) ? ` ${q.handle} ${createHash('sha256').update(JSON.stringify([q.options ?? null, q.detail])).digest('hex').slice(0, 16)}` : '';
    lines.add(`root qdisc ${q.kind} dev ${q.dev}${detail}`);
  }
  for (const [k, v] of Object.entries(f.sysctls)) lines.add(`sysctl ${k} = ${v}`);
  lines.add(`module sch_teql ${f.teql.loaded ? 'loaded' : 'not loaded'}`);
  for (const b of f.boot?.files ?? []) {
    const what = b.symlink !== undefined ? `-> ${b.symlink}` : `sha256 ${createHash('sha256').update(b.content ?? '').digest('hex').slice(0, 16)}${b.executable ? ' executable' : ''}`;
    lines.add(`boot file ${b.path} ${what}`);
  }
  for (const [k, v] of Object.entries(f.baseline ?? {})) lines.add(`baseline ${k} = ${v}`);
  return lines;
}

export interface StateDiff {
  /** In the snapshot, missing now. */
  missing: string[];
  /** Present now, not in the snapshot. */
  extra: string[];
}

/** A permanent neighbour as the check compares it: with its router flag and protocol, which a re-add must keep. */
const neighbourLine = (n: NeighbourFact) => `neighbour ${n.address} lladdr ${n.lladdr} dev ${n.dev}${n.router ? ' router' : ''}${n.protocol !== undefined ? ` proto ${n.protocol}` : ''}`;

/**
 * What the kernel flushes with a link besides the main table (Facts.flushable: other tables'
 * routes, IPv6 routes, static ARP and NDP entries), which an undo puts back: compared after a rollback, so a failed
 * re-add is said as the router holds it, not only in the undo's log. Not in stateLines, whose
 * after-state `teqlctl rollback` compares for drift (a policy table a daemon keeps is not the run's).
 */
export function flushableLines(f: Facts): string[] {
  return [...(f.flushable?.routes ?? []).filter((r) => !isDaemonRoute(r)).map(routeLine), ...(f.flushable?.neighbours ?? []).map(neighbourLine)];
}

/**
 * The router after a rollback against its snapshot; with `flushed`, the devices whose flush the run
 * caused (a link it took down or whose addresses it changed, and their VLANs), their other tables'
 * routes and static ARP entries too, where both reads have them. Only theirs: a policy table a
 * daemon rewrites meanwhile (tailscale's, mwan3's) is not the run's, and made a rollback look
 * incomplete (exit 6; a review). With `scope`, the lines the run answers for only (run-scope.ts):
 * another device's, which someone else's change moved meanwhile, are not the rollback's.
 */
export function diffState(snapshot: Facts, now: Facts, flushed: Flushed | ReadonlySet<string> = new Map(), scope?: RunScope): StateDiff {
  const [was, is] = flushedLines(snapshot, now, flushed);
  const ours = (l: string) => scope === undefined || inRunScope(l, scope);
  const a = new Set([...stateLines(snapshot), ...was].filter(ours));
  const b = new Set([...stateLines(now), ...is].filter(ours));
  return { missing: [...a].filter((x) => !b.has(x)).sort(), extra: [...b].filter((x) => !a.has(x)).sort() };
}

/**
 * flushableLines of the `flushed` devices alone (a set: every family of each), in the snapshot and
 * now: none where either read has no such facts (an older teqlctl's), IPv6's where the device's
 * flush took them and both reads have them (a kernel without IPv6, or a teqlctl before 2026-12-05,
 * has none).
 */
export function flushedLines(snapshot: Facts, now: Facts, flushed: Flushed | ReadonlySet<string>): [string[], string[]] {
  if (snapshot.flushable === undefined || now.flushable === undefined || flushed.size === 0) return [[], []];
  const v6 = snapshot.flushable.ipv6 === true && now.flushable.ipv6 === true;
  const family = (dev: string) => (flushed instanceof Map ? flushed.get(dev) : flushed.has(dev) ? 'all' : undefined);
  const ours = (x: RouteFact | NeighbourFact) => {
    const took = x.dev === undefined ? undefined : family(x.dev);
    return took !== undefined && (!isIpv6(x) || (took === 'all' && v6));
  };
  const theirs = (f: Facts) => flushableLines({ ...f, flushable: { routes: f.flushable!.routes.filter(ours), neighbours: f.flushable!.neighbours.filter(ours) } });
  return [theirs(snapshot), theirs(now)];
}

export function isSameState(d: StateDiff): boolean {
  return d.missing.length === 0 && d.extra.length === 0;
}
