// What a module planner gets besides its arguments: the host's current (simulated) facts and
// what the whole play asks of this host.
import { RefusedError } from '../errors.js';
import type { SourcePos } from '../errors.js';
import type { Facts, RouteFact } from '../gather/facts.js';
import type { Change } from './types.js';
import type { Op } from './ops.js';
import type { EqualizerMtu } from './equalizer-mtu.js';
import { vlansOn } from './simulate-routes.js';
import { isDaemonRoute, isIpv6 } from '../gather/route-fact.js';

export interface PlanContext {
  host: string;
  task: string;
  pos: SourcePos;
  /** Interfaces whose rp_filter this host's tasks set themselves (not raised by the all-rule). */
  rpFilterTargets: ReadonlySet<string>;
  /** How many equalizers (teql0..teqlN-1) this host's tasks use: sch_teql's max_equalizers. */
  equalizers: number;
}

export interface ModuleResult {
  changes: Change[];
  facts: Facts;
  /** An equalizer's MTU before the task, which the undo puts back (placed by equalizer-mtu.ts). */
  equalizerMtu?: EqualizerMtu;
}

/** A state on the router that the plan must not override: nothing is changed anywhere. */
export function conflict(ctx: PlanContext, message: string, hint?: string): RefusedError {
  return new RefusedError(`${ctx.host}: ${ctx.pos.file}:${ctx.pos.line}:${ctx.pos.col}: task "${ctx.task}": ${message}`, hint, { task: ctx.task, pos: ctx.pos });
}

export function requireLink(ctx: PlanContext, facts: Facts, dev: string) {
  const link = facts.links.find((l) => l.name === dev);
  // The kernel takes an altname, but every listing names the link by its name: a task by its
  // altname would be planned again on each run, never seen done (a review, 2026-12-07).
  const named = link ? undefined : facts.links.find((l) => l.altnames?.includes(dev));
  if (named) throw conflict(ctx, `interface ${dev} is an alternative name of ${named.name}; teqlctl reads interfaces by their name`, `write ${named.name}`);
  if (!link) {
    throw conflict(ctx, `interface ${dev} does not exist on this router`, `existing interfaces: ${facts.links.map((l) => l.name).join(', ')}`);
  }
  return link;
}

/**
 * Refuses to touch the interface that carries this SSH session. `below`: also the devices its
 * traffic goes through (for a link's state and MTU, and an equalizer's slave): the link under a
 * VLAN or macvlan it is, a port of the bridge or bond it is. A session over a VLAN on the link
 * being bundled passed the guard, and the link's down cut it (a review in a network namespace).
 */
export function guardManagement(ctx: PlanContext, facts: Facts, dev: string, what: string, below = false): void {
  const m = facts.management;
  if (!m) return;
  const carrier = below ? carriersOf(facts, m.dev).get(dev) : dev === m.dev ? '' : undefined;
  if (carrier === undefined) return;
  throw conflict(
    ctx,
    `${what} would touch ${dev}, ${carrier ? `which carries ${m.dev}, ` : ''}the interface that carries this SSH session (from ${m.clientIp})${carrier}`,
    'manage this router over another interface, or leave the management interface and the devices under it out of the playbook',
  );
}

/**
 * Refuses taking away the address the SSH session is connected to, on whatever device it is: where
 * the session's replies leave by another interface (two links between two routers), the guard on
 * that interface did not see it (a review: teardown's address task removed it).
 */
export function guardSessionAddress(ctx: PlanContext, facts: Facts, dev: string, what: string, hint = 'manage this router by another of its addresses, or leave this address and its interface as they are'): void {
  const m = facts.management;
  if (!m?.serverIp || !facts.addresses.some((a) => a.dev === dev && a.cidr.split('/')[0] === m.serverIp)) return;
  throw conflict(ctx, `${what} would take away ${m.serverIp} on ${dev}, the address this SSH session is connected to (from ${m.clientIp})`, hint);
}

