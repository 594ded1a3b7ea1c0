// The session's client inside a subnet a change would make connected on another device (an address
// added, or a link brought up with one): its replies would leave by that device.
import type { Facts } from '../gather/facts.js';
import { conflict, type PlanContext } from './context.js';
import { mainRoutesSession } from './session-table.js';
import { broadcastOf, contains, formatIPv4, parseIPv4, prefixLength, splitCidr } from '../router/ipv4.js';

/**
 * A new address on another device than the one carrying this SSH session, whose connected route
 * would be the kernel's best for the session's client (longest prefix, then lowest metric, among
 * the main table's routes): the session's replies would leave over that device, and the router be
 * lost until its dead-man reverted the run (a review: the wizard proposed a /31 holding the
 * operator's own 10.0.0.3, reached over a routed management network). Not where a more specific
 * route carries the session (a VPN's /32, a pinned host route). Nor for its gateway in that subnet:
 * a route's gateway stays resolved on the route's own device; the gateway's own address is refused
 * (the router would take it over).
 */
export function guardSessionSubnet(ctx: PlanContext, facts: Facts, dev: string, cidr: string, what = `adding ${cidr} to ${dev}`): void {
  const m = facts.management;
  if (!m || dev === m.dev) return;
  const ip = splitCidr(cidr).ip;
  if (m.via !== undefined && ip === m.via) {
    throw conflict(ctx, `${ip} is the gateway of this router's management session (from ${m.clientIp}, via ${m.via} over ${m.dev}): the router would take its gateway's address over`, `give ${dev} another address`);
  }
  if (!contains(cidr, m.clientIp)) return;
  const len = splitCidr(cidr).prefix;
  // The local table comes before any route of the main table, a pinned /32 too: the client's own
  // address, or its subnet's broadcast, would take the session to the router itself (a review).
  if (ip === m.clientIp || (len <= 30 && formatIPv4(broadcastOf({ ip: parseIPv4(ip) ?? 0, prefix: len })) === m.clientIp)) {
    throw conflict(ctx, `${what} would take this router's management session: ${m.clientIp}, the session's client, would be ${ip === m.clientIp ? 'an address of this router' : `the broadcast address of ${dev}'s subnet`}`, `give ${dev} an address out of another subnet, or manage this router from another address`);
  }
  // Its replies looked up in another table first (an out-of-band port's own): main's routes do not take them.
  if (!mainRoutesSession(m)) return;
  const best = facts.routes.filter((r) => r.table === undefined && r.family !== 'inet6' && (r.type === undefined || r.type === 'unicast') && contains(r.to, m.clientIp))
    .sort((a, b) => prefixLength(b.to) - prefixLength(a.to) || a.metric - b.metric)[0];
  // A route as specific (another device's same subnet) leaves it to the kernel's order: refused too.
  if (best && prefixLength(best.to) > len) return;
  throw conflict(ctx, `${what} would take this router's management session over ${dev}: its subnet holds the session's client, ${m.clientIp}, which it reaches over ${m.dev} now${best ? ` (by ${best.to === 'default' ? 'the default route' : best.to})` : ''}`, `give ${dev} an address out of another subnet, or manage this router from another address`);
}
