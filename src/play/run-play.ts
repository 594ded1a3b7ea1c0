// The flow of a run: connect -> gather -> plan -> show -> apply -> verify -> confirm (or roll back)
// -> report. Everything that decides is in plan/; this file only sequences round trips across hosts.
import { ConnectError, ExitCode, RunFailure, TeqlError } from '../errors.js';
import type { LoadedRun } from '../load/types.js';
import { alignBootPhases } from '../plan/plan-host.js';
import { applyAndVerify } from './apply-and-verify.js';
import { holdFor } from './interruptible.js';
import { changeCount } from '../plan/types.js';
import { heldSelectors, sysctlNames } from '../plan/facts-needed.js';
import { runWithProgress } from '../ui/progress.js';
import { rollbackAll, touchedHosts } from './rollback-all.js';
import { waitBeside } from './beside-wait.js';
import { FailureDomains } from './failure-domains.js';
import { looseOfRun } from './loose-units.js';
import { failUnits, type HostFailure } from './unit-failures.js';
import { replanKept } from './plan-narrowing.js';
import { settle } from './settle.js';
import { wavesNote, wavesOf } from './waves-note.js';
import { refusalMessage } from './approval-deadline.js';
import { bundleReports, outcome } from './outcome.js';
import { runInBatches } from './run-batches.js';
import { newRunId } from './run-id.js';
import { confirmAll, confirmDeadline } from './confirm-all.js';
import { HostSession } from './host-session.js';
import { earlyChecksEnded, endEarlyChecks } from './early-checks.js';
import { gatherAndPlan } from './gather-and-plan.js';
import { finalStatuses } from './final-statuses.js';
import { renderOp } from '../apply/render-op.js';
import type { HostReport, RunReport } from './report.js';
import type { PlayOptions, RunState } from './run-state.js';

export type { PlayOptions } from './run-state.js';

/** A run: batch by batch when a play sets `serial:` (run-batches.ts), else all of its sites at once. */
export async function runPlay(loaded: LoadedRun, opts: PlayOptions): Promise<RunReport> {
  return loaded.plays.some((p) => p.serial) ? runInBatches(loaded, opts, runOnce) : runOnce(loaded, opts);
}

