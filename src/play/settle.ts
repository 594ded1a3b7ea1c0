// Rolls back the units (bundles) that failed since the last settle, and only them: a host all of
// whose bundles failed is rolled back wholly (rollback-all.ts), a hub that keeps a healthy bundle
// undoes the failed bundles' steps and keeps the rest (the shared ones included), then goes on.
import { runWithProgress } from '../ui/progress.js';
import { changeBundles, goesWith, lineBundles, opBundles } from '../plan/bundle-scope.js';
import { partialResidual } from '../rollback/partial.js';
import { flushedDevices } from '../plan/simulate-routes.js';
import { RAISE_TASK, raiseRpFilter, rewriteBootFiles } from './partial-batches.js';
import type { Unit } from './failure-domains.js';
import { isSameState } from '../rollback/compare.js';
import { afterStateOf, hostRunScope, rollbackAll, touchedHosts } from './rollback-all.js';
import type { RunState } from './run-state.js';
import type { HostReport } from './report.js';
import type { StepToUndo } from '../deadman/partial-undo-script.js';
import { recordAfterScript } from '../deadman/confirm-script.js';
import { bootMention } from '../plan/persist/boot-presence.js';
import { planHost } from '../plan/plan-host.js';
import { peersOf } from './run-peers.js';

export async function settle(run: RunState): Promise<void> {
  const units = takeAll(run);
  if (units.length === 0) return;
  const hosts = touchedHosts(run, new Set(units.flatMap((u) => u.hosts)));
  // A router cut while it hung (its apply, its checks, its new connection: barrier-cut.ts) is
  // rolled back beside the run, started first: its rollback stops a hung apply first and may wait
  // on what held it, and the run's other routers have only the rest of their windows. So is any
  // router all of whose bundles failed while another router's window runs for a live bundle: its
  // link may die between its failure and its rollback (the rollback then waits out its keepalives),
  // and nothing of the others waits on it. Awaited before the run reports. Otherwise (a lone pair,
  // nothing else at stake) in the foreground, with its progress.
  const atStake = windowsAtStake(run);
  const beside = (h: string) => run.stalled.has(h) || atStake;
  const whole = hosts.filter((h) => !run.domains.alive(h) && !beside(h));
  const partly = hosts.filter((h) => run.domains.alive(h));
  const stalled = hosts.filter((h) => !run.domains.alive(h) && beside(h));
  // Its progress as plain lines (they interleave whole with the run's); none on a terminal, whose
  // redrawn list would be drawn over: the run's last wait shows it there (beside-wait.ts).
  const behind = stalled.length > 0 ? rollbackAll(run, stalled, run.opts.mode === 'tty' ? 'silent' : run.opts.mode) : undefined;
  if (behind) {
    const hung = stalled.filter((h) => run.stalled.has(h));
    const why = [...(hung.length > 0 ? [`${hung.join(', ')} cut: it hung`] : []), ...(hung.length < stalled.length ? ['the others\' windows run on'] : [])];
    run.opts.log.note(`rolling back ${stalled.join(', ')} beside the run (${why.join('; ')})`);
    run.background.push(behind);
  }
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
  // rollback is judged by its whole rollback. One whose whole rollback still runs beside the run
  // (this settle's, or an escalation's: a hub rolled back wholly while others' windows run) is
  // judged once the rollbacks beside the run ended (read now, it read as failed: exit 6, a review);
  // the others' is read now, before a later stage (a hub's whole rollback in flight, another
  // partial rollback) changes their reports.
  const judged = (r: HostReport) => (run.rolledBack.has(r.host) ? r.rollback?.ok : r.partialRollback?.ok) === true;
  for (const u of units) {
    const back = u.hosts.filter((h) => hosts.includes(h)).map((h) => run.reports.get(h)!);
    if (back.length === 0) continue;
    const pending = back.filter((r) => run.rolledBack.has(r.host) && r.rollback === undefined);
    const now = back.filter((r) => !pending.includes(r)).every(judged);
    if (pending.length > 0) {
      const beside = Promise.all([...run.background]);
      run.background.push(beside.then(() => run.unitRollback.set(u.name, now && pending.every(judged))));
    } else run.unitRollback.set(u.name, now);
  }
}

