// The equalizer a check's ping is planned to leave by. A ping that passes proves the bundle only
// if it went over the bundle: a more specific route (an old WAN path, a routing daemon's), or a
// policy rule for the source (multi-WAN), sent it another way, and a broken equalizer verified
// (a review of routers' own managers). The check asks the kernel (`ip route get`) before it pings.
import type { Facts } from '../gather/facts.js';
import { contains, parseIPv4, splitCidr } from '../router/ipv4.js';

/** The teqlN the planned main table sends `to` over (longest prefix, then lowest metric); undefined for any other device. */
export function plannedEgress(facts: Facts, to: string): string | undefined {
  if (parseIPv4(to) === undefined) return undefined;
  // A local address is reached over lo whatever the tables say.
  if (facts.addresses.some((a) => splitCidr(a.cidr).ip === to)) return undefined;
  let best: { prefix: number; metric: number; dev?: string } | undefined;
  for (const r of facts.routes) {
    if (r.family === 'inet6' || (r.type !== undefined && r.type !== 'unicast')) continue;
    const prefix = r.to === 'default' ? 0 : splitCidr(r.to).prefix;
    if (r.to !== 'default' && !contains(r.to, to)) continue;
    if (!best || prefix > best.prefix || (prefix === best.prefix && r.metric < best.metric)) best = { prefix, metric: r.metric, ...(r.dev ? { dev: r.dev } : {}) };
  }
  return best?.dev !== undefined && /^teql\d+$/.test(best.dev) ? best.dev : undefined;
}
