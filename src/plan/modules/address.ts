// address: one IPv4 address on one interface. Other addresses on an ordinary link are left alone;
// on an equalizer, an address of another subnet is a conflict (it would be routed over the bundle).
import type { AddressArgs } from '../../load/types.js';
import type { AddressFact, Facts, RouteFact } from '../../gather/facts.js';
import { conflict, flushedRoutesBack, guardManagement, guardSessionAddress, requireLink, routesThrough, type ModuleResult, type PlanContext } from '../context.js';
import { simulateAll } from '../simulate.js';
import { cidrNetwork, contains, splitCidr } from '../../router/ipv4.js';
import { guardSessionSubnet } from '../session-subnet.js';
import { addressAttrs } from '../../gather/address-fact.js';
import type { PlannedStep } from '../ops.js';
import { addressKey, parseRecorded, recordReplaced } from '../address-baseline.js';
import { forgetStep } from '../baseline.js';

/**
 * The removal of an address read from the router, undone by adding it back with every attribute
 * read (broadcast, label, scope, metric, peer, flags, lifetimes). One teqlctl could not set again
 * is refused: the undo would put back another address.
 */
function removal(ctx: PlanContext, gone: AddressFact): PlannedStep {
  if (gone.unrestorable) {
    throw conflict(ctx, `removing ${gone.cidr} from ${gone.dev} could not be undone exactly: ${gone.unrestorable}`, 'remove or change that address by hand first, or leave it as it is');
  }
  const attrs = addressAttrs(gone);
  return {
    op: { kind: 'addr-del', dev: gone.dev, cidr: gone.cidr, ...(gone.peer !== undefined ? { peer: gone.peer } : {}) },
    undo: [{ kind: 'addr-add', dev: gone.dev, cidr: gone.cidr, ...(attrs ? { attrs } : {}) }],
  };
}

/**
 * Refuses to delete an address that takes others with it: the routes that give it as their source,
 * and a primary's secondaries in its subnet (unless promote_secondaries is on). The kernel deletes
 * them with it, and the undo would put back the address alone.
 */
/** Routes as a message names them: the first five (a routing daemon's table may give the address to all its routes). */
function named(routes: readonly RouteFact[]): string {
  const shown = routes.slice(0, 5).map((r) => `${r.to}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}`).join(', ');
  return routes.length > 5 ? `${shown} and ${routes.length - 5} more` : shown;
}

function refuseLosingSecondaries(ctx: PlanContext, onDev: readonly AddressFact[], gone: AddressFact, facts: Facts, replaced = false): void {
  // Routes that give the address as their source go with it (the kernel flushes them), and its undo
  // puts back the address alone. The connected route comes back with the address by itself. Not
  // when it is replaced: the new prefix is added first, so the address stays on the router.
  const { ip: goneIp } = splitCidr(gone.cidr);
  const sourced = replaced ? [] : facts.routes.filter((r) => r.src === goneIp && r.protocol !== 'kernel');
  if (sourced.length > 0) {
    throw conflict(
      ctx,
      `removing ${gone.cidr} from ${gone.dev} would remove the route${sourced.length > 1 ? 's' : ''} that give${sourced.length > 1 ? '' : 's'} it as source (${named(sourced)}) with it, and the undo could not put them back`,
      'change those routes first (route tasks), or leave this address as it is',
    );
  }
  if (gone.secondary) return;
  const { prefix } = splitCidr(gone.cidr);
  const lost = onDev.filter((a) => a.secondary && splitCidr(a.cidr).prefix === prefix && cidrNetwork(a.cidr) === cidrNetwork(gone.cidr));
  if (lost.length === 0) return;
  throw conflict(
    ctx,
    `removing ${gone.cidr} from ${gone.dev} would remove its secondary address${lost.length > 1 ? 'es' : ''} ${lost.map((a) => a.cidr).join(', ')} with it (the kernel removes a primary address's secondaries unless net.ipv4.conf.${gone.dev}.promote_secondaries is 1), and the undo could not put them back`,
    'remove the secondary addresses first (address tasks with state: absent), or leave this address as it is',
  );
}