/** A live bundle one of whose routers is armed: a dead-man window runs that the run must not spend. */
function windowsAtStake(run: RunState): boolean {
  return run.domains.units.some((u) => !run.domains.failed.has(u.name) && u.hosts.some((h) => run.sessions.get(h)?.armed === true && !run.confirmed.has(h)));
}

/**
 * The units failed since the last settle. A hub that writes its boot configuration keeps its other
 * bundles when the failed ones were not in its boot files before the run (boot-presence.ts): its
 * boot files are then planned for the kept bundles alone; or when its end of a failed one was
 * converged before the run and the run touched none of it (one branch down while a run adds
 * another): that one stays as it was, in its boot files too (keptAsWas). Otherwise it fails wholly,
 * its peers with it.
 */
function takeAll(run: RunState): Unit[] {
  const out: Unit[] = [];
  for (let units = run.domains.takeNew(); units.length > 0; units = run.domains.takeNew()) {
    out.push(...units);
    for (const u of units) {
      const failure = run.domains.failureOf(u.name)!;
      for (const h of u.hosts) {
        if (!run.persists.has(h) || !run.domains.alive(h)) continue;
        const scopes = run.domains.scopesOf(h);
        const scope = scopes.find((s) => s.bundle === u.name);
        const snapshot = run.snapshots.get(h);
        const found = scope && snapshot ? bootMention(snapshot, scope, scopes.filter((s) => s !== scope)) : undefined;
        const why = !scope || !snapshot ? `its boot configuration before the run is not known` : found ? `its boot configuration before the run already brought back ${u.name} (${found.path} names ${found.word})` : undefined;
        if (!why) continue;
        if (untouchedEnd(run, h, u.name)) {
          run.keptAsWas.set(h, new Set([...(run.keptAsWas.get(h) ?? []), u.name]));
          run.opts.log.note(`${h}: ${u.name} failed; its end here was converged before the run and untouched by it: kept as it was, in its boot files too`);
          continue;
        }
        // --check says what a run would do (a preview that passed where the run fails would mislead).
        const fate = run.opts.check ? `a run would roll it back wholly with ${u.name}` : `rolled back wholly with ${u.name}`;
        run.domains.failHost(h, { stage: failure.stage, message: `${h}: ${why}, and its boot files describe all of its bundles at once: ${fate} (${failure.message})` });
      }
    }
  }
  return out;
}

/**
 * The hub's end of `unit` was converged before the run (its tasks of this play plan nothing of it
 * against the first facts) and the run applied none of it. Shared changes (conf.all, the boot files)
 * are not its own: a partial rollback judges them (partial.ts), and the boot plan refuses to keep a
 * bundle whose tasks would then plan something (plan-host.ts keepInBoot).
 */
