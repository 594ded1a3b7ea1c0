// A ping to one of the router's own addresses is answered by the router itself, over lo, whatever
// the links do: the check passes without crossing any of them. The planned facts hold such an
// address where the router already has the peer's end (an inventory with A and B swapped, a hand
// mistake): the wanted /31 was added beside it as a secondary, the peer's address answered every
// check locally, and the run said converged and verified (a review). Refused before any change.
import type { Facts } from '../gather/facts.js';
import { splitCidr } from '../router/ipv4.js';
import { conflict, type PlanContext } from './context.js';

/** Throws where `to`, a ping's target, is an address the router holds in the planned `facts`. */
export function refuseOwnAddressCheck(to: string, facts: Facts, ctx: PlanContext): void {
  const own = facts.addresses.find((a) => splitCidr(a.cidr).ip === to);
  if (!own) return;
  throw conflict(
    ctx,
    `ping ${to}: ${to} is this router's own address (${own.cidr} on ${own.dev}), which the router answers itself over lo: the check would pass without crossing any link`,
    own.dev === 'lo' ? "ping another router's address" : `where ${to} is the other router's, remove it here (ip addr del ${own.cidr} dev ${own.dev}) or fix the inventory's addresses (the two ends swapped?); ping the other router's addresses`,
  );
}
