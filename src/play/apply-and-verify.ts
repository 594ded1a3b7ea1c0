// Applying a play's plans phase by phase, each phase verified across hosts before the next: the
// dead-man is armed by the first apply on each host. A signal abandons the round trip in flight
// (orInterrupt) and the caller rolls back from the routers' own journals.
import { RunFailure, TeqlError } from '../errors.js';
import type { TaskInstance } from '../load/types.js';
import { planHost, type PlannedHost } from '../plan/plan-host.js';
import { runWithProgress } from '../ui/progress.js';
import { holdFor, orInterrupt } from './interruptible.js';
import type { RunState } from './run-state.js';
import { checksTimeoutSec, type ApplyStage, type DeadmanSettings } from './host-session.js';
import { changeBundles, checkBundles, goesWith } from '../plan/bundle-scope.js';
import type { Change } from '../plan/types.js';
import { excludeFor, failUnits, planScope, type HostFailure } from './unit-failures.js';
import { settle } from './settle.js';
import { peersOf } from './run-peers.js';
import { BarrierCut } from './barrier-cut.js';
import { verifyPhase } from './verify-phase.js';
import { collectGarbage, COLLECT_FROM_HOSTS } from './collect-garbage.js';
import { replanStale, STALE_RETRIES } from './stale-replan.js';
import type { ApplyResult } from './apply-result.js';

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
  let current = plans;
  for (let i = 0; i < phases; i++) {
    const stages = new Map<string, ApplyStage>();
    try {
      await applyPhase(run, tasks, current.filter((p) => run.domains.alive(p.plan.host)), i, deadman, stages, last && i === phases - 1);
    } finally {
      // Shells still at their barrier (a failed phase, a signal) end without checking anything.
      for (const stage of stages.values()) stage.end();
    }
    if (opts.interrupted()) throw new RunFailure('interrupted', 'interrupted');
    // The bundles that failed in this phase are rolled back now, on both of their ends; the others go on.
    await settle(run);
    if (opts.interrupted()) throw new RunFailure('interrupted', 'interrupted');
    current = current.map((p) => replanWithout(run, tasks, p, i));
  }
}

/**
 * A hub that lost a bundle plans its next phases without that bundle's tasks. Left-out tasks keep
 * the phases' numbers (plan-host.ts); the boot phase, planned for the kept bundles now, stays where
 * alignBootPhases put it, after every host's checks.
 */
function replanWithout(run: RunState, tasks: Map<string, TaskInstance[]>, p: PlannedHost, done: number): PlannedHost {
  const h = p.plan.host;
  const exclude = excludeFor(run, h);
  if (!exclude || !run.domains.alive(h)) return p;
  let again: PlannedHost;
  try {
    again = planHost(h, tasks.get(h) ?? [], run.latest.get(h)!, planScope(run, h));
  } catch (err) {
    // Refused for its kept bundles alone (their boot files have no mechanism left): this hub fails, not the run.
    if (!(err instanceof TeqlError)) throw err;
    run.domains.failHost(h, { stage: err.stage, message: `${h}: planned again without its failed bundles: ${err.message}: rolled back wholly` });
    return p;
  }
  const boot = again.plan.phases.find((ph) => ph.boot);
  const taskPhases = again.plan.phases.filter((ph) => !ph.boot);
  // Its boot files were planned (settle.ts let the hub go on), so the phase was there: same place.
  const bootAt = p.plan.phases.findIndex((ph) => ph.boot);
  const phases = p.plan.phases.map((ph, k) => (k <= done ? ph : k === bootAt ? boot ?? { changes: [], checks: [], boot: true as const } : taskPhases[k] ?? { changes: [], checks: [] }));
  if (boot && (bootAt < 0 || bootAt <= done)) {
    // Not expected (settle.ts keeps such a hub only when its boot files were planned): never left unwritten.
    run.domains.failHost(h, { stage: 'apply', message: `${h}: its boot files, planned again for its kept bundles, have no phase of the run left to be written in: rolled back wholly` });
    return p;
  }
  // Its warnings too: a first apply found stale later compares them (stale-replan.ts; a review).
  return { plan: { host: h, phases, ...(again.plan.warnings ? { warnings: again.plan.warnings } : {}) }, expected: again.expected };
}

