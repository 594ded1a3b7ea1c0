// Rolls back the units (bundles) that failed since the last settle, and only them: a host all of
// whose bundles failed is rolled back wholly (rollback-all.ts), a hub that keeps a healthy bundle
// undoes the failed bundles' steps and keeps the rest (the shared ones included), then goes on.
import { runWithProgress } from '../ui/progress.js';
import { goesWith, lineBundles, opBundles } from '../plan/bundle-scope.js';
import { partialResidual, rpFilterRaises } from '../rollback/partial.js';
import type { Facts } from '../gather/facts.js';
import type { Change } from '../plan/types.js';
import type { Unit } from './failure-domains.js';
import { isSameState, stateLines } from '../rollback/compare.js';
import { rollbackAll, touchedHosts } from './rollback-all.js';
import type { RunState } from './run-state.js';
import type { StepToUndo } from '../deadman/partial-undo-script.js';
import { recordAfterScript } from '../deadman/confirm-script.js';

export async function settle(run: RunState): Promise<void> {
  const units = takeAll(run);
  if (units.length === 0) return;
  const hosts = touchedHosts(run, new Set(units.flatMap((u) => u.hosts)));
  const whole = hosts.filter((h) => !run.domains.alive(h));
  const partly = hosts.filter((h) => run.domains.alive(h));
  if (whole.length > 0) await rollbackAll(run, whole);
  if (partly.length > 0) await rollbackPartly(run, partly);
  // A hub that could not get back to "its healthy bundles only" is neither converged nor as it
  // was: all of its bundles fail, and it is rolled back wholly (its peers with it).
  for (const h of partly) {
    const p = run.reports.get(h)!.partialRollback;
    // The stage stays the one that failed the bundle: the whole rollback that follows may well succeed.
    if (p && !p.ok) run.domains.failHost(h, { stage: run.domains.failureOf(p.bundles[0]!)?.stage ?? 'rollback', message: `${h}: undoing ${p.bundles.join(', ')} alone left ${[...p.errors, ...p.residual.missing.map((m) => `missing: ${m}`), ...p.residual.extra.map((x) => `left over: ${x}`)].join('; ')}: rolled back wholly` });
  }
  await settle(run);
  // Judged once the escalations above are done: a host rolled back wholly after a failed partial
  // rollback is judged by its whole rollback.
  for (const u of units) {
    const back = u.hosts.filter((h) => hosts.includes(h)).map((h) => run.reports.get(h)!);
    if (back.length > 0) run.unitRollback.set(u.name, back.every((r) => (run.rolledBack.has(r.host) ? r.rollback?.ok : r.partialRollback?.ok) === true));
  }
}

/**
 * The units failed since the last settle. A hub that writes its boot configuration is not undone
 * in part (its boot files describe all of its bundles at once): it fails wholly, its peers with it.
 */