/**
 * The kernel adds a route through a gateway only where the link reaches it (an address's subnet,
 * a route without a gateway to it): when the undo gives the link back its addresses and adds the
 * flushed routes again, those are the `back` addresses alone. A route whose gateway none of them
 * reaches (one the kernel kept after its subnet went, a gateway of another address that an
 * earlier task removes) could not be added back: refused before any change (a review found
 * "Nexthop has invalid gateway" in such an undo, the route lost for good).
 */
function refuseUnreachableAfter(ctx: PlanContext, facts: Facts, dev: string, back: readonly AddressFact[]): void {
  const through = routesThrough(facts, dev, true);
  // A gateway is looked up in the route's own table, then in main (fib_check_nh): a device route of
  // another table reaches none of main's gateways (a review).
  const direct = (table: string | undefined) => through.filter((r) => !r.via && (r.table === undefined || r.table === table)).map((r) => r.to);
  const reaches = (a: AddressFact, via: string) => contains(cidrNetwork(a.cidr), via) || (a.peer !== undefined && contains(a.peer.includes('/') ? a.peer : `${a.peer}/32`, via));
  const lost = through.filter((r) => r.via && !r.onlink && !back.some((a) => reaches(a, r.via!)) && !direct(r.table).some((to) => contains(to, r.via!)));
  if (lost.length === 0) return;
  throw conflict(
    ctx,
    `removing ${dev}'s last IPv4 address flushes every route through it, and the undo could not add back ${lost.map((r) => `${r.to} via ${r.via}`).join(', ')}: ${lost.length > 1 ? 'their gateways are' : 'its gateway is'} in none of the subnets it gives back`,
    'remove or change those routes first (route tasks), or leave this address as it is',
  );
}