async function runOnce(loaded: LoadedRun, opts: PlayOptions): Promise<RunReport> {
  const names = [...new Set(loaded.plays.flatMap((p) => p.hosts))];
  const run: RunState = {
    runId: opts.runId ?? newRunId(),
    opts,
    specs: new Map(names.map((h) => [h, loaded.inventory.hosts.get(h)!.connection])),
    sessions: new Map(),
    snapshots: new Map(),
    latest: new Map(),
    checkedAfter: new Map(),
    journal: new Map(),
    skipped: new Map(),
    reports: new Map<string, HostReport>(names.map((h) => [h, { host: h, status: 'ok', planned: [], applied: 0, checks: [] }])),
    confirmStats: new Map(),
    fresh: new Map(),
    changedAfterFresh: new Set(),
    confirmed: new Set(),
    confirmUnanswered: new Set(),
    checkBusy: new Set(),
    domains: new FailureDomains(loaded.bundles, names, loaded.selectedBundles, looseOfRun(loaded)),
    rolledBack: new Set(),
    persists: new Set(loaded.plays.flatMap((p) => [...p.tasks].filter(([, ts]) => ts.some((t) => t.persist)).map(([h]) => h))),
    bootTasks: new Map(),
    playTasks: new Map(),
    laterPlays: loaded.plays.length > 1,
    keptAsWas: new Map(),
    unitRollback: new Map(),
    early: new Map(),
    earlyFrom: 0,
    earlyEnding: [],
    stalled: new Set(),
    background: [],
  };
  const report = (exitCode: number, summary: string, bundles = bundleReports(run)): RunReport => {
    for (const [h, s] of run.sessions) {
      const c = run.confirmStats.get(h);
      const t = s.transport.stats;
      // Both connections count: the run's own and the confirmation's.
      run.reports.get(h)!.stats = c
        ? { roundTrips: t.roundTrips + c.roundTrips, bytesSent: t.bytesSent + c.bytesSent, bytesReceived: t.bytesReceived + c.bytesReceived, connections: 2 }
        : { ...t, connections: 1 };
    }
    finalStatuses(run);
    for (const [h, entries] of run.journal) {
      run.reports.get(h)!.journal = entries.map((e) => ({ command: e.command, code: e.code, undo: e.undo.map((op) => renderOp(op)) }));
    }
    return { runId: run.runId, exitCode, check: opts.check, hosts: [...run.reports.values()], bundles, summary, ...(opts.log.file ? { logFile: opts.log.file } : {}) };
  };
  opts.log.note(`run ${run.runId} started: ${loaded.playbookFile} on ${names.join(', ')}${opts.check ? ' (check mode)' : ''}`);
  // A batch of `serial:` starts undecided, whatever the batch before it became.
  opts.onPhase?.(false);
  let decided = false;
  try {
    await connectAll(run, loaded, names);
    // The apply waves of the run so far (the first play's timers run until the last play is confirmed), said once.
    let [waves, noted] = [0, false];
    for (const [n, play] of loaded.plays.entries()) {
      run.playTasks = play.tasks;
      run.laterPlays = n < loaded.plays.length - 1;
      let live = await gatherAndPlan(run, play.hosts.filter((h) => run.domains.alive(h)), play.tasks);
      // A host refused or unreadable: its bundles end here (and, from an earlier play, are rolled
      // back); a hub that keeps one as it was is planned again with it in its boot files.
      for (let failed = -1; failed !== run.domains.failed.size; live = alignBootPhases(replanKept(run, play.tasks, live))) {
        failed = run.domains.failed.size;
        await settle(run);
      }
      for (const p of live) run.reports.get(p.plan.host)!.planned.push(...p.plan.phases.flatMap((ph) => ph.changes));
      const total = live.reduce((k, p) => k + changeCount(p.plan), 0);
      // The pings started with the facts stand for a play that changes nothing, on no host, and
      // only while no router changed since (a rollback of settle's: see checksWithoutApply).
      if (total > 0) endEarlyChecks(run);
      if (live.length === 0) continue;
      opts.showPlan(live.map((p) => p.plan));
      waves += wavesOf(live.map((p) => p.plan), opts.forks);
      const note = noted ? undefined : wavesNote(waves, opts.forks, opts.confirmTimeoutSec, n + 1);
      if (note) {
        noted = true;
        opts.log.note(note);
        opts.note?.(note);
      }
      if (opts.check) {
        for (const p of live) {
          run.reports.get(p.plan.host)!.status = 'checked';
          run.checkedAfter.set(p.plan.host, p.expected);
        }
        // A signal stops a check too (exit 130), as it stops a check's `serial:` batches: it said
        // "stopping" and went on through every play to exit 9 or 0 (a review).
        if (opts.interrupted()) throw new RunFailure('interrupted', 'interrupted (check mode: nothing was changed)');
        continue;
      }
      await holdFor('approve', opts.holds?.approveSec, opts);
      if (opts.interrupted()) throw new RunFailure('interrupted', 'interrupted before applying');
      const deadline = confirmDeadline(run);
      const answer = total > 0 ? await opts.approve(live.map((p) => p.plan), deadline) : true;
      if (answer !== true) throw new RunFailure('refused', refusalMessage(answer, deadline));
      await applyAndVerify(run, play.tasks, live, n === loaded.plays.length - 1);
      endEarlyChecks(run);
    }
    if (!opts.check) {
      await holdFor('confirm', opts.holds?.confirmSec, opts);
      // Decided once every router still standing is confirmed, before their locks are freed (confirm-all.ts).
      const decide = () => {
        if (decided) return;
        decided = true;
        opts.onPhase?.(true, run.background.length > 0);
      };
      await confirmAll(run, decide);
      decide();
    }
    await waitBeside(run);
    const end = outcome(run, opts.check ? 'check mode: nothing was changed' : 'converged and verified');
    if (run.domains.anyFailed) opts.log.note(`run ended: ${end.summary}`);
    return report(end.exitCode, end.summary, end.bundles);
  } catch (err) {
    // A signal, a refused approval: every bundle still standing ends here, rolled back if it changed.
    const failure = toFailure(err, opts.log);
    // Decided (every router still standing confirmed, its lock freed): a bug in what follows (the
    // report, the last wait) undoes nothing: each router stays as the recap says (a review found
    // confirmed routers rolled back without their locks).
    if (decided) return await afterDecided(run, failure, report);
    for (const u of run.domains.units) run.domains.fail(u.name, { stage: failure.stage, message: failure.message });
    run.domains.takeNew();
    const hosts = touchedHosts(run);
    if (hosts.length === 0 && run.unitRollback.size === 0 && run.background.length === 0) {
      opts.log.note(`run ended without changing anything: ${failure.message}`);
      return report(failure.exitCode, failure.message + (opts.check ? '' : '; nothing was changed'));
    }
    // Beside a stalled router's rollback (settle.ts), not after it: the others' windows run on.
    const [undone] = await Promise.all([rollbackAll(run, hosts), Promise.all(run.background)]);
    const ok = undone && [...run.unitRollback.values()].every(Boolean);
    for (const u of run.domains.units) if (!run.unitRollback.has(u.name) && u.hosts.some((h) => hosts.includes(h))) run.unitRollback.set(u.name, u.hosts.every((h) => !hosts.includes(h) || run.reports.get(h)!.rollback?.ok === true));
    return report(
      ok ? failure.exitCode : ExitCode.rollbackIncomplete,
      ok ? `${failure.message}; every host was rolled back to its state before the run` : `${failure.message}; ROLLBACK INCOMPLETE, see the residual differences above`,
    );
  } finally {
    endEarlyChecks(run);
    await earlyChecksEnded(run);
    // The confirmation's connections too: a run that failed before confirming never used them.
    // Not one cut while it hung (confirm-all.ts): it is closed once it opens, or fails, unawaited.
    const fresh = [...run.fresh].map(([h, p]) => ((c) => (run.stalled.has(h) ? Promise.resolve() : c))(p.then((t) => t.close()).catch(() => undefined)));
    await Promise.all([...run.sessions.values()].map((s) => s.transport.close().catch(() => undefined)).concat(fresh));
  }
}

