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
  if (baseline?.[key] !== undefined) return undefined;
  const value = replaced ? JSON.stringify(recordable(replaced)) : NO_ROUTE;
  return { op: { kind: 'baseline-set', key, value }, undo: [{ kind: 'baseline-unset', key }] };
}

const TEXT_KEYS = ['via', 'dev', 'protocol', 'scope', 'type', 'src'] as const;

function recordable(r: RouteFact): RouteFact {
  const out: RouteFact = { to: r.to, metric: r.metric };
  for (const k of TEXT_KEYS) if (r[k] !== undefined) out[k] = r[k];
  if (r.onlink) out.onlink = true;
  return out;
}

/**
 * A recorded route: `none` (the run added it), the route, or undefined where the record is not one
 * teqlctl wrote (it is then said, not guessed).
 */
export function parseRecordedRoute(value: string, key: string): RouteFact | typeof NO_ROUTE | undefined {
  if (value === NO_ROUTE) return NO_ROUTE;
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
