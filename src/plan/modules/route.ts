// route: one route of the main table, matched on destination and metric.
import type { RouteArgs } from '../../load/types.js';
import type { Facts, RouteFact } from '../../gather/facts.js';
import { conflict, refuseUnrestorable, type ModuleResult, type PlanContext } from '../context.js';
import { simulateAll } from '../simulate.js';
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
  let steps: PlannedStep[];
  let action: Change['action'];
  let before = existing;

  if (args.state === 'absent') {
    // Only the route the task names: with another gateway or on another device it is not this one
    // (two routes to one network, on two devices, are both looked at).
    const named = facts.routes.find((r) => r.to === want.to && r.metric === want.metric && (!want.via || r.via === want.via) && (!want.dev || r.dev === want.dev));
    if (!named) return { changes: [], facts };
    refuseUnrestorable(ctx, named, 'removing it');
    if (facts.management && contains(named.to, facts.management.clientIp) && named.dev === facts.management.dev && mainRoutesSession(facts.management)) {
      throw conflict(ctx, `removing ${describe(named)} could cut this SSH session (from ${facts.management.clientIp})`);
    }
    steps = [{ op: { kind: 'route-del', route: named }, undo: [{ kind: 'route-add', route: named }] }];
    before = named;
    action = '-';
  } else {
    // A route teqlctl cannot read whole (multipath, an IPv6 gateway) is not taken for the one wanted.
    if (existing && !existing.unrestorable && !existing.type && (existing.via ?? '') === (want.via ?? '') && (!want.dev || existing.dev === want.dev)) return { changes: [], facts };
    if (cutsManagement(facts, want)) {
      throw conflict(
        ctx,
        `route ${describe(want)} would carry the traffic of this SSH session (from ${facts.management!.clientIp}, now via ${facts.management!.dev})`,
        'give it a higher metric or a narrower prefix, or manage the router over another path',
      );
    }
    if (existing?.protocol === 'kernel') {
      throw conflict(ctx, `${want.to} is the connected route of ${existing.dev}; a route task cannot replace it`);
    }
    if (existing) refuseUnrestorable(ctx, existing, 'replacing it');
    steps = existing
      ? [{ op: { kind: 'route-replace', route: want }, undo: [{ kind: 'route-replace', route: existing }] }]
      : [{ op: { kind: 'route-add', route: want }, undo: [{ kind: 'route-del', route: want }] }];
    action = existing ? '~' : '+';
  }
  return {
    changes: [{
      action,
      resource: `route ${want.to}${want.metric ? ` metric ${want.metric}` : ''}`,
      before: before ? describe(before) : null,
      after: action === '-' ? null : describe(want),
      steps,
      task: ctx.task,
      pos: ctx.pos,
    }],
    facts: simulateAll(facts, steps.map((s) => s.op)),
  };
}
