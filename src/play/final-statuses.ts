// The hosts' statuses as the run ends, where the bundles tell more than the steps did.
import type { RunState } from './run-state.js';

export function finalStatuses(run: RunState): void {
  // A hub that undid its failed bundles and confirmed the others ends changed, not failed: what
  // failed is said by its bundles, its partial rollback and its error.
  for (const [h, r] of run.reports) if (r.status === 'failed' && r.partialRollback?.ok && run.confirmed.has(h)) r.status = 'changed';
  // A host never changed, every bundle of it failed through its peers: not run, not "ok". Never
  // read (a spoke of an unreachable hub: a review found five such spokes reported healthy in
  // --json), or read beside a hub whose own facts then failed (a second review: the same five).
  for (const [h, r] of run.reports) {
    const units = run.domains.unitsOf(h);
    if (r.status !== 'ok' || units.length === 0 || units.some((u) => !run.domains.failureOf(u))) continue;
    if ((run.journal.get(h) ?? []).length > 0 || run.sessions.get(h)?.armed) continue;
    // Read in a --check, which applies nothing anywhere: its "ok" is what it would be (a review).
    if (run.snapshots.has(h) && run.opts.check) continue;
    r.status = 'not run';
    r.error ??= `${run.snapshots.has(h) ? 'not applied' : 'not read'}: ${run.domains.failureOf(units[0]!)!.message}`;
  }
}