/** The devices that carry `dev`'s traffic, each with how (`''` for dev itself), from the facts' lower and master links. */
export function carriersOf(facts: Facts, dev: string, { slaves = true }: { slaves?: boolean } = {}): Map<string, string> {
  const out = new Map([[dev, '']]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const l of facts.links) {
      // An equalizer's slaves carry it too: their root qdisc is its (a session over the bundle).
      const eq = slaves && facts.rootQdiscs.find((q) => q.dev === l.name && out.has(q.kind) && facts.links.some((e) => e.name === q.kind));
      const how = l.lower !== undefined && out.has(l.name) && !out.has(l.lower) ? [l.lower, ` (${l.name} is stacked on ${l.lower})`] as const
        : l.master !== undefined && out.has(l.master) && !out.has(l.name) ? [l.name, ` (${l.name} is a port of ${l.master})`] as const
          : eq && !out.has(l.name) ? [l.name, ` (${l.name} is a slave of ${eq.kind})`] as const : undefined;
      if (how) {
        out.set(how[0], how[1]);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * Undo of taking a link down: bring it up, then put back the routes through it, which the kernel
 * flushed when it went down (connected routes come back with the addresses, static ones do not).
 */
/** Refuses, before any change, to take away a route whose undo could not put it back exactly. */
export function refuseUnrestorable(ctx: PlanContext, route: RouteFact, after: string): void {
  if (!route.unrestorable) return;
  throw conflict(ctx, `the route to ${route.to}${route.dev ? ` on ${route.dev}` : ''} could not be put back exactly after ${after}: ${route.unrestorable}`, 'change or remove that route by hand first, or leave it as it is');
}

/**
 * The undo of taking `dev` down: up again, with the routes the kernel flushed with it; its VLANs,
 * which the kernel took down with it and brings up with it (simulate-routes.ts, vlansOn), get
 * their routes back, or are taken down again where they were down before (their IPv6 addresses
 * kept). Until 2026-12-05 a VLAN's own routes were lost by the rollback.
 */
export function linkDownUndo(facts: Facts, dev: string, ctx: PlanContext): Op[] {
  const vlans = vlansOn(facts, dev).flatMap((v): Op[] => (v.up
    ? flushedRoutesBack(facts, v.name, ctx, `taking ${dev} down, which takes its VLAN ${v.name} down with it`)
    : [{ kind: 'link', dev: v.name, up: false, keepAddresses: true }]));
  return [{ kind: 'link', dev, up: true }, ...flushedRoutesBack(facts, dev, ctx, `taking ${dev} down, which flushes it`), ...vlans];
}

/**
 * The routes through `dev` in every table (Facts.flushable: the main table's alone in older facts),
 * the kernel's own left out; `ipv4`: IPv4's alone (what a link's last IPv4 address takes with it).
 */
export function routesThrough(facts: Facts, dev: string, ipv4 = false): RouteFact[] {
  // A routing daemon's are its own to add again once the link is back (route-fact.ts isDaemonRoute).
  // A multipath route with a hop on `dev` too: the kernel marks that hop dead with the flush, and
  // it stayed dead after the undo, the rollback saying "as before" (a review): refused as unrestorable.
  return [...facts.routes, ...(facts.flushable?.routes ?? [])].filter((r) => (r.dev === dev || r.nexthopDevs?.includes(dev) === true) && r.protocol !== 'kernel' && !isDaemonRoute(r) && !(ipv4 && isIpv6(r)));
}

/**
 * What the kernel flushed with `dev`, added back: it flushes the link's routes in every table and
 * its permanent neighbours when the link goes down and when it loses its last IPv4 address
 * (fib_disable_ip, neigh_ifdown); its IPv6 routes and neighbours with the link only (`ipv4`: its
 * last IPv4 address). Connected routes come back with the addresses. One that could not be put
 * back exactly is refused, before any change. Until 2026-12-05 the main table's alone: a policy
 * table's route or a static ARP entry on a slave was lost by a rollback (a review), and until
 * later that day every IPv6 route of a link taken down.
 */
export function flushedRoutesBack(facts: Facts, dev: string, ctx: PlanContext, after: string, ipv4 = false): Op[] {
  const routes = routesThrough(facts, dev, ipv4);
  for (const r of routes) refuseUnrestorable(ctx, r, after);
  // Routes without a gateway first: a gateway reached by one of them (a host route to it) must be
  // there before the routes through it, or the kernel refuses them (a review, 2026-12-05).
  const ordered = [...routes.filter((r) => !r.via), ...routes.filter((r) => r.via)];
  const neighbours = (facts.flushable?.neighbours ?? []).filter((n) => n.dev === dev && !(ipv4 && isIpv6(n)));
  const lost = neighbours.find((n) => n.unrestorable);
  if (lost) throw conflict(ctx, `the neighbour ${lost.address} on ${lost.dev} could not be put back exactly after ${after}: ${lost.unrestorable}`, 'change or remove that neighbour entry by hand first, or leave it as it is');
  return [...ordered.map((route) => ({ kind: 'route-add' as const, route })), ...neighbours.map((neighbour) => ({ kind: 'neigh-add' as const, neighbour }))];
}
