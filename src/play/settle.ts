// Rolls back the units (bundles) that failed since the last settle, and only them: a host all of
// whose bundles failed is rolled back wholly (rollback-all.ts), a hub that keeps a healthy bundle
// undoes the failed bundles' steps and keeps the rest (the shared ones included), then goes on.
import { runWithProgress } from '../ui/progress.js';
import { goesWith, lineBundles, opBundles } from '../plan/bundle-scope.js';
import { partialResidual } from '../rollback/partial.js';
import { isSameState, stateLines } from '../rollback/compare.js';
import { rollbackAll, touchedHosts } from './rollback-all.js';
import type { RunState } from './run-state.js';
import type { StepToUndo } from '../deadman/partial-undo-script.js';
import { recordAfterScript } from '../deadman/confirm-script.js';

export async function settle(run: RunState): Promise<void> {
  const units = run.domains.takeNew();
  if (units.length === 0) return;
  const hosts = touchedHosts(run, new Set(units.flatMap((u) => u.hosts)));
  const whole = hosts.filter((h) => !run.domains.alive(h));
  const partly = hosts.filter((h) => run.domains.alive(h));
  if (whole.length > 0) await rollbackAll(run, whole);
  if (partly.length > 0) await rollbackPartly(run, partly);
  for (const u of units) {
    const back = u.hosts.filter((h) => hosts.includes(h)).map((h) => run.reports.get(h)!);
    if (back.length > 0) run.unitRollback.set(u.name, back.every((r) => (whole.includes(r.host) ? r.rollback?.ok : r.partialRollback?.ok) === true));
  }
  // A hub that could not get back to "its healthy bundles only" is neither converged nor as it
  // was: all of its bundles fail, and it is rolled back wholly (its peers with it).
  for (const h of partly) {
    const p = run.reports.get(h)!.partialRollback;
    if (p && !p.ok) run.domains.failHost(h, { stage: 'rollback', message: `${h}: undoing ${p.bundles.join(', ')} alone left ${[...p.errors, ...p.residual.missing.map((m) => `missing: ${m}`), ...p.residual.extra.map((x) => `left over: ${x}`)].join('; ')}: rolled back wholly` });
  }
  await settle(run);
}

/** Undoes, on each hub, the steps of its failed bundles, and checks the router holds exactly the rest. */
async function rollbackPartly(run: RunState, hosts: readonly string[]): Promise<void> {
  await runWithProgress(run.opts.mode, hosts.map((h) => ({
    host: h,
    title: `${h}: roll back ${run.domains.failedOn(h).join(', ')}`,
    run: async (setTitle) => {
      const report = run.reports.get(h)!;
      const failed = run.domains.failed;
      const mine = run.domains.unitsOf(h);
      const scopes = run.domains.scopesOf(h);
      const bundles = run.domains.failedOn(h);
      const steps: StepToUndo[] = (run.journal.get(h) ?? [])
        .filter((e) => e.batch !== undefined && e.index !== undefined && goesWith(opBundles(e.op, scopes), failed, mine))
        .map((e) => ({ batch: e.batch!, index: e.index!, undo: e.undo }));
      const before = run.latest.get(h)!;
      try {
        const { undoErrors, after, decided } = await run.sessions.get(h)!.undoSome(run.runId, steps);
        const residual = partialResidual(run.snapshots.get(h)!, before, after, (line) => goesWith(lineBundles(line, scopes), failed, mine));
        const ok = decided === undefined && isSameState(residual);
        const errors = [...(decided !== undefined ? [`the run was already decided on the router (state: ${decided}): its bundles' steps were not undone by teqlctl`] : []), ...(ok ? [] : undoErrors)];
        report.partialRollback = { bundles, ok, residual, errors };
        run.latest.set(h, after);
        // Confirmed a moment ago (a peer's confirmation failed): what it keeps is what a later rollback compares against.
        if (ok && run.confirmed.has(h)) await run.sessions.get(h)!.transport.run('record-after', recordAfterScript(run.runId, [...stateLines(after)].sort().join('\n'))).then((r) => run.opts.log.record(h, r));
        if (!ok) throw new Error(`rollback of ${bundles.join(', ')} incomplete: ${[...errors, ...residual.missing.map((m) => `missing: ${m}`), ...residual.extra.map((x) => `left over: ${x}`)].join('; ')}`);
        setTitle(`${h}: rolled back ${bundles.join(', ')}, kept ${mine.filter((u) => !failed.has(u)).join(', ')}`);
      } catch (err) {
        if (!report.partialRollback) report.partialRollback = { bundles, ok: false, residual: { missing: [], extra: [] }, errors: [`cannot reach ${h} to roll back ${bundles.join(', ')} (${(err as Error).message}); its dead-man timer reverts the whole run there by itself within ${run.opts.confirmTimeoutSec} s of the first change unless it is confirmed`] };
        throw err;
      }
    },
  })), run.opts.forks);
}
