// The flow of a run: connect -> gather -> plan -> show -> apply -> verify -> (roll back) -> report.
// Everything that decides is in plan/; this file only sequences the round trips across hosts.
import { randomUUID } from 'node:crypto';
import { ConnectError, ExitCode, RefusedError, TeqlError } from '../errors.js';
import type { LoadedRun, TaskInstance, ConnectionSpec } from '../load/types.js';
import type { Transport } from '../connect/transport.js';
import type { Facts } from '../gather/facts.js';
import { planHost, type PlannedHost } from '../plan/plan-host.js';
import { changeCount, type HostPlan } from '../plan/types.js';
import { diffState, isSameState } from '../rollback/compare.js';
import { runWithProgress, type ProgressMode } from '../report/progress.js';
import { HostSession } from './host-session.js';
import { inverseOps, type Journal } from './journal.js';
import { mapLimit } from './pool.js';
import type { HostReport, RunReport } from './report.js';
import type { RunLog } from './run-log.js';

export interface PlayOptions {
  check: boolean;
  forks: number;
  mode: ProgressMode;
  log: RunLog;
  connect: (host: string, spec: ConnectionSpec) => Promise<Transport>;
  showPlan: (plans: HostPlan[]) => void;
  /** Asks whether to apply (or answers for --yes / no TTY); false means "do not apply". */
  approve: (plans: HostPlan[]) => Promise<boolean>;
  interrupted: () => boolean;
  runId?: string;
}

/** Sysctl names a host's tasks read, so the facts script fetches them in its single round trip. */
function sysctlNames(tasks: readonly TaskInstance[]): string[] {
  return [...new Set(tasks.flatMap((t) => (t.module === 'sysctl' ? [t.args.name] : [])))];
}

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

class RunFailure extends Error {
  constructor(readonly exitCode: number, message: string) {
    super(message);
  }
}

export async function runPlay(loaded: LoadedRun, opts: PlayOptions): Promise<RunReport> {
  const runId = opts.runId ?? new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '') + '-' + randomUUID().slice(0, 8);
  const names = [...new Set(loaded.plays.flatMap((p) => p.hosts))];
  const reports = new Map<string, HostReport>(names.map((h) => [h, { host: h, status: 'ok', planned: [], applied: 0, checks: [] }]));
  const sessions = new Map<string, HostSession>();
  const snapshots = new Map<string, Facts>();
  const journal: Journal = new Map();
  const report = (exitCode: number, summary: string): RunReport => {
    for (const [h, s] of sessions) reports.get(h)!.stats = { ...s.transport.stats };
    return { runId, exitCode, check: opts.check, hosts: [...reports.values()], summary, ...(opts.log.file ? { logFile: opts.log.file } : {}) };
  };
  opts.log.note(`run ${runId} started: ${loaded.playbookFile} on ${names.join(', ')}${opts.check ? ' (check mode)' : ''}`);

  try {
    await connectAll(loaded, names, opts, sessions, reports);
    for (const play of loaded.plays) {
      const plans = await gatherAndPlan(play.hosts, play.tasks, opts, sessions, snapshots, reports);
      for (const p of plans) reports.get(p.plan.host)!.planned.push(...p.plan.phases.flatMap((ph) => ph.changes));
      opts.showPlan(plans.map((p) => p.plan));
      if (opts.check) {
        for (const p of plans) reports.get(p.plan.host)!.status = 'checked';
        continue;
      }
      if (opts.interrupted()) throw new RunFailure(ExitCode.interrupted, 'interrupted before applying');
      const total = plans.reduce((n, p) => n + changeCount(p.plan), 0);
      if (total > 0 && !(await opts.approve(plans.map((p) => p.plan)))) {
        throw new RunFailure(ExitCode.refused, 'not applied: the plan was not approved (use --yes when running unattended)');
      }
      await applyAndVerify(play.hosts, play.tasks, plans, opts, sessions, journal, reports);
    }
    const summary = opts.check ? 'check mode: nothing was changed' : 'converged and verified';
    return report(ExitCode.ok, summary);
  } catch (err) {
    const failure = toFailure(err);
    const touched = [...journal.values()].some((entries) => entries.length > 0);
    if (!touched) {
      opts.log.note(`run ended without changing anything: ${failure.message}`);
      return report(failure.exitCode, failure.message + (opts.check ? '' : '; nothing was changed'));
    }
    const ok = await rollbackAll(opts, sessions, snapshots, journal, reports);
    return report(ok ? failure.exitCode : ExitCode.rollbackIncomplete, ok ? `${failure.message}; every host was rolled back to its state before the run` : `${failure.message}; ROLLBACK INCOMPLETE, see the residual differences above`);
  } finally {
    await Promise.all([...sessions.values()].map((s) => s.transport.close().catch(() => undefined)));
  }
}