async function applyPhase(run: RunState, tasks: Map<string, TaskInstance[]>, plans: PlannedHost[], i: number, deadman: DeadmanSettings, stages: Map<string, ApplyStage>, lastPhase: boolean): Promise<void> {
  const { opts } = run;
  const holds = opts.holds ?? {};
  const failures: HostFailure[] = [];
  const refusals: HostFailure[] = [];
  const changedHosts = plans.filter((p) => (p.plan.phases[i]?.changes.length ?? 0) > 0);
  // Routers still behind when the others' windows near their end fail alone (barrier-cut.ts).
  const cut = new BarrierCut(run, changedHosts.map((p) => p.plan.host));
  const applyErrors = await orInterrupt(runWithProgress(opts.mode, changedHosts.map((p) => ({
    host: p.plan.host,
    title: `${p.plan.host}: apply ${p.plan.phases[i]!.changes.length} change(s)`,
    run: cut.watch(p.plan.host, async (setTitle) => {
      const h = p.plan.host;
      // A host still queued behind --forks when a signal came starts nothing.
      if (opts.interrupted()) throw new Error(`${h}: not applied: interrupted`);
      if (cut.tooLate) throw new Error(`${h}: ${cut.tooLate}`);
      const report = run.reports.get(h)!;
      const checks = p.plan.phases[i]!.checks;
      let result: ApplyResult;
      let staleWhy = '';
      // Each time the router changed elsewhere than the plan, and it was sent again (stale-replan.ts).
      const resent: string[] = [];
      for (;;) {
        const stage = run.sessions.get(h)!.apply(p.plan.phases[i]!.changes, { ...deadman, ...withPeers(peersOf(run, h)) }, run.latest.get(h)!, (holds.verifySec ?? 0) + checksTimeoutSec(checks) + 60, ownBundleOf(run, h));
        stages.set(h, stage);
        result = await cut.until(h, stage.applied);
        if (!result.stale || !result.now || opts.interrupted()) break;
        stage.end(); // ended already: its stale answer goes to the run log
        const again = replanStale(run, tasks.get(h) ?? [], p, h, result.now, i, resent.length < STALE_RETRIES);
        if (!again.resend) {
          const before = resent.length > 0 ? ` (sent again ${resent.length} time(s) before it, on changes elsewhere than the plan: ${resent[0]})` : '';
          staleWhy = 'why' in again && again.why ? `: ${again.changed}; ${again.why}${before}` : `, and again each of the ${resent.length} times the same plan was sent again: ${again.changed}`;
          break;
        }
        opts.log.note(`${h}: changed since its facts were read (${again.changed}); planned again from what it holds now, the same plan: sent again`);
        resent.push(again.changed);
      }
      const fail = (msg: string, refused = false) => {
        (refused ? refusals : failures).push({ host: h, message: msg });
        report.status = 'failed';
        report.error = msg;
        throw new Error(msg);
      };
      if (result.locked !== undefined || result.armFailed !== undefined || result.stale) {
        // refused: this host changed nothing
        const why = result.locked !== undefined ? `locked by another run: ${result.locked}`
          : result.stale ? `the router changed since its facts were read (another run or an operator, while this run waited${staleWhy}): the plan is stale, nothing was applied here; run again to plan from what the router holds now`
          : result.armFailed!;
        fail(resent.length > 0 && !result.stale ? `${why} (when sent again: it had changed since its facts were read, elsewhere than the plan: ${resent[0]})` : why, true);
      }
      if (resent.length > 0) (report.warnings ??= []).push(`changed since its facts were read (${resent[0]}${resent.length > 1 ? `; and again ${resent.length - 1} time(s) while it was sent again` : ''}), not in what the plan does: planned again from what it held under the run's lock, the same plan, applied as approved`);
      run.journal.set(h, [...(run.journal.get(h) ?? []), ...result.entries]);
      // Its boot files are this play's: a partial rollback plans them again from these tasks.
      if (p.plan.phases[i]!.boot) run.bootTasks.set(h, tasks.get(h) ?? []);
      report.applied += result.entries.filter((e) => e.code === 0).length;
      report.status = 'changed';
      if (result.error) fail(result.error);
      run.latest.set(h, result.after!);
      // A hub's bundle whose own step failed fails alone (settle.ts undoes its steps): the others' steps ran.
      const lost = new Set((result.bundleErrors ?? []).map((b) => b.bundle));
      for (const b of result.bundleErrors ?? []) failures.push({ host: h, message: b.message, units: [b.bundle] });
      if (result.skipped) run.skipped.set(h, [...(run.skipped.get(h) ?? []), ...result.skipped]);
      // A step that "succeeded" without taking effect is a failure: plan again, expect nothing.
      // The boot configuration is planned with the last phase only (it comes after every check);
      // not once a bundle failed here: its boot files are then settle's to write for the kept ones
      // (or the hub is rolled back wholly), and planned here they would differ for that reason alone.
      const persistence = i >= p.plan.phases.length - 1 && lost.size === 0;
      const left = planHost(h, tasksThroughPhase(tasks.get(h) ?? [], i), result.after!, { persistence, ...planScope(run, h, lost) }).plan.phases.flatMap((ph) => ph.changes);
      if (left.length > 0) {
        // On a hub, changes that one live bundle owns fail that bundle alone (its partial rollback
        // undoes them); one that none owns or that several share (a boot file, the module) fails the
        // host. Every bundle of the hub failed before (a review of fleet runs).
        const owner = ownBundleOf(run, h);
        const owners = owner ? left.map(owner) : [];
        if (!owner || owners.some((b) => b === undefined)) fail(`applied, but the router does not hold it: ${left.map((c) => c.resource).join(', ')}`);
        for (const b of new Set(owners as string[])) {
          lost.add(b);
          failures.push({ host: h, message: `applied, but the router does not hold it: ${left.filter((_, k) => owners[k] === b).map((c) => c.resource).join(', ')}`, units: [b] });
        }
      }
      if (lost.size > 0) {
        report.status = 'failed';
        report.error = failures.filter((f) => f.host === h && f.units).map((f) => `${f.units!.join(', ')}: ${f.message}`).join('; ');
      }
      setTitle(`${h}: applied ${result.entries.length} step(s)${lost.size > 0 ? ` (${[...lost].join(', ')} failed: undone alone)` : ''}, dead-man armed (${deadman.timeoutSec} s)`);
      return [...lost];
    }),
  })), opts.forks), opts.stop).finally(() => cut.dispose());
  if (opts.interrupted()) return;
  // A host that failed without saying why (its connection died, the cut): its error is the reason, in its report too.
  const said = new Set([...failures, ...refusals].map((f) => f.host));
  for (const e of applyErrors) {
    const h = changedHosts.find((p) => e.message.startsWith(`${p.plan.host}:`))?.plan.host;
    if (h && !said.has(h)) failures.push({ host: h, message: (run.reports.get(h)!.error ??= e.message.slice(h.length + 2)) });
  }
  failUnits(run, 'refused', 'applying failed on ', refusals);
  failUnits(run, 'apply', 'applying failed on ', failures);
  if (lastPhase) openConfirmConnections(run);
  await holdFor('verify', holds.verifySec, opts);
  if (opts.interrupted()) return;
  await verifyPhase(run, plans, i, stages);
}

