// Applying a play's plans phase by phase, each phase verified across hosts before the next: the
// dead-man is armed by the first apply on each host. A signal abandons the round trip in flight
// (orInterrupt) and the caller rolls back from the routers' own journals.
import { RunFailure } from '../errors.js';
import type { TaskInstance } from '../load/types.js';
import { planHost, type PlannedHost } from '../plan/plan-host.js';
import { runWithProgress } from '../ui/progress.js';
import { holdFor, orInterrupt } from './interruptible.js';
import type { RunState } from './run-state.js';
import { checksTimeoutSec, type ApplyStage, type DeadmanSettings } from './host-session.js';

/** The tasks up to (and including) the checks of phase `phase`, to re-plan after applying it. */
function tasksThroughPhase(tasks: readonly TaskInstance[], phase: number): TaskInstance[] {
  const out: TaskInstance[] = [];
  let current = 0;
  let sawCheck = false;
  for (const t of tasks) {
    if (t.module === 'ping') sawCheck = true;
    else if (sawCheck) {
      current++;
      sawCheck = false;
    }
    if (current > phase) break;
    out.push(t);
  }
  return out;
}

/**
 * `last`: this is the last play, so once its last phase is applied no host changes any more: the
 * confirmation's new connections are opened then, while verification runs (they still prove
 * access after every change, and the handshake costs no time of its own).
 */
export async function applyAndVerify(run: RunState, tasks: Map<string, TaskInstance[]>, plans: PlannedHost[], last = true): Promise<void> {
  const { opts } = run;
  const holds = opts.holds ?? {};
  const deadman: DeadmanSettings = { runId: run.runId, owner: opts.owner ?? 'teqlctl', timeoutSec: opts.confirmTimeoutSec, ...(holds.step ? { holdInStep: holds.step } : {}) };
  const phases = Math.max(...plans.map((p) => p.plan.phases.length));
  for (let i = 0; i < phases; i++) {
    const stages = new Map<string, ApplyStage>();
    try {
      await applyPhase(run, tasks, plans, i, deadman, stages, last && i === phases - 1);
    } finally {
      // Shells still at their barrier (a failed phase, a signal) end without checking anything.
      for (const stage of stages.values()) stage.end();
    }
  }
}

