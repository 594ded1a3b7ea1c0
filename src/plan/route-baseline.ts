// The route a run replaced (the same prefix and metric: an operator's route to the peer's network
// over an old WAN gateway, moved onto the bundle) is recorded in the baseline, so that `state:
// absent` and the teardown put it back: they removed the run's and left the network unreachable,
// though the docs promise "as before teqlctl" (a review of undo fidelity, 2026-12-06). A route a
// run added where none was is recorded as `none`: a later run that changes it does not take the
// first run's route for the operator's.
import type { RouteFact } from '../gather/facts.js';
import type { PlannedStep } from './ops.js';

export const NO_ROUTE = 'none';

export function routeKey(route: Pick<RouteFact, 'to' | 'metric'>): string {
  return `route:${route.to}:${route.metric}`;
}

/** The step recording what was there before a route task's first change (`replaced`, or none), where the baseline holds nothing for it yet. */
export function recordRoute(want: RouteFact, replaced: RouteFact | undefined, baseline: Readonly<Record<string, string>> | undefined): PlannedStep | undefined {
  const key = routeKey(want);
  const old = baseline?.[key];
  // A kept record (a teardown put that route back) is written over: what this run replaces is what
  // was there before it, the operator's removal or change since included (a review).
  if (old !== undefined && !old.startsWith(KEPT_PREFIX)) return undefined;
  const value = replaced ? JSON.stringify(recordable(replaced)) : NO_ROUTE;
  return { op: { kind: 'baseline-set', key, value }, undo: [old === undefined ? { kind: 'baseline-unset', key } : { kind: 'baseline-set', key, value: old }] };
}

const TEXT_KEYS = ['via', 'dev', 'protocol', 'scope', 'type', 'src'] as const;

function recordable(r: RouteFact): RouteFact {
  const out: RouteFact = { to: r.to, metric: r.metric };
  for (const k of TEXT_KEYS) if (r[k] !== undefined) out[k] = r[k];
  if (r.onlink) out.onlink = true;
  return out;
}

/**
 * Where a `state: absent` task that names no gateway nor device put the recorded route back: its
 * record is kept, marked, so that the same task run again leaves it (with no record it would be
 * any route to that network, and go: a review). A task that names the route forgets it.
 */
export const KEPT_PREFIX = 'kept ';

/**
 * A recorded route: `none` (the run added it), the route (`kept`: put back by a task naming no
 * gateway), or undefined where the record is not one teqlctl wrote (it is then said, not guessed).
 */
export function parseRecordedRoute(value: string, key: string): { route?: RouteFact; kept?: true } | undefined {
  if (value === NO_ROUTE) return {};
  const kept = value.startsWith(KEPT_PREFIX);
  const route = parseRoute(kept ? value.slice(KEPT_PREFIX.length) : value, key);
  return route ? { route, ...(kept ? { kept: true as const } : {}) } : undefined;
}

function parseRoute(value: string, key: string): RouteFact | undefined {
  try {
    const v = JSON.parse(value) as Record<string, unknown>;
    if (typeof v.to !== 'string' || typeof v.metric !== 'number' || routeKey({ to: v.to, metric: v.metric }) !== key) return undefined;
    const out: RouteFact = { to: v.to, metric: v.metric };
    for (const k of TEXT_KEYS) {
      if (v[k] === undefined) continue;
      if (typeof v[k] !== 'string' || !/^\S+$/.test(v[k] as string)) return undefined;
      out[k] = v[k] as string;
    }
    if (v.onlink === true) out.onlink = true;
    return out;
  } catch {
    return undefined;
  }
}