function toFailure(err: unknown): RunFailure {
  if (err instanceof RunFailure) return err;
  if (err instanceof TeqlError) return new RunFailure(err.exitCode, err.message + (err.hint ? ` (hint: ${err.hint})` : ''));
  throw err;
}

async function connectAll(loaded: LoadedRun, names: string[], opts: PlayOptions, sessions: Map<string, HostSession>, reports: Map<string, HostReport>): Promise<void> {
  const failures: string[] = [];
  const sysctls = new Map(names.map((h) => [h, sysctlNames(loaded.plays.flatMap((p) => p.tasks.get(h) ?? []))]));
  await runWithProgress(opts.mode, names.map((h) => ({
    title: `${h}: connect`,
    run: async (setTitle) => {
      const spec = loaded.inventory.hosts.get(h)!.connection;
      try {
        const transport = await opts.connect(h, spec);
        sessions.set(h, new HostSession(h, transport, opts.log, sysctls.get(h)!));
        setTitle(`${h}: connected to ${spec.host}:${spec.port ?? 22}`);
      } catch (err) {
        const msg = err instanceof ConnectError ? err.message + (err.hint ? ` (hint: ${err.hint})` : '') : (err as Error).message;
        reports.get(h)!.status = 'unreachable';
        reports.get(h)!.error = msg;
        failures.push(`${h}: ${msg}`);
        throw err;
      }
    },
  })), opts.forks);
  if (failures.length > 0) throw new RunFailure(ExitCode.unreachable, `unreachable: ${failures.join('; ')}`);
}

async function gatherAndPlan(hosts: string[], tasks: Map<string, TaskInstance[]>, opts: PlayOptions, sessions: Map<string, HostSession>, snapshots: Map<string, Facts>, reports: Map<string, HostReport>): Promise<PlannedHost[]> {
  const planned = new Map<string, PlannedHost>();
  const errors: TeqlError[] = [];
  await runWithProgress(opts.mode, hosts.map((h) => ({
    title: `${h}: gather facts`,
    run: async (setTitle) => {
      try {
        const facts = await sessions.get(h)!.facts();
        if (!snapshots.has(h)) snapshots.set(h, facts);
        const p = planHost(h, tasks.get(h) ?? [], facts);
        planned.set(h, p);
        setTitle(`${h}: ${changeCount(p.plan)} to change`);
      } catch (err) {
        if (!(err instanceof TeqlError)) throw err;
        errors.push(err);
        reports.get(h)!.status = err instanceof RefusedError ? 'refused' : 'failed';
        reports.get(h)!.error = err.message;
        throw err;
      }
    },
  })), opts.forks);
  if (errors.length > 0) {
    const code = errors.some((e) => e instanceof RefusedError) ? ExitCode.refused : errors[0]!.exitCode;
    throw new RunFailure(code, errors.map((e) => e.message + (e.hint ? `\n  hint: ${e.hint}` : '')).join('\n'));
  }
  return hosts.map((h) => planned.get(h)!);
}