/**
 * A failure once the run was decided: nothing more is undone, each router stays as its report says.
 * The rollbacks of failed routers still running beside it end first (the connections close after),
 * and one that did not get its router back makes it exit 6 (a review).
 */
async function afterDecided(run: RunState, failure: RunFailure, report: (exitCode: number, summary: string) => RunReport): Promise<RunReport> {
  run.opts.log.note(`after the run was decided: ${failure.message}`);
  await Promise.allSettled(run.background);
  const incomplete = [...run.rolledBack].filter((h) => run.reports.get(h)?.rollback?.ok !== true);
  return report(
    incomplete.length > 0 ? ExitCode.rollbackIncomplete : failure.exitCode,
    `${failure.message}; it came after the run was decided: nothing more was undone, each router stays as the recap says${incomplete.length > 0 ? `; ROLLBACK INCOMPLETE on ${incomplete.join(', ')}` : ''}`,
  );
}

/**
 * Anything else is a bug in teqlctl (or its output failing: a full disk under a redirected stdout):
 * the routers that changed are rolled back all the same, not left to their dead-men with the run
 * said as an internal error alone (found by a review). Its stack goes to the run log.
 */
function toFailure(err: unknown, log: PlayOptions['log']): RunFailure {
  if (err instanceof RunFailure) return err;
  if (err instanceof TeqlError) return new RunFailure(err.stage, err.message + (err.hint ? ` (hint: ${err.hint})` : ''));
  log.note(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
  return new RunFailure('internal', `internal error (a bug in teqlctl, its stack in the run log): ${err instanceof Error ? err.message : String(err)}`);
}

/** Connects to every host; an unreachable one fails its bundles, the others go on. */
async function connectAll(run: RunState, loaded: LoadedRun, names: string[]): Promise<void> {
  const failures: HostFailure[] = [];
  const tasks = (h: string) => loaded.plays.flatMap((p) => p.tasks.get(h) ?? []);
  const errors = await runWithProgress(run.opts.mode, names.map((h) => ({
    host: h,
    title: `${h}: connect`,
    run: async (setTitle) => {
      const spec = run.specs.get(h)!;
      try {
        const transport = await run.opts.connect(h, spec);
        run.sessions.set(h, new HostSession(h, transport, run.opts.log, sysctlNames(tasks(h)), heldSelectors(tasks(h))));
        setTitle(`${h}: connected to ${transport.target ?? `${spec.host}:${spec.port ?? 22}`}`);
      } catch (err) {
        const msg = err instanceof ConnectError ? err.message + (err.hint ? ` (hint: ${err.hint})` : '') : (err as Error).message;
        run.reports.get(h)!.status = 'unreachable';
        run.reports.get(h)!.error = msg;
        failures.push({ host: h, message: msg });
        throw err;
      }
    },
  })), run.opts.forks);
  if (errors.length > failures.length) throw new RunFailure('connect', `unreachable: ${errors.map((e) => e.message).join('; ')}`);
  failUnits(run, 'connect', 'unreachable: ', failures);
}
