// route: one route of the main table, matched on destination and metric.
import type { RouteArgs } from '../../load/types.js';
import type { Facts, RouteFact } from '../../gather/facts.js';
import { conflict, refuseUnrestorable, requireLink, type ModuleResult, type PlanContext } from '../context.js';
import { KEPT_PREFIX, parseRecordedRoute, recordRoute, routeKey } from '../route-baseline.js';
import { forgetStep } from '../baseline.js';
import { simulateAll } from '../simulate.js';
import { gatewayDevice } from '../simulate-routes.js';
import { mainRoutesSession } from '../session-table.js';
import { contains, prefixLength } from '../../router/ipv4.js';
import type { Change } from '../types.js';
import type { PlannedStep } from '../ops.js';

function describe(r: RouteFact): string {
  return [r.to, r.via ? `via ${r.via}` : '', r.dev ? `dev ${r.dev}` : '', r.metric ? `metric ${r.metric}` : ''].filter(Boolean).join(' ');
}

/** Would this route take over the path of the SSH session? Longest prefix wins, then lowest metric. */
function cutsManagement(facts: Facts, want: RouteFact): boolean {
  const m = facts.management;
  if (!m || !contains(want.to, m.clientIp) || !mainRoutesSession(m)) return false;
  if (want.dev === m.dev && (want.via ?? '') === (m.via ?? '')) return false;
  // The session's own gateway named without a device (teql.yml's form): the kernel resolves it over
  // the device it reaches it by now, the session's (refused before: the same path taken for a new one).
  if (want.dev === undefined && want.via !== undefined && want.via === m.via) return false;
  const covering = facts.routes.filter((r) => contains(r.to, m.clientIp));
  const best = covering.sort((a, b) => prefixLength(b.to) - prefixLength(a.to) || a.metric - b.metric)[0];
  if (!best) return true;
  const len = prefixLength(want.to);
  const bestLen = prefixLength(best.to);
  return len > bestLen || (len === bestLen && want.metric <= best.metric);
}

export function planRoute(args: RouteArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  // The kernel says `default` for 0.0.0.0/0: written either way, it is the same route.
  const to = args.to === '0.0.0.0/0' ? 'default' : args.to;
  const want: RouteFact = { to, metric: args.metric ?? 0, ...(args.via ? { via: args.via } : {}), ...(args.dev ? { dev: args.dev } : {}) };
  const existing = facts.routes.find((r) => r.to === want.to && r.metric === want.metric);

  if (args.state === 'absent') return planRouteAbsent(want, facts, ctx);
  // Its device, as the other tasks' (a typo failed only at apply, after the dead-man was armed; an
  // altname never converged: a review). An absent route's device may be gone already.
  if (args.dev !== undefined) requireLink(ctx, facts, args.dev);
  // The device the kernel reaches the gateway by: a route through the same gateway pinned to
  // another link (`dev eth1 onlink`) is not the one wanted, which goes where the gateway is (a
  // review found it taken as done, the bundle never carrying the traffic).
  const hop = want.via === undefined ? undefined : gatewayDevice(facts, want.via, want.dev);
  // A route teqlctl cannot read whole (multipath, an IPv6 gateway) is not taken for the one wanted.
  if (existing && !existing.unrestorable && !existing.type && (existing.via ?? '') === (want.via ?? '') && existing.dev === (want.dev ?? hop ?? existing.dev)) return { changes: [], facts };
  if (want.via !== undefined && hop === undefined) throw unreachableGateway(ctx, facts, want.via, want.dev);
  if (cutsManagement(facts, want)) throw sessionConflict(ctx, facts, want);
  if (existing?.protocol === 'kernel') {
    throw conflict(ctx, `${want.to} is the connected route of ${existing.dev}; a route task cannot replace it`);
  }
  if (existing) refuseUnrestorable(ctx, existing, 'replacing it');
  // What was there before the first change, for `state: absent` (route-baseline.ts).
  const record = recordRoute(want, existing, facts.baseline);
  const steps: PlannedStep[] = [...(record ? [record] : []), existing
    ? { op: { kind: 'route-replace', route: want }, undo: [{ kind: 'route-replace', route: existing }] }
    : { op: { kind: 'route-add', route: want }, undo: [{ kind: 'route-del', route: want }] }];
  return result(ctx, facts, want, existing ? '~' : '+', existing, steps);
}

/**
 * A gateway no link's subnet holds once the tasks before ran: the kernel refuses the route
 * (Nexthop has invalid gateway), after the dead-man was armed, at every run (an address there
 * with noprefixroute, which adds no route to its subnet: a review). Refused before any change.
 */
function unreachableGateway(ctx: PlanContext, facts: Facts, via: string, dev?: string) {
  const bare = facts.addresses.find((a) => a.flags?.includes('noprefixroute') && (dev === undefined || a.dev === dev) && contains(a.cidr, via));
  const why = bare ? `: ${bare.cidr} on ${bare.dev} is there with noprefixroute, which adds no route to its subnet` : '';
  return conflict(ctx, `gateway ${via} is on no subnet of ${dev ?? 'any link'} here once the tasks before this one ran${why}: the kernel would refuse the route (Nexthop has invalid gateway)`, bare ? `put ${bare.cidr} back on ${bare.dev} without noprefixroute (ip addr del, then add)` : `give ${dev ?? 'a link'} an address in ${via}'s subnet in a task before this one`);
}

