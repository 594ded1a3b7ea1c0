// The hosts' statuses as the run ends, where the bundles tell more than the steps did.
import type { RunState } from './run-state.js';

export function finalStatuses(run: RunState): void {
  // A hub that undid its failed bundles and confirmed the others ends changed, not failed: what
  // failed is said by its bundles, its partial rollback and its error.
  for (const [h, r] of run.reports) if (r.status === 'failed' && r.partialRollback?.ok && run.confirmed.has(h)) r.status = 'changed';
  // A host never read, every bundle of it failed through its peers (a spoke of an unreachable
  // hub): not run, not "ok" (a review found five such spokes reported healthy in --json).
  for (const [h, r] of run.reports) {
    const units = run.domains.unitsOf(h);
    if (r.status !== 'ok' || run.snapshots.has(h) || units.length === 0 || units.some((u) => !run.domains.failureOf(u))) continue;
    r.status = 'not run';
    r.error ??= `not read: ${run.domains.failureOf(units[0]!)!.message}`;
  }
}