function untouchedEnd(run: RunState, h: string, unit: string): boolean {
  const scopes = run.domains.scopesOf(h);
  const tasks = run.playTasks.get(h);
  const snapshot = run.snapshots.get(h);
  if (!tasks || !snapshot) return false;
  if ((run.journal.get(h) ?? []).some((e) => opBundles(e.op, scopes).includes(unit))) return false;
  try {
    return planHost(h, tasks, snapshot, { persistence: false }).plan.phases.every((p) => p.changes.every((c) => !changeBundles(c, scopes).includes(unit)));
  } catch {
    return false; // refused before the run: not known to be converged
  }
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
      const entries = [...(run.journal.get(h) ?? []), ...(run.skipped.get(h) ?? [])]
        // An earlier partial rollback's raise of a link's rp_filter stays: it keeps that link as it was.
        .filter((e) => e.batch !== undefined && e.index !== undefined && !('task' in e && e.task === RAISE_TASK) && goesWith(opBundles(e.op, scopes), failed, mine));
      const steps: StepToUndo[] = entries.map((e) => ({ batch: e.batch!, index: e.index!, undo: e.undo }));
      const before = run.latest.get(h)!;
      const goes = (line: string) => goesWith(lineBundles(line, scopes), failed, mine);
      let judged = false;
      // A change: a confirmation's connection opened before it is opened anew (confirm-all.ts).
      run.changedAfterFresh.add(h);
      try {
        const undone = await run.sessions.get(h)!.undoSome(run.runId, steps, run.opts.holds?.partialSec, peersOf(run, h, failed));
        const { undoErrors, decided } = undone;
        if (undoErrors.length > 0) run.opts.log.note(`${h}: partial rollback said: ${undoErrors.join('; ')}`);
        const raised = undone.decided === undefined ? await raiseRpFilter(run, h, undone.after, goes) : undone.after;
        const snapshot = run.snapshots.get(h)!;
        const residual = partialResidual(snapshot, before, raised, goes, flushedDevices(entries.map((e) => e.op), snapshot), hostRunScope(run, h));
        const undoneOk = decided === undefined && isSameState(residual);
        // Checked before: the boot files, shared, are then rewritten for the kept bundles.
        let after = raised;
        const bootErrors: string[] = [];
        if (undoneOk) after = await rewriteBootFiles(run, h, raised).catch((err: Error) => (bootErrors.push(err.message), raised));
        const ok = undoneOk && bootErrors.length === 0;
        const errors = [...(decided !== undefined ? [`${decidedWords(decided)}`] : []), ...(undoneOk ? [] : undoErrors), ...bootErrors];
        const undoneChanges = report.planned.filter((c) => goesWith(changeBundles(c, scopes), failed, mine)).length;
        report.partialRollback = { bundles, ok, residual, errors, undoneChanges };
        judged = true;
        run.latest.set(h, after);
        // Confirmed a moment ago (a peer's confirmation failed): what it keeps is what a later rollback compares against.
        if (ok && run.confirmed.has(h)) await run.sessions.get(h)!.transport.run('record-after', recordAfterScript(run.runId, afterStateOf(run, h, after))).then((r) => run.opts.log.record(h, r));
        if (!ok) throw new Error(`rollback of ${bundles.join(', ')} incomplete: ${[...errors, ...residual.missing.map((m) => `missing: ${m}`), ...residual.extra.map((x) => `left over: ${x}`)].join('; ')}`);
        setTitle(`${h}: rolled back ${bundles.join(', ')}, kept ${mine.filter((u) => !failed.has(u)).join(', ')}`);
      } catch (err) {
        // Always this attempt's outcome, never an earlier partial rollback's.
        // The host may be reachable (a confirmed run refuses a new batch): said as what failed, and
        // whether a dead-man still stands behind it.
        const timer = run.confirmed.has(h) ? 'it is confirmed already, so no dead-man timer reverts it' : `its dead-man timer reverts the whole run there by itself within ${run.opts.confirmTimeoutSec} s of the first change unless it is confirmed`;
        if (!judged) report.partialRollback = { bundles, ok: false, residual: { missing: [], extra: [] }, errors: [`rolling back ${bundles.join(', ')} on ${h} failed (${(err as Error).message}); ${timer}`] };
        throw err;
      }
    },
  })), run.opts.forks);
}

/** Why a partial rollback stopped short, from the state it found (partial-undo-script.ts). */
function decidedWords(state: string): string {
  if (state.endsWith(',lock-taken')) return 'its lock was taken meanwhile by another run (teqlctl unlock while this run waited for its peers): nothing more was undone beneath that run, and what is left STAYS CHANGED there; `teqlctl rollback` undoes it once that run ends';
  if (state === 'pending' || state === 'confirmed') return `the partial rollback was stopped there before it ended (state: ${state}): what it had not undone stays, its dead-man timer or \`teqlctl rollback\` undoes it`;
  return `the run was decided on the router before or during this partial rollback (state: ${state}): what it had not undone is left to that revert or rollback`;
}