function sessionConflict(ctx: PlanContext, facts: Facts, want: RouteFact) {
  return conflict(
    ctx,
    `route ${describe(want)} would carry the traffic of this SSH session (from ${facts.management!.clientIp}, now via ${facts.management!.dev})`,
    'give it a higher metric or a narrower prefix, or manage the router over another path',
  );
}

function sameRoute(a: RouteFact, b: RouteFact): boolean {
  return a.to === b.to && a.metric === b.metric && (a.via ?? '') === (b.via ?? '') && (a.dev === undefined || b.dev === undefined || a.dev === b.dev) && (a.type ?? '') === (b.type ?? '');
}

/**
 * Removes the route the task names, and puts back the one a run replaced (recorded in the
 * baseline), in one `ip route replace` where both are there: the network is never without a route.
 */
function planRouteAbsent(want: RouteFact, facts: Facts, ctx: PlanContext): ModuleResult {
  const key = routeKey(want);
  const value = facts.baseline?.[key];
  const recorded = value === undefined ? undefined : parseRecordedRoute(value, key);
  if (value !== undefined && recorded === undefined) throw conflict(ctx, `the baseline's record ${key} is not one teqlctl wrote: ${value}`, 'remove that line from /var/lib/teqlctl/baseline by hand');
  const original = recorded?.route;
  // Only the route the task names: with another gateway or on another device it is not this one
  // (two routes to one network, on two devices, are both looked at). The recorded route itself
  // stays (an inventory changed back to it): only its record goes.
  const named = facts.routes.find((r) => r.to === want.to && r.metric === want.metric && (!want.via || r.via === want.via) && (!want.dev || r.dev === want.dev));
  const remove = named && !(original && sameRoute(named, original)) ? named : undefined;
  const gone = original !== undefined && !facts.routes.some((r) => sameRoute(r, original));
  // Put back where it is gone, but not over an operator's removal after a teardown that put it back (a kept record).
  const back = gone && !(recorded?.kept && !remove) ? original : undefined;
  // The record after the task: kept, marked, where a task naming no gateway nor device leaves the
  // recorded route in place (route-baseline.ts); forgotten otherwise.
  const stays = original !== undefined && (back !== undefined || !gone);
  const next = value !== undefined && stays && want.via === undefined && want.dev === undefined ? `${KEPT_PREFIX}${JSON.stringify(original)}` : undefined;
  if (!remove && !back && next === value) return { changes: [], facts };
  const other = !remove && back && facts.routes.find((r) => r.to === want.to && r.metric === want.metric);
  if (other) throw conflict(ctx, `the route to ${want.to} is now ${describe(other)}: neither the one this task names nor the one recorded before teqlctl (${describe(back)})`, 'put back or remove that route by hand, or name its gateway in the task (via)');
  const m = facts.management;
  if (remove) {
    refuseUnrestorable(ctx, remove, 'removing it');
    const kept = back && m && back.dev === m.dev && (back.via ?? '') === (m.via ?? '');
    if (m && contains(remove.to, m.clientIp) && remove.dev === m.dev && mainRoutesSession(m) && !kept) {
      throw conflict(ctx, `removing ${describe(remove)} could cut this SSH session (from ${m.clientIp})`);
    }
  } else if (back && cutsManagement(facts, back)) throw sessionConflict(ctx, facts, back);
  const record: PlannedStep[] = value === undefined || next === value ? [] : next !== undefined ? [{ op: { kind: 'baseline-set', key, value: next }, undo: [{ kind: 'baseline-set', key, value }] }] : [forgetStep(key, value)];
  const steps: PlannedStep[] = [
    ...(remove && back ? [{ op: { kind: 'route-replace', route: back }, undo: [{ kind: 'route-replace', route: remove }] } as PlannedStep] : []),
    ...(remove && !back ? [{ op: { kind: 'route-del', route: remove }, undo: [{ kind: 'route-add', route: remove }] } as PlannedStep] : []),
    ...(!remove && back ? [{ op: { kind: 'route-add', route: back }, undo: [{ kind: 'route-del', route: back }] } as PlannedStep] : []),
    ...record,
  ];
  const action = remove ? (back ? '~' : '-') : back ? '+' : '~';
  return result(ctx, facts, want, action, remove ?? null, steps, back, value !== undefined);
}

function result(ctx: PlanContext, facts: Facts, want: RouteFact, action: Change['action'], before: RouteFact | null | undefined, steps: PlannedStep[], back?: RouteFact, restores = false): ModuleResult {
  const after = back ? `${describe(back)} (as before teqlctl)` : action === '-' || restores ? null : describe(want);
  return {
    changes: [{
      action,
      resource: `route ${want.to}${want.metric ? ` metric ${want.metric}` : ''}`,
      before: before ? describe(before) : null,
      after,
      steps,
      ...(restores ? { restoresBaseline: true as const } : {}),
      task: ctx.task,
      pos: ctx.pos,
    }],
    facts: simulateAll(facts, steps.map((s) => s.op)),
  };
}