async function applyPhase(run: RunState, tasks: Map<string, TaskInstance[]>, plans: PlannedHost[], i: number, deadman: DeadmanSettings, stages: Map<string, ApplyStage>, lastPhase: boolean): Promise<void> {
  const { opts } = run;
  const holds = opts.holds ?? {};
  const failures: string[] = [];
  let locked = false;
  const changedHosts = plans.filter((p) => (p.plan.phases[i]?.changes.length ?? 0) > 0);
  const applyErrors = await orInterrupt(runWithProgress(opts.mode, changedHosts.map((p) => ({
    host: p.plan.host,
    title: `${p.plan.host}: apply ${p.plan.phases[i]!.changes.length} change(s)`,
    run: async (setTitle) => {
      const h = p.plan.host;
      // A host still queued behind --forks when a signal came starts nothing.
      if (opts.interrupted()) throw new Error(`${h}: not applied: interrupted`);
      const report = run.reports.get(h)!;
      const checks = p.plan.phases[i]!.checks;
      const stage = run.sessions.get(h)!.apply(p.plan.phases[i]!.changes, deadman, run.latest.get(h)!, (holds.verifySec ?? 0) + checksTimeoutSec(checks) + 60);
      stages.set(h, stage);
      const result = await stage.applied;
      const fail = (msg: string) => {
        failures.push(`${h}: ${msg}`);
        report.status = 'failed';
        report.error = msg;
        throw new Error(msg);
      };
      if (result.locked || result.armFailed || result.stale) {
        locked = true; // refused: this host changed nothing
        fail(result.locked ? `locked by another run: ${result.locked}`
          : result.stale ? 'the router changed since its facts were read (another run or an operator, while this run waited): the plan is stale, nothing was applied here; run again to plan from what the router holds now'
          : result.armFailed!);
      }
      run.journal.set(h, [...(run.journal.get(h) ?? []), ...result.entries]);
      report.applied += result.entries.filter((e) => e.code === 0).length;
      report.status = 'changed';
      if (result.error) fail(result.error);
      run.latest.set(h, result.after!);
      // A step that "succeeded" without taking effect is a failure: plan again, expect nothing.
      // The boot configuration is planned with the last phase only (it comes after every check).
      const persistence = i >= p.plan.phases.length - 1;
      const left = planHost(h, tasksThroughPhase(tasks.get(h) ?? [], i), result.after!, { persistence }).plan.phases.flatMap((ph) => ph.changes);
      if (left.length > 0) fail(`applied, but the router does not hold it: ${left.map((c) => c.resource).join(', ')}`);
      setTitle(`${h}: applied ${result.entries.length} step(s), dead-man armed (${deadman.timeoutSec} s)`);
    },
  })), opts.forks), opts.stop);
  if (applyErrors.length > 0) {
    throw new RunFailure(locked ? 'refused' : 'apply', `applying failed on ${failures.length === applyErrors.length ? failures.join('; ') : applyErrors.map((e) => e.message).join('; ')}`);
  }
  if (opts.interrupted()) throw new RunFailure('interrupted', 'interrupted');
  if (lastPhase) openConfirmConnections(run);
  await holdFor('verify', holds.verifySec, opts);

  const checkFailures: string[] = [];
  const withChecks = plans.filter((p) => (p.plan.phases[i]?.checks.length ?? 0) > 0);
  for (const [h, stage] of stages) if (!withChecks.some((p) => p.plan.host === h)) stage.end();
  const checkErrors = await orInterrupt(runWithProgress(opts.mode, withChecks.map((p) => ({
    host: p.plan.host,
    title: `${p.plan.host}: verify ${p.plan.phases[i]!.checks.map((c) => c.to).join(', ')}`,
    run: async (setTitle) => {
      const h = p.plan.host;
      // Over the applied host's waiting shell (the same round trip), or a round trip of its own.
      const stage = stages.get(h);
      const results = stage ? await stage.verify(p.plan.phases[i]!.checks) : await run.sessions.get(h)!.checks(p.plan.phases[i]!.checks);
      run.reports.get(h)!.checks.push(...results);
      const bad = results.filter((r) => !r.ok);
      if (bad.length > 0) {
        const msg = bad.map((r) => `ping ${r.check.to}${r.check.dev ? ` dev ${r.check.dev}` : ''}${r.check.from ? ` from ${r.check.from}` : ''} failed (${r.summary})`).join('; ');
        checkFailures.push(`${h}: ${msg}`);
        run.reports.get(h)!.status = 'failed';
        run.reports.get(h)!.error = msg;
        throw new Error(msg);
      }
      setTitle(`${h}: verified ${results.map((r) => r.check.to).join(', ')}`);
    },
  })), opts.forks), opts.stop);
  if (checkErrors.length > 0) {
    throw new RunFailure('verify', `verification failed: ${checkFailures.length === checkErrors.length ? checkFailures.join('; ') : checkErrors.map((e) => e.message).join('; ')}`);
  }
  if (opts.interrupted()) throw new RunFailure('interrupted', 'interrupted');
}


/** Starts the new connection of every armed host for its confirmation (confirm-all.ts awaits it). */
function openConfirmConnections(run: RunState): void {
  for (const [h, session] of run.sessions) {
    if (!session.armed || run.fresh.has(h)) continue;
    const pending = run.opts.connectFresh(h, run.specs.get(h)!);
    pending.catch(() => undefined); // awaited (and its error reported) by the confirmation
    run.fresh.set(h, pending);
  }
}
