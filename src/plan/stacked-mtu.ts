// Pure: the MTU the kernel gives a device stacked on a link (LinkFact.lower) when the link's MTU
// changes. A VLAN or a macvlan is capped at its lower's (lowered with it, never raised); an ipvlan
// takes its lower's whatever it was (ipvlan_device_event, NETDEV_CHANGEMTU): a review, 2026-12-05.
import type { LinkFact } from '../gather/facts.js';

export function stackedMtuAfter(upper: LinkFact, lowerMtu: number): number {
  return upper.kind === 'ipvlan' || upper.kind === 'ipvtap' ? lowerMtu : Math.min(upper.mtu, lowerMtu);
}