function takeAll(run: RunState): Unit[] {
  const out: Unit[] = [];
  for (let units = run.domains.takeNew(); units.length > 0; units = run.domains.takeNew()) {
    out.push(...units);
    for (const u of units) {
      const failure = run.domains.failureOf(u.name)!;
      for (const h of u.hosts) {
        // Changed or not yet: planned without the failed bundle, its boot files would drop it.
        if (!run.persists.has(h) || !run.domains.alive(h)) continue;
        run.domains.failHost(h, { stage: failure.stage, message: `${h}: writes its boot configuration, which describes all of its bundles: rolled back wholly with ${u.name} (${failure.message})` });
      }
    }
  }
  return out;
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
        // An earlier partial rollback's raise of a link's rp_filter stays: it keeps that link as it was.
        .filter((e) => e.batch !== undefined && e.index !== undefined && e.task !== RAISE_TASK && goesWith(opBundles(e.op, scopes), failed, mine))
        .map((e) => ({ batch: e.batch!, index: e.index!, undo: e.undo }));
      const before = run.latest.get(h)!;
      const goes = (line: string) => goesWith(lineBundles(line, scopes), failed, mine);
      let judged = false;
      try {
        const undone = await run.sessions.get(h)!.undoSome(run.runId, steps);
        const { undoErrors, decided } = undone;
        if (undoErrors.length > 0) run.opts.log.note(`${h}: partial rollback said: ${undoErrors.join('; ')}`);
        const after = undone.decided === undefined ? await raiseRpFilter(run, h, undone.after, goes) : undone.after;
        const residual = partialResidual(run.snapshots.get(h)!, before, after, goes);
        const ok = decided === undefined && isSameState(residual);
        const errors = [...(decided !== undefined ? [`the run was already decided on the router (state: ${decided}): its bundles' steps were not undone by teqlctl`] : []), ...(ok ? [] : undoErrors)];
        report.partialRollback = { bundles, ok, residual, errors };
        judged = true;
        run.latest.set(h, after);
        // Confirmed a moment ago (a peer's confirmation failed): what it keeps is what a later rollback compares against.
        if (ok && run.confirmed.has(h)) await run.sessions.get(h)!.transport.run('record-after', recordAfterScript(run.runId, [...stateLines(after)].sort().join('\n'))).then((r) => run.opts.log.record(h, r));
        if (!ok) throw new Error(`rollback of ${bundles.join(', ')} incomplete: ${[...errors, ...residual.missing.map((m) => `missing: ${m}`), ...residual.extra.map((x) => `left over: ${x}`)].join('; ')}`);
        setTitle(`${h}: rolled back ${bundles.join(', ')}, kept ${mine.filter((u) => !failed.has(u)).join(', ')}`);
      } catch (err) {
        // Always this attempt's outcome, never an earlier partial rollback's.
        if (!judged) report.partialRollback = { bundles, ok: false, residual: { missing: [], extra: [] }, errors: [`cannot reach ${h} to roll back ${bundles.join(', ')} (${(err as Error).message}); its dead-man timer reverts the whole run there by itself within ${run.opts.confirmTimeoutSec} s of the first change unless it is confirmed`] };
        throw err;
      }
    },
  })), run.opts.forks);
}

/**
 * conf.all.rp_filter, lowered for the kept bundles, stays low: the failed bundles' links, set back
 * to their own values, would filter less than before the run. They are raised to their old
 * effective value, as a journaled batch of the run (the dead-man and a rollback undo it too).
 */
async function raiseRpFilter(run: RunState, h: string, after: Facts, goes: (line: string) => boolean): Promise<Facts> {
  const raises = rpFilterRaises(run.snapshots.get(h)!, after, goes);
  if (raises.length === 0) return after;
  const changes: Change[] = raises.map((r) => ({
    action: '~', resource: `sysctl ${r.name}`, before: r.from, after: r.to, task: RAISE_TASK, pos: { file: '(teqlctl)', line: 1, col: 1 },
    reason: 'conf.all.rp_filter stays low for the kept bundles: this link of a rolled-back bundle keeps the filtering it had before the run',
    steps: [{ op: { kind: 'sysctl', name: r.name, value: r.to }, undo: [{ kind: 'sysctl', name: r.name, value: r.from }] }],
  }));
  const stage = run.sessions.get(h)!.apply(changes, { runId: run.runId, owner: run.opts.owner ?? 'teqlctl', timeoutSec: run.opts.confirmTimeoutSec }, after);
  try {
    const result = await stage.applied;
    run.journal.set(h, [...(run.journal.get(h) ?? []), ...result.entries]);
    // A run already confirmed here (a peer's confirmation failed after this hub's) takes no new
    // batch: the links cannot be raised under the journal, so the hub is rolled back wholly.
    const refused = result.armFailed ?? result.locked ?? result.error;
    if (refused) throw new Error(`raising rp_filter on ${raises.map((r) => r.name).join(', ')} back to what it was before the run failed (${refused})`);
    return result.after ?? after;
  } finally {
    stage.end();
  }
}

/** The task name of a partial rollback's rp_filter raise: never undone by a later partial rollback. */
const RAISE_TASK = 'partial rollback: rp_filter kept as before the run';
