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
 * The teqlN a check to `to` is meant for: where the planned main table's best route (longest
 * prefix, then lowest metric) is over an equalizer, or where a route over one covers `to` (not a
 * default route) and what the table would use instead is not a link's own subnet (a per-link
 * check's peer) but a route someone added. Undefined otherwise.
 */
export function plannedEgress(facts: Facts, to: string): string | undefined {
  if (parseIPv4(to) === undefined) return undefined;
  // A local address is reached over lo whatever the tables say.
  if (facts.addresses.some((a) => splitCidr(a.cidr).ip === to)) return undefined;
  const covering = facts.routes.filter((r) => r.family !== 'inet6' && (r.type === undefined || r.type === 'unicast') && (r.to === 'default' || contains(r.to, to)));
  const better = (a: RouteFact, b: RouteFact) => prefixOf(a) > prefixOf(b) || (prefixOf(a) === prefixOf(b) && a.metric < b.metric);
  const best = covering.reduce<RouteFact | undefined>((x, r) => (!x || better(r, x) ? r : x), undefined);
  if (!best) return undefined;
  if (isEqualizer(best)) return best.dev;
  const bundle = covering.filter((r) => isEqualizer(r) && prefixOf(r) > 0).reduce<RouteFact | undefined>((x, r) => (!x || better(r, x) ? r : x), undefined);
  const ownSubnet = best.protocol === 'kernel' && best.scope === 'link';
  return bundle && !ownSubnet ? bundle.dev : undefined;
}