/**
 * On a host that still runs several bundles, the bundle a change belongs to alone: a failed step
 * of it fails that bundle only (apply/script.ts goes on with the others' steps). Else none.
 */
function ownBundleOf(run: RunState, h: string): ((change: Change) => string | undefined) | undefined {
  const live = run.domains.unitsOf(h).filter((u) => !run.domains.failed.has(u));
  if (live.length < 2) return undefined;
  const scopes = run.domains.scopesOf(h);
  return (change) => {
    const owned = changeBundles(change, scopes);
    return owned.length === 1 && live.includes(owned[0]!) ? owned[0] : undefined;
  };
}

const withPeers = (peers: string[] | undefined) => (peers === undefined ? {} : { peers });

/** Starts the new connection of every armed host for its confirmation (confirm-all.ts awaits it). */
function openConfirmConnections(run: RunState): void {
  const opening = [...run.sessions].filter(([h, session]) => session.armed && !run.fresh.has(h) && run.domains.alive(h));
  // A fleet's apply left its scripts' garbage: collected before the new connections add theirs (collect-garbage.ts).
  if (opening.length >= COLLECT_FROM_HOSTS) collectGarbage();
  for (const [h] of opening) {
    // Opened after every change so far: only a later partial rollback needs another (confirm-all.ts).
    run.changedAfterFresh.delete(h);
    const pending = run.opts.connectFresh(h, run.specs.get(h)!);
    pending.catch(() => undefined); // awaited (and its error reported) by the confirmation
    run.fresh.set(h, pending);
  }
}
