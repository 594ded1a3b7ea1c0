// A run's first apply on a router refused as stale (it changed since its facts were read, while the
// run waited for approval) prints what the router holds now, read under the lock
// (deadman/stale-check.ts). The host is planned again from that: where the plan is the same, step
// for step, the change was someone else's and elsewhere (a subscriber's session on a concentrator,
// an operator's address on another link) and the approved plan is sent again on the new facts;
// else the run is refused there as stale, saying what changed. A concentrator's sessions come and
// go all day: every run on one that waited for approval was refused before (2026-12-07).
import { TeqlError } from '../errors.js';
import type { Facts } from '../gather/facts.js';
import type { TaskInstance } from '../load/types.js';
import { planHost, type PlannedHost } from '../plan/plan-host.js';
import { planDifference, samePlan } from '../plan/same-plan.js';
import { diffState } from '../rollback/compare.js';
import { planScope } from './unit-failures.js';
import type { RunState } from './run-state.js';

/** How many times a first apply is sent again on new facts that plan the same, before the run is refused there. */
export const STALE_RETRIES = 3;

export type Replanned = { resend: true; changed: string } | { resend: false; changed: string; why?: string };

/**
 * Plans `h` again from `now` as the run planned it (its tasks, its failed bundles left out), its
 * first apply at phase `phase`. Sent again (`mayResend` and the same plan): `now` becomes the host's
 * facts and its snapshot (nothing of the run changed it yet), so that its undos and its rollback's
 * comparison start from what it holds. Else the run's state is left as it was.
 */
export function replanStale(run: RunState, tasks: readonly TaskInstance[], p: PlannedHost, h: string, now: Facts, phase: number, mayResend: boolean): Replanned {
  const changed = whatChanged(run.latest.get(h)!, now);
  const snapshot = run.snapshots.get(h);
  let again: PlannedHost | undefined;
  let why: string | undefined;
  try {
    // planScope's undo target (runBefore) is the snapshot: planned as it would be sent, from `now`.
    run.snapshots.set(h, now);
    again = planHost(h, [...tasks], now, planScope(run, h));
  } catch (err) {
    if (!(err instanceof TeqlError)) throw err;
    why = err.message.startsWith(`${h}: `) ? err.message.slice(h.length + 2) : err.message;
  } finally {
    if (snapshot) run.snapshots.set(h, snapshot);
    else run.snapshots.delete(h);
  }
  if (!again) return { resend: false, changed, ...(why ? { why: `planned again, refused: ${why}` } : {}) };
  if (!samePlan(p.plan, again.plan, phase)) return { resend: false, changed, why: `planned again, not the same plan (${planDifference(p.plan, again.plan, phase)})` };
  if (!mayResend) return { resend: false, changed };
  run.snapshots.set(h, now);
  run.latest.set(h, now);
  return { resend: true, changed };
}

/** What the router holds now that it did not, and the reverse, as the rollback says it: five at most. */
export function whatChanged(before: Facts, now: Facts): string {
  const d = diffState(before, now);
  const lines = [...d.extra.map((l) => `now also holds ${l}`), ...d.missing.map((l) => `no longer holds ${l}`)];
  if (lines.length === 0) return 'in what teqlctl reads beyond the links, addresses, routes, qdiscs, sysctls and files it lists';
  return lines.slice(0, 5).join('; ') + (lines.length > 5 ? `; and ${lines.length - 5} more` : '');
}
