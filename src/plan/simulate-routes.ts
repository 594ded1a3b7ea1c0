// The routes and neighbours of facts as the kernel keeps them when ops change addresses and links:
// the connected route an address brings, the routes and permanent neighbours a link's flush takes
// (Facts.flushable), and the undo that puts those back. simulate.ts replays ops with these.
import type { AddressAttrs, Facts, NeighbourFact, RouteFact } from '../gather/facts.js';
import { cidrNetwork, contains, prefixLength, splitCidr } from '../router/ipv4.js';
import { isIpv6 } from '../gather/route-fact.js';

/**
 * The kernel flushes a link's routes in every table and its permanent neighbours with it
 * (Facts.flushable): replaced, never changed (clone shares it). `ipv4`: IPv4's alone, as its last
 * IPv4 address takes them (fib_disable_ip); IPv6 goes with the link (fib6_ifdown, ndisc).
 */
export function flushOtherwise(f: Facts, dev: string, ipv4 = false): void {
  const goes = (x: RouteFact | NeighbourFact) => x.dev === dev && !(ipv4 && isIpv6(x));
  if (f.flushable) f.flushable = { ...f.flushable, routes: f.flushable.routes.filter((r) => !goes(r)), neighbours: f.flushable.neighbours.filter((n) => !goes(n)) };
}

export function sameRoute(a: RouteFact, b: RouteFact): boolean {
  return a.to === b.to && a.metric === b.metric && (a.via ?? '') === (b.via ?? '') && (a.dev ?? '') === (b.dev ?? '') && (a.family ?? '') === (b.family ?? '') && (a.from ?? '') === (b.from ?? '');
}

/** Same prefix length and network: a second such address on a link is the first one's secondary. */
export function sameSubnet(a: string, b: string): boolean {
  return splitCidr(a).prefix === splitCidr(b).prefix && cidrNetwork(a) === cidrNetwork(b);
}

/** The route the kernel adds with an address: its source is that address (prefsrc). */
function connectedRoute(dev: string, cidr: string): RouteFact {
  return { to: cidrNetwork(cidr), dev, metric: 0, protocol: 'kernel', scope: 'link', src: splitCidr(cidr).ip };
}

export function isUp(f: Facts, dev: string): boolean {
  return f.links.find((l) => l.name === dev)?.up ?? false;
}

export function addConnected(f: Facts, dev: string, cidr: string, attrs: AddressAttrs = {}): void {
  // An undo's address as it was read: no prefix route with noprefixroute; a peer's prefix is the
  // peer's network; the route takes the address's metric.
  if (attrs.flags?.includes('noprefixroute')) return;
  const { ip, prefix } = splitCidr(cidr);
  const r = { ...connectedRoute(dev, attrs.peer !== undefined ? `${attrs.peer}/${prefix}` : cidr), src: ip, metric: attrs.metric ?? 0 };
  // A /32 has no connected route (but to its peer); otherwise the kernel adds one per prefix, once.
  if ((prefix === 32 && attrs.peer === undefined) || f.routes.some((x) => sameRoute(x, r))) return;
  f.routes.push(r);
}

/** A route of another table than main, or an IPv6 route, put back: in Facts.flushable, replaced, never changed. */
export function addOtherTableRoute(f: Facts, route: RouteFact): Facts {
  if (f.flushable) f.flushable = { ...f.flushable, routes: [...f.flushable.routes.filter((r) => !(r.table === route.table && sameRoute(r, route))), route] };
  return f;
}

/** A permanent neighbour put back (`ip neigh replace`: one of that address on that link is replaced). */
export function addNeighbour(f: Facts, n: NeighbourFact): Facts {
  if (f.flushable) f.flushable = { ...f.flushable, neighbours: [...f.flushable.neighbours.filter((x) => !(x.dev === n.dev && x.address === n.address)), n] };
  return f;
}

