// Routes of the main table as iproute2's JSON shows them, with what teqlctl needs to put one back
// exactly (its undo of a replace, a removal, or a link taken down that flushed it), and why not
// where it cannot: a route re-added without its onlink flag fails, one without its type or
// source address is another route, and a multipath route's next hops are lost. IPv6 routes are
// read for what a link's flush takes (Facts.flushable): the same, with their family.
import type { Facts, NeighbourFact, RouteFact } from './facts.js';

/** The route types `ip route add <type>` takes back, besides unicast. */
const TYPES = new Set(['blackhole', 'unreachable', 'prohibit', 'throw']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseRoutes(json: any[], family: 'inet' | 'inet6' = 'inet'): RouteFact[] {
  const host = family === 'inet6' ? '/128' : '/32';
  return json.map((r) => {
    const to = r.dst === 'default' ? 'default' : String(r.dst).includes('/') ? String(r.dst) : `${r.dst}${host}`;
    const route: RouteFact = { ...(family === 'inet6' ? { family } : {}), to, metric: Number(r.metric ?? 0) };
    if (r.type && r.type !== 'unicast') route.type = String(r.type);
    if (r.gateway) route.via = String(r.gateway);
    if (r.dev) route.dev = String(r.dev);
    if (Array.isArray(r.nexthops)) {
      const devs = [...new Set(r.nexthops.flatMap((h: { dev?: unknown }) => (typeof h?.dev === 'string' ? [h.dev] : [])))] as string[];
      if (devs.length > 0) route.nexthopDevs = devs;
    }
    if (r.protocol) route.protocol = String(r.protocol);
    if (r.scope) route.scope = String(r.scope);
    // iproute2 leaves out a global scope; a route without a gateway is added with scope link unless
    // told: one added `scope global` came back `scope link` (a review, 2026-12-05). IPv6 has no scope.
    else if (family === 'inet' && !r.gateway && !r.via && !Array.isArray(r.nexthops) && r.nhid === undefined && !route.type) route.scope = 'global';
    if (Array.isArray(r.flags) && r.flags.includes('onlink')) route.onlink = true;
    if (r.prefsrc) route.src = String(r.prefsrc);
    // A source-specific IPv6 route (OpenWrt's netifd adds them for each delegated prefix).
    if (r.from) route.from = String(r.from);
    if (r.table !== undefined && r.table !== 'main') route.table = String(r.table);
    // An IPv6 route's router preference (RFC 4191), where not the default.
    if (r.pref !== undefined && r.pref !== 'medium') route.pref = String(r.pref);
    const why = unrestorable(r);
    if (why) route.unrestorable = why;
    return route;
  });
}

/**
 * Keys of a route that teqlctl reads, or knows it cannot put back (below). Any other (a type of
 * service, a realm, which `ip -j` shows as tos and flow) is not put back: the route is named
 * unrestorable rather than re-added without it (a review, 2026-12-05).
 */
const KNOWN_KEYS = new Set(['dst', 'type', 'gateway', 'dev', 'protocol', 'scope', 'metric', 'flags', 'prefsrc', 'nexthops', 'via', 'nhid', 'metrics', 'table', 'pref', 'expires', 'from']);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function unrestorable(r: any): string | undefined {
  const unknown = Object.keys(r).filter((k) => !KNOWN_KEYS.has(k));
  if (unknown.length > 0) return `iproute2 shows ${unknown.join(', ')} on it, which teqlctl does not put back`;
  if (r.type && r.type !== 'unicast' && !TYPES.has(String(r.type))) return `it is a ${String(r.type)} route`;
  if (Array.isArray(r.nexthops)) return `it has ${r.nexthops.length} next hops (multipath)`;
  if (r.via && typeof r.via === 'object') return `its gateway is an ${String(r.via.family ?? 'other')} address (${String(r.via.host ?? '')})`;
  if (r.nhid !== undefined) return `it uses nexthop object ${String(r.nhid)}`;
  // Added back, it would never expire; added with its time left, it would not be the route read.
  // No seconds left in the text: the rollback's check compares it, read again later (a review).
  if (r.expires !== undefined) return 'it expires (the undo could not give it its lifetime back)';
  // `ip -j` shows a metric's value but not its lock (mtu lock 1400 reads as mtu 1400).
  if (Array.isArray(r.metrics) && r.metrics.length > 0) return `it has route metrics (${r.metrics.flatMap((m: object) => Object.keys(m)).join(', ')}), which iproute2's JSON shows without their locks`;
  return undefined;
}

/** `ip route` or, for an IPv6 route, `ip -6 route`: `default` alone would be IPv4's. */
export function ipRoute(r: RouteFact): string[] {
  return r.family === 'inet6' ? ['ip', '-6', 'route'] : ['ip', 'route'];
}

/** The route as `ip route add|replace|del` takes it: everything read, so the same route comes back. */
export function routeCommandArgs(r: RouteFact): string[] {
  const args = [...(r.type ? [r.type] : []), r.to, ...(r.from ? ['from', r.from] : [])];
  if (r.via) args.push('via', r.via);
  if (r.dev) args.push('dev', r.dev);
  args.push('metric', String(r.metric));
  if (r.onlink) args.push('onlink');
  if (r.src) args.push('src', r.src);
  // Only where it is not the default iproute2 gives it: link without a gateway, global with one
  // or with a type (a host or site scope came back link, a review, 2026-12-05).
  const usual = r.via || r.type ? 'global' : 'link';
  if (r.scope !== undefined && r.scope !== usual) args.push('scope', r.scope);
  // The kernel's default (boot) is left out: teqlctl's own routes have it.
  if (r.protocol && r.protocol !== 'boot') args.push('proto', r.protocol);
  if (r.table !== undefined) args.push('table', r.table);
  if (r.pref !== undefined) args.push('pref', r.pref);
  return args;
}

/**
 * Route protocols of the kernel, of a hand or a script (`ip route add`: boot; static), and of a
 * DHCP client or router advertisement. Any other (zebra, bird, bgp, ospf, babel, keepalived, a
 * number) is a routing daemon's: it adds and removes its routes as its neighbours come and go (an
 * adjacency formed over the new equalizer, a path lost while a link was down), and teqlctl neither
 * makes nor undoes them: not put back after a flush (the daemon adds its own again; one teqlctl
 * re-added could be a path the daemon had withdrawn meanwhile), nor compared by a rollback (one that
 * appeared between the snapshot and a rollback made it look incomplete, exit 6; rollback/compare.ts).
 */
const NOT_A_DAEMON = new Set(['kernel', 'boot', 'static', 'dhcp', 'ra', 'redirect', 'unspec', '0', '1', '2', '3', '4', '9', '16']);

/**
 * Those protocols by number, with the name iproute2 prints for each (none for boot, which it leaves
 * out). The facts read only routes of these, a listing each: a router holding a full BGP table
 * printed ~80 MB of JSON per facts read (600 MB of the controller's heap, seconds of transfer, the
 * run log), and a daemon's route that came or went between the facts and the apply (a table's
 * churn, by the second on a BGP feed) had the run refused as stale: they were in the fingerprint.
 * iproute2 leaves the protocol out of a route listed by it: the facts give it back (ip-batch.ts).
 * The kernel filters each dump by protocol since 4.20 (iproute2 5.0), but not by 0, which it takes
 * for none: that one listing walks the whole table, as every listing does on an older kernel or
 * iproute2 (filtered by iproute2, printing none of it). The kernel's first: the IPv6 listings
 * after it are left out of the fingerprint (script.ts HASH_STABLE). A daemon's routes that a plan
 * weighs are listed apart (management-script.ts).
 */
export const OWN_PROTOCOLS: ReadonlyArray<readonly [number, string | undefined]> = [[2, 'kernel'], [3, undefined], [4, 'static'], [16, 'dhcp'], [9, 'ra'], [1, 'redirect'], [0, 'unspec']];

/** A route a routing daemon keeps (its protocol), by its fact or by its state line ("... proto bird ..."). */
export function isDaemonRoute(r: RouteFact | string): boolean {
  const protocol = typeof r === 'string' ? (r.startsWith('route ') ? / proto (\S+)/.exec(r)?.[1] : undefined) : r.protocol;
  return protocol !== undefined && !NOT_A_DAEMON.has(protocol);
}

/**
 * One line per route, every attribute teqlctl reads: two reads of one route compare equal. The
 * network stays the second word (bundle-scope.ts reads it there), its type after it.
 */
export function routeLine(r: RouteFact): string {
  const [to, ...rest] = routeCommandArgs({ ...r, type: undefined, to: r.family === 'inet6' && r.to === 'default' ? '::/0' : r.to });
  return ['route', to, ...(r.type ? ['type', r.type] : []), ...rest].join(' ') + (r.unrestorable ? ` (${r.unrestorable})` : '');
}

/**
 * What the kernel flushes with a link besides its main-table IPv4 routes (Facts.flushable): from
 * every table's IPv4 routes, those of a table other than main and local (the kernel's own, which
 * come back with the addresses); the IPv6 routes of every table but local (`routes6`, when read),
 * but the kernel's (an address's prefix, fe80::/64: back with the link and its addresses) and a
 * router advertisement's (learned again from the next one); the permanent neighbours of both
 * families as `ip -j neigh show nud permanent` lists them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseFlushable(allRoutes: any[], neighbours: any[], routes6?: any[]): NonNullable<Facts['flushable']> {
  // An older kernel (4.19) adds its multicast route ff00::/8 with protocol boot, in main where a VRF has none.
  const kernels = (r: { dst?: string; gateway?: string; metric?: number }) => r.dst === 'ff00::/8' && !r.gateway && Number(r.metric) === 256;
  const own6 = (routes6 ?? []).filter((r) => r.table !== 'local' && r.protocol !== 'kernel' && r.protocol !== 'ra' && !kernels(r));
  // An IPv6 address's own route (type local, in table local), link-local and loopback left out;
  // but on an equalizer a link-local one too: the kernel makes none on teqlN (ARPHRD_VOID), so it is
  // an operator's (OSPFv3, BGP over link-local), lost with the unload (a review).
  const addressed = [...new Set((routes6 ?? []).filter((r) => r.type === 'local' && r.table === 'local' && r.dev && (!/^fe[89ab]/i.test(String(r.dst)) || /^teql\d+$/.test(String(r.dev))) && r.dst !== '::1').map((r) => String(r.dev)))];
  return {
    routes: [...parseRoutes(allRoutes.filter((r) => r.table !== undefined && r.table !== 'main' && r.table !== 'local')), ...parseRoutes(own6, 'inet6')],
    ...(addressed.length > 0 ? { ipv6Addressed: addressed } : {}),
    neighbours: neighbours.filter((n) => n.dev && n.dst && n.lladdr).map(neighbourFact),
    ...(routes6 !== undefined ? { ipv6: true as const } : {}),
  };
}

// What `ip -j neigh show nud permanent` says of an entry that teqlctl puts back as it was.
const NEIGHBOUR_KEYS = new Set(['dst', 'dev', 'lladdr', 'state', 'router', 'protocol']);

/**
 * A permanent neighbour with what its re-add needs: its router flag and protocol (an IPv6 router's
 * entry came back without the flag, and the check, which compared neither, said it was as before:
 * a review). Any other flag (extern_learn, an EVPN daemon's) makes it unrestorable.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function neighbourFact(n: any): NeighbourFact {
  const other = Object.keys(n).filter((k) => !NEIGHBOUR_KEYS.has(k)).sort();
  return {
    dev: String(n.dev), address: String(n.dst), lladdr: String(n.lladdr),
    ...(n.router !== undefined ? { router: true as const } : {}),
    ...(n.protocol !== undefined ? { protocol: String(n.protocol) } : {}),
    ...(other.length > 0 ? { unrestorable: `it has ${other.join(', ')}, which teqlctl does not put back` } : {}),
  };
}

/** An IPv6 route or neighbour (the kernel flushes those with a link, not with its last IPv4 address). */
export const isIpv6 = (x: RouteFact | NeighbourFact): boolean => ('family' in x ? x.family === 'inet6' : 'address' in x && x.address.includes(':'));
