// The equalizer a check's ping is meant to leave by. A ping that passes proves the bundle only if
// it went over the bundle: a more specific route (an old WAN path, a routing daemon's, a host route
// over one link), or a policy rule for the source (multi-WAN), sent it another way, and a broken
// equalizer verified (a review of routers' own managers). The check asks the kernel (`ip route
// get`) before it pings (verify/ping-script.ts).
import type { Facts, RouteFact } from '../gather/facts.js';
import { contains, parseIPv4, splitCidr } from '../router/ipv4.js';

const isEqualizer = (r: RouteFact) => r.dev !== undefined && /^teql\d+$/.test(r.dev);
const prefixOf = (r: RouteFact) => (r.to === 'default' ? 0 : splitCidr(r.to).prefix);

/**
 * The teqlN a check to `to` is meant for, with the slaves whose root qdisc is that teqlN in the
 * planned facts: teql sends a packet over a slave only where its next hop resolves there (sch_teql's
 * __teql_resolve skips the others), so a ping that passed proves every slave only if the next hop
 * resolved on each (a peer's arp_ignore on one link, and the bundle ran on the others alone, its
 * checks passing). The next hop is the kernel's, asked when the check runs. Undefined where no equalizer.
 */
export function plannedPath(facts: Facts, to: string): { egress: string; slaves: string[] } | undefined {
  const route = egressRoute(facts, to);
  if (!route) return undefined;
  const egress = route.dev!;
  return { egress, slaves: facts.rootQdiscs.filter((q) => q.kind === egress).map((q) => q.dev) };
}

/**
 * The route over an equalizer a check to `to` is meant for: where the planned main table's best
 * route (longest prefix, then lowest metric) is over an equalizer, or where a route over one covers
 * `to` (not a default route) and what the table would use instead is not a link's own subnet (a
 * per-link check's peer) but a route someone added. Undefined otherwise.
 */
function egressRoute(facts: Facts, to: string): RouteFact | undefined {
  if (parseIPv4(to) === undefined) return undefined;
  // A local address is reached over lo whatever the tables say.
  if (facts.addresses.some((a) => splitCidr(a.cidr).ip === to)) return undefined;
  const covering = facts.routes.filter((r) => r.family !== 'inet6' && (r.type === undefined || r.type === 'unicast') && (r.to === 'default' || contains(r.to, to)));
  const better = (a: RouteFact, b: RouteFact) => prefixOf(a) > prefixOf(b) || (prefixOf(a) === prefixOf(b) && a.metric < b.metric);
  const best = covering.reduce<RouteFact | undefined>((x, r) => (!x || better(r, x) ? r : x), undefined);
  if (!best) return undefined;
  if (isEqualizer(best)) return best;
  const bundle = covering.filter((r) => isEqualizer(r) && prefixOf(r) > 0).reduce<RouteFact | undefined>((x, r) => (!x || better(r, x) ? r : x), undefined);
  const ownSubnet = best.protocol === 'kernel' && best.scope === 'link';
  return bundle && !ownSubnet ? bundle : undefined;
}