/**
 * A link's VLANs (8021q), and the VLANs on those (QinQ), parents first: the kernel takes them down
 * with it (dev_close) and brings every one up again when it comes up, one that was down before too
 * (vlan_device_event), each event passed on to the VLANs above. One made with loose_binding follows
 * nothing, nor do those above it. Their routes and neighbours go as any link's do.
 */
export function vlansOn(f: Facts, dev: string): Facts['links'] {
  const out: Facts['links'] = [];
  for (let level = [dev]; level.length > 0; ) {
    const above = f.links.filter((l) => l.kind === 'vlan' && !l.looseBinding && l.lower !== undefined && level.includes(l.lower) && !out.includes(l));
    out.push(...above);
    level = above.map((l) => l.name);
  }
  return out;
}

/** `dev` went up (true) or down (false): its VLANs follow, as the kernel does it. */
export function vlansFollow(f: Facts, dev: string, up: boolean): void {
  for (const v of vlansOn(f, dev)) {
    if (v.up === up) continue;
    v.up = up;
    if (up) {
      for (const a of f.addresses.filter((x) => x.dev === v.name)) addConnected(f, v.name, a.cidr, a);
    } else {
      f.routes = f.routes.filter((r) => r.dev !== v.name);
      flushOtherwise(f, v.name);
    }
  }
}

/** Which of a device's routes and neighbours a flush takes: every one, or IPv4's (its last IPv4 address gone). */
export type Flushed = ReadonlyMap<string, 'all' | 'ipv4'>;

/**
 * The devices whose routes and neighbours the kernel flushes while `ops` run or are undone: each
 * link taken up or down (its undo takes it the other way), with its VLANs (vlansOn in `f`): all of
 * them; each link left without an IPv4 address by an op (the last one deleted) or by its undo (an
 * address added to a link that had none): IPv4's. Only those: a link whose MTU alone changes, or
 * that keeps an IPv4 address, is flushed of nothing, and a daemon's policy table on it was
 * compared (a review, 2026-12-05).
 */
export function flushedDevices(ops: ReadonlyArray<{ kind: string; dev?: string; up?: boolean; cidr?: string }>, f: Facts): Flushed {
  const out = new Map<string, 'all' | 'ipv4'>();
  const held = new Map<string, Set<string>>();
  const addresses = (dev: string) => held.get(dev) ?? held.set(dev, new Set(f.addresses.filter((a) => a.dev === dev).map((a) => a.cidr))).get(dev)!;
  for (const op of ops) {
    if (op.dev === undefined) continue;
    if (op.kind === 'link' && op.up !== undefined) {
      for (const d of [op.dev, ...vlansOn(f, op.dev).map((v) => v.name)]) out.set(d, 'all');
    } else if ((op.kind === 'addr-add' || op.kind === 'addr-del') && op.cidr !== undefined) {
      const on = addresses(op.dev);
      const bareBefore = on.size === 0;
      if (op.kind === 'addr-add') on.add(op.cidr);
      else on.delete(op.cidr);
      if ((bareBefore || on.size === 0) && out.get(op.dev) !== 'all') out.set(op.dev, 'ipv4');
    }
  }
  return out;
}

/**
 * The device the kernel reaches gateway `via` by: that of the main table's direct route (no
 * gateway) over it, the longest prefix first, then the lowest metric; on `dev` only where given.
 * The planner's route task and the simulation of a route added without a device both ask this
 * (they differed, and a plan on planned facts did not converge: a review).
 */
export function gatewayDevice(facts: Facts, via: string, dev?: string): string | undefined {
  const direct = facts.routes.filter((r) => r.via === undefined && r.dev !== undefined && (dev === undefined || r.dev === dev) && r.to !== 'default' && r.family !== 'inet6' && (r.type === undefined || r.type === 'unicast') && contains(r.to, via));
  return direct.sort((a, b) => prefixLength(b.to) - prefixLength(a.to) || a.metric - b.metric)[0]?.dev;
}
