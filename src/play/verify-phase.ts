// A phase's checks, over each applied host's waiting shell (the apply's round trip), once every
// host of the phase applied: a ping runs only after both ends of its bundle changed. A failed
// check fails the bundles it belongs to.
import type { PlannedHost } from '../plan/plan-host.js';
import { runWithProgress } from '../ui/progress.js';
import { orInterrupt } from './interruptible.js';
import type { RunState } from './run-state.js';
import type { ApplyStage } from './host-session.js';
import { checkBundles, goesWith } from '../plan/bundle-scope.js';
import { failUnits, type HostFailure } from './unit-failures.js';
import { checksWithoutApply } from './early-checks.js';
import { BarrierCut } from './barrier-cut.js';

/** The phase's checks over each applied host's waiting shell, without the checks of failed bundles. */
export async function verifyPhase(run: RunState, plans: PlannedHost[], i: number, stages: Map<string, ApplyStage>): Promise<void> {
  const { opts } = run;
  const failed = run.domains.failed;
  const checksOf = (p: PlannedHost) => (run.domains.alive(p.plan.host) ? (p.plan.phases[i]?.checks ?? []).filter((c) => !goesWith(checkBundles(c, run.domains.scopesOf(p.plan.host)), failed, run.domains.unitsOf(p.plan.host))) : []);
  const withChecks = plans.filter((p) => checksOf(p).length > 0);
  for (const [h, stage] of stages) if (!withChecks.some((p) => p.plan.host === h)) stage.end();
  const failures: HostFailure[] = [];
  // Routers whose pings or connection hang past the cut fail alone, as at the apply's barrier.
  // The checks' cut comes half the reserve after the apply's: a cut apply's routers still verify.
  const cut = new BarrierCut(run, withChecks.map((p) => p.plan.host), {
    at: 'the checks', late: 'its checks did not end in time (its pings, or its connection, still hanging)', skipped: 'not verified',
    fate: 'its bundles failed, rolled back on their ends (beside the run on it, where it changed)', reserveShare: 0.5,
  });
  const checkErrors = await orInterrupt(runWithProgress(opts.mode, withChecks.map((p) => ({
    host: p.plan.host,
    title: `${p.plan.host}: verify ${checksOf(p).map((c) => c.to).join(', ')}`,
    run: cut.watch(p.plan.host, async (setTitle) => {
      const h = p.plan.host;
      const checks = checksOf(p);
      // Over the applied host's waiting shell (the same round trip); on a host that applied nothing,
      // the pings started with its facts (a play that changes nothing) or a round trip of their own.
      if (cut.tooLate) throw new Error(`${h}: ${cut.tooLate}`);
      const stage = stages.get(h);
      const results = await cut.until(h, stage ? stage.verify(checks) : checksWithoutApply(run, h, checks));
      run.reports.get(h)!.checks.push(...results);
      const bad = results.filter((r) => !r.ok);
      if (bad.length > 0) {
        const scopes = run.domains.scopesOf(h);
        for (const r of bad) failures.push({ host: h, message: `ping ${r.check.to}${r.check.dev ? ` dev ${r.check.dev}` : ''}${r.check.from ? ` from ${r.check.from}` : ''} failed (${r.summary})`, units: checkBundles(r.check, scopes) });
        const msg = failures.filter((f) => f.host === h).map((f) => f.message).join('; ');
        run.reports.get(h)!.status = 'failed';
        run.reports.get(h)!.error = msg;
        // The bundles its failed pings belong to alone (a hub's other bundles may still be saved by a cut).
        throw Object.assign(new Error(msg), { units: failures.filter((f) => f.host === h).flatMap((f) => f.units ?? run.domains.unitsOf(h)) });
      }
      setTitle(`${h}: verified ${results.map((r) => r.check.to).join(', ')}`);
      return [];
    }),
  })), opts.forks), opts.stop).finally(() => cut.dispose());
  if (opts.interrupted()) return;
  const said = new Set(failures.map((f) => f.host));
  for (const e of checkErrors) {
    const h = withChecks.find((p) => e.message.startsWith(`${p.plan.host}:`))?.plan.host;
    if (!h || said.has(h)) continue;
    // Its checks hung (the cut): failed, even where it changed nothing (it is not "not run").
    const report = run.reports.get(h)!;
    if (report.status === 'ok') report.status = 'failed';
    failures.push({ host: h, message: (report.error ??= e.message.slice(h.length + 2)) });
  }
  failUnits(run, 'verify', 'verification failed: ', failures);
}
