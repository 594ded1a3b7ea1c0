// Network 1 behind A and network 2 behind B: checks, and defaults read from the routers. Pure.
import type { Facts } from '../gather/facts.js';
import { checkNetworkCidr } from '../load/net.js';
import { overlaps, subnetOf } from './addressing.js';
import { ipOf, type Addressing } from './model.js';

/** A network prefix, not overlapping the link block or the other network. */
export function checkNetwork(text: string, taken: ReadonlyArray<{ what: string; cidr: string }>): string | undefined {
  const bad = checkNetworkCidr(text.trim());
  if (bad) return bad;
  if (text.trim().endsWith('/0')) return 'a /0 is every address: for "network 2 is the Internet" pick that choice instead';
  for (const t of taken) {
    if (overlaps(text.trim(), t.cidr)) return `${text.trim()} overlaps ${t.what} (${t.cidr})`;
  }
  return undefined;
}

/** The subnets the links and teql0 use, for checkNetwork's `taken`. */
export function linkSubnets(addressing: Addressing): Array<{ what: string; cidr: string }> {
  return [...addressing.links.map((p, i) => ({ what: `link ${i + 1}`, cidr: subnetOf(p.a) })), { what: 'teql0', cidr: subnetOf(addressing.teql.a) }];
}

/** The subnet of the router's first address outside the links, the management interface and lo. */
export function suggestNetwork(facts: Facts, exclude: readonly string[]): string | undefined {
  const skip = new Set([...exclude, 'lo', ...(facts.management ? [facts.management.dev] : [])]);
  const hit = facts.addresses.find((a) => !skip.has(a.dev) && !/^teql\d+$/.test(a.dev));
  return hit ? subnetOf(hit.cidr) : undefined;
}

/** An address the router itself holds inside `network` (the source of the end-to-end ping). */
export function addressIn(facts: Facts, network: string): string | undefined {
  const hit = facts.addresses.find((a) => overlaps(`${ipOf(a.cidr)}/32`, network));
  return hit ? ipOf(hit.cidr) : undefined;
}

/** A network that is already connected on the router (its route would be the kernel's, not ours). */
export function connectedOn(facts: Facts, network: string): string | undefined {
  return facts.addresses.find((a) => overlaps(a.cidr, network))?.dev;
}