async function applyAndVerify(hosts: string[], tasks: Map<string, TaskInstance[]>, plans: PlannedHost[], opts: PlayOptions, sessions: Map<string, HostSession>, journal: Journal, reports: Map<string, HostReport>): Promise<void> {
  const phases = Math.max(...plans.map((p) => p.plan.phases.length));
  for (let i = 0; i < phases; i++) {
    const failures: string[] = [];
    const changedHosts = plans.filter((p) => (p.plan.phases[i]?.changes.length ?? 0) > 0);
    await runWithProgress(opts.mode, changedHosts.map((p) => ({
      title: `${p.plan.host}: apply ${p.plan.phases[i]!.changes.length} change(s)`,
      run: async (setTitle) => {
        const h = p.plan.host;
        const result = await sessions.get(h)!.apply(p.plan.phases[i]!.changes);
        journal.set(h, [...(journal.get(h) ?? []), ...result.entries]);
        reports.get(h)!.applied += result.entries.filter((e) => e.code === 0).length;
        reports.get(h)!.status = 'changed';
        if (result.error) {
          failures.push(`${h}: ${result.error}`);
          reports.get(h)!.status = 'failed';
          reports.get(h)!.error = result.error;
          throw new Error(result.error);
        }
        // A step that "succeeded" without taking effect is a failure: plan again, expect nothing.
        const again = planHost(h, tasksThroughPhase(tasks.get(h) ?? [], i), result.after!);
        const left = again.plan.phases.flatMap((ph) => ph.changes);
        if (left.length > 0) {
          const msg = `applied, but the router does not hold it: ${left.map((c) => c.resource).join(', ')}`;
          failures.push(`${h}: ${msg}`);
          reports.get(h)!.status = 'failed';
          reports.get(h)!.error = msg;
          throw new Error(msg);
        }
        setTitle(`${h}: applied ${result.entries.length} step(s)`);
      },
    })), opts.forks);
    if (failures.length > 0) throw new RunFailure(ExitCode.applyFailed, `applying failed on ${failures.join('; ')}`);
    if (opts.interrupted()) throw new RunFailure(ExitCode.interrupted, 'interrupted');

    const checkFailures: string[] = [];
    const withChecks = plans.filter((p) => (p.plan.phases[i]?.checks.length ?? 0) > 0);
    await runWithProgress(opts.mode, withChecks.map((p) => ({
      title: `${p.plan.host}: verify ${p.plan.phases[i]!.checks.map((c) => c.to).join(', ')}`,
      run: async (setTitle) => {
        const h = p.plan.host;
        const results = await sessions.get(h)!.checks(p.plan.phases[i]!.checks);
        reports.get(h)!.checks.push(...results);
        const bad = results.filter((r) => !r.ok);
        if (bad.length > 0) {
          const msg = bad.map((r) => `ping ${r.check.to}${r.check.dev ? ` dev ${r.check.dev}` : ''}${r.check.from ? ` from ${r.check.from}` : ''} failed (${r.summary})`).join('; ');
          checkFailures.push(`${h}: ${msg}`);
          reports.get(h)!.status = 'failed';
          reports.get(h)!.error = msg;
          throw new Error(msg);
        }
        setTitle(`${h}: verified ${results.map((r) => r.check.to).join(', ')}`);
      },
    })), opts.forks);
    if (checkFailures.length > 0) throw new RunFailure(ExitCode.verifyFailed, `verification failed: ${checkFailures.join('; ')}`);
    if (opts.interrupted()) throw new RunFailure(ExitCode.interrupted, 'interrupted');
  }
}

/** Undoes what ran on every host, last step first, then proves each host equals its snapshot. */
async function rollbackAll(opts: PlayOptions, sessions: Map<string, HostSession>, snapshots: Map<string, Facts>, journal: Journal, reports: Map<string, HostReport>): Promise<boolean> {
  let allOk = true;
  const hosts = [...journal.keys()].filter((h) => (journal.get(h) ?? []).length > 0);
  await runWithProgress(opts.mode, hosts.map((h) => ({
    title: `${h}: roll back`,
    run: async (setTitle) => {
      const session = sessions.get(h)!;
      const { errors, after: now } = await session.undo(inverseOps(journal.get(h)!));
      const residual = diffState(snapshots.get(h)!, now);
      const ok = errors.length === 0 && isSameState(residual);
      reports.get(h)!.rollback = { ok, residual, errors };
      reports.get(h)!.status = ok ? 'rolled back' : 'rollback failed';
      if (!ok) {
        allOk = false;
        throw new Error(`rollback incomplete: ${[...errors, ...residual.missing.map((m) => `missing: ${m}`), ...residual.extra.map((x) => `left over: ${x}`)].join('; ')}`);
      }
      setTitle(`${h}: rolled back, equals its state before the run`);
    },
  })), opts.forks);
  return allOk;
}