export function planAddress(args: AddressArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  const { ip } = splitCidr(args.address);
  const onDev = facts.addresses.filter((a) => a.dev === args.dev);
  const exact = onDev.find((a) => a.cidr === args.address);

  if (args.state === 'absent') {
    // The address a run replaced, recorded (address-baseline.ts): kept, or put back first.
    const key = addressKey(args.dev, ip);
    const value = facts.baseline?.[key];
    const recorded = value === undefined ? undefined : parseRecorded(value);
    if (value !== undefined && !recorded) throw conflict(ctx, `the baseline's record ${key} is not one teqlctl wrote: ${value}`, 'remove that line from /var/lib/teqlctl/baseline by hand');
    // The recorded address itself stays (an inventory changed back to it): only its record goes.
    const present = onDev.filter((a) => a.cidr === args.address && a.cidr !== recorded?.cidr);
    const back = recorded && !onDev.some((a) => a.cidr === recorded.cidr) ? recorded : undefined;
    if (present.length === 0 && !recorded) return { changes: [], facts };
    guardManagement(ctx, facts, args.dev, `removing ${args.address}`);
    // Not where the recorded address goes back first: the same IP, another prefix (a review).
    if (!back && present.some((a) => a.cidr.split('/')[0] === facts.management?.serverIp)) guardSessionAddress(ctx, facts, args.dev, `removing ${args.address}`);
    for (const a of present) refuseLosingSecondaries(ctx, onDev, a, facts);
    // Its undo names the peer, as removal()'s op does: without it the kernel finds no such address
    // (ip addr del 10.0.0.4/32: Address not found), and a failed teardown left both (a review).
    const restore: PlannedStep[] = back ? [{ op: { kind: 'addr-add', dev: args.dev, cidr: back.cidr, ...(back.attrs ? { attrs: back.attrs } : {}) }, undo: [{ kind: 'addr-del', dev: args.dev, cidr: back.cidr, ...(back.attrs?.peer !== undefined ? { peer: back.attrs.peer } : {}) }] }] : [];
    const removals = present.map((a) => removal(ctx, a));
    // The link's last IPv4 address: the kernel flushes every route through the link with it
    // (fib_disable_ip), so the undo adds the main table's back once the address is back (found by
    // a review in a network namespace, 2026-12-05). Not where another stays or the recorded one comes first.
    if (removals.length > 0 && onDev.length === present.length && !back) {
      refuseUnreachableAfter(ctx, facts, args.dev, present);
      const last = removals[removals.length - 1]!;
      removals[removals.length - 1] = { ...last, undo: [...last.undo, ...flushedRoutesBack(facts, args.dev, ctx, `removing ${args.dev}'s last IPv4 address, which flushes the routes through it`, true)] };
    }
    const steps = [...restore, ...removals, ...(value !== undefined ? [forgetStep(key, value)] : [])];
    const action = present.length > 0 ? (back ? '~' : '-') : back ? '+' : '~';
    const before = present.map((a) => a.cidr).join(', ') || (back ? null : recorded?.cidr ?? null);
    return {
      changes: [{ action, resource: `address ${args.address} on ${args.dev}`, before, after: recorded ? `${recorded.cidr} (as before teqlctl)` : null, steps, ...(recorded ? { restoresBaseline: true as const } : {}), task: ctx.task, pos: ctx.pos }],
      facts: simulateAll(facts, steps.map((s) => s.op)),
    };
  }

  if (exact) return { changes: [], facts };
  requireLink(ctx, facts, args.dev);
  const elsewhere = facts.addresses.find((a) => a.dev !== args.dev && splitCidr(a.cidr).ip === ip);
  if (elsewhere) {
    throw conflict(ctx, `${ip} is already on ${elsewhere.dev} (${elsewhere.cidr})`, `remove it from ${elsewhere.dev} first, or fix the address in the inventory`);
  }
  if (/^teql\d+$/.test(args.dev)) {
    const foreign = onDev.filter((a) => cidrNetwork(a.cidr) !== cidrNetwork(args.address) && splitCidr(a.cidr).ip !== ip);
    if (foreign.length > 0) {
      throw conflict(ctx, `${args.dev} already holds ${foreign.map((a) => a.cidr).join(', ')}, of another subnet than ${args.address}`, `remove it with an address task (state: absent) if it is no longer wanted`);
    }
  }
  guardManagement(ctx, facts, args.dev, `adding ${args.address}`);
  guardSessionSubnet(ctx, facts, args.dev, args.address);
  // Same address with another prefix: replace it. The new one is added first, then the old one
  // deleted (the kernel holds both, of different masks), and the undo the other way round: the
  // link never loses its last IPv4 address, which would flush every route through it, in every
  // table, and its permanent neighbours (a review found a slave's default route gone for good).
  const samePrefixless = onDev.find((a) => splitCidr(a.cidr).ip === ip);
  if (samePrefixless) refuseLosingSecondaries(ctx, onDev, samePrefixless, facts, true);
  // On a link without an IPv4 address (the chapter's bare slaves), the undo's delete leaves it
  // without one again, and the kernel flushes what goes through it (a device route of the main or
  // a policy table, a static ARP entry): put back after it (a review, 2026-12-05).
  const bare = onDev.length === 0 ? flushedRoutesBack(facts, args.dev, ctx, `the undo of ${args.address} on ${args.dev}, which leaves it without an IPv4 address and flushes the routes through it`, true) : [];
  const add: PlannedStep = { op: { kind: 'addr-add', dev: args.dev, cidr: args.address }, undo: [{ kind: 'addr-del', dev: args.dev, cidr: args.address }, ...bare] };
  const record = samePrefixless && recordReplaced(samePrefixless, facts.baseline);
  const steps = samePrefixless ? [...(record ? [record] : []), add, removal(ctx, samePrefixless)] : [add];
  return {
    changes: [{
      action: samePrefixless ? '~' : '+',
      resource: `address ${ip} on ${args.dev}`,
      before: samePrefixless?.cidr ?? null,
      after: args.address,
      steps,
      ...(splitCidr(args.address).prefix === 31 ? { reason: 'a /31 is a point-to-point pair (RFC 3021): both addresses are usable hosts' } : {}),
      task: ctx.task,
      pos: ctx.pos,
    }],
    facts: simulateAll(facts, steps.map((s) => s.op)),
  };
}

