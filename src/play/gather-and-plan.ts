// A play's facts, read on every host at once, and its plans: a host refused (locked) or unreadable
// fails its bundles, the others go on. In a later play, the earlier plays' timers run: a router
// whose read hangs there (its link lost between plays) is cut, as a hung apply is (barrier-cut.ts).
import { FactError, RefusedError, RunFailure, TeqlError } from '../errors.js';
import type { TaskInstance } from '../load/types.js';
import { alignBootPhases, type PlannedHost } from '../plan/plan-host.js';
import { changeCount } from '../plan/types.js';
import { runWithProgress } from '../ui/progress.js';
import { excludeFor, failUnits } from './unit-failures.js';
import { planNarrowing } from './plan-narrowing.js';
import { refuseSameRouter, twinOf } from './same-router.js';
import { earlyChecksFor, earlyChecksStart } from './early-checks.js';
import { busyWords, checkNotes, refuseSession } from './session-refusals.js';
import { BarrierCut } from './barrier-cut.js';
import type { RunState } from './run-state.js';

/** Reads and plans each host; a host refused (locked) or unreadable fails its bundles, the others go on. */
export async function gatherAndPlan(run: RunState, hosts: string[], tasks: Map<string, TaskInstance[]>): Promise<PlannedHost[]> {
  const planned = new Map<string, PlannedHost>();
  const errors: Array<{ host: string; err: TeqlError }> = [];
  earlyChecksStart(run);
  // Only where a router is armed (a later play): the cut's time is known from the first armed.
  const cut = new BarrierCut(run, hosts, {
    at: 'the facts', late: 'its facts did not come in time (its read still running)', skipped: 'not read',
    fate: 'its bundles failed, rolled back on their ends (beside the run on it)',
  });
  const thrown = await runWithProgress(run.opts.mode, hosts.map((h) => ({
    host: h,
    title: `${h}: gather facts`,
    run: cut.watch(h, async (setTitle) => {
      try {
        if (cut.tooLate) throw new FactError(h, `${h}: ${cut.tooLate}`);
        // The play's pings start beside the facts: they verify a play that changes nothing, for free.
        const read = run.sessions.get(h)!.factsWithEarlyChecks(earlyChecksFor(run, h, tasks.get(h) ?? []));
        if (read.early) run.early.set(h, read.early);
        // The cut's failure is this host's, as an unreadable host's is (not the run's).
        const facts = await cut.until(h, read.facts).catch((err: Error) => {
          throw cut.tooLate && !(err instanceof TeqlError) ? new FactError(h, `${h}: ${err.message}`) : err;
        });
        refuseSession(h, facts, run.runId, run.opts.check);
        if (!run.snapshots.has(h)) run.snapshots.set(h, facts);
        // A check's later play is planned on what the earlier plays would leave, as a task is on
        // the tasks before it (the router, unchanged, holds what was before them): a route over
        // the equalizer an earlier play makes was refused as over a device that does not exist.
        const from = run.opts.check ? run.checkedAfter.get(h) ?? facts : facts;
        run.latest.set(h, from);
        const twin = twinOf(run, h, facts);
        if (twin !== undefined) {
          setTitle(`${h}: the same router as ${twin}, refused`);
          return [];
        }
        const p = planNarrowing(run, h, tasks.get(h) ?? [], from);
        planned.set(h, p);
        setTitle(`${h}: ${changeCount(p.plan)} to change${run.opts.check ? checkNotes(h, facts) : ''}`);
        // Said in the recap and --json as well, and not "as wanted" (outcome.ts): the title alone
        // was gone from both, and the check exited 0 beside a run whose dead-man may revert it (a review).
        const busy = run.opts.check ? busyWords(h, facts) : undefined;
        if (busy !== undefined) {
          run.checkBusy.add(h);
          const report = run.reports.get(h)!;
          const said = `another run is under way here (${busy}): what this check read may still change, and a run now would be refused`;
          // Once, not once per play.
          if (!report.warnings?.includes(said)) report.warnings = [...(report.warnings ?? []), said];
        }
        return [];
      } catch (err) {
        if (!(err instanceof TeqlError)) throw err;
        errors.push({ host: h, err });
        run.reports.get(h)!.status = err instanceof RefusedError ? 'refused' : 'failed';
        run.reports.get(h)!.error = err.message;
        throw err;
      }
    }),
  })), run.opts.forks).finally(() => cut.dispose());
  if (thrown.length > errors.length) throw new RunFailure('fact', `reading facts failed: ${thrown.map((e) => e.message).join('; ')}`);
  const said = (h: string, e: TeqlError) => (e.message.startsWith(`${h}: `) ? e.message.slice(h.length + 2) : e.message) + (e.hint ? `\n  hint: ${e.hint}` : '');
  refuseSameRouter(run, hosts, planned);
  const refused = errors.filter((e) => e.err instanceof RefusedError);
  const other = errors.filter((e) => !(e.err instanceof RefusedError));
  // A lock message names its host first (lockMessage): it is said as it is, under its host.
  failUnits(run, 'refused', '', refused.map((e) => ({ host: e.host, message: said(e.host, e.err) })));
  for (const e of other) failUnits(run, e.err.stage, '', [{ host: e.host, message: said(e.host, e.err) }]);
  // Planned as each host answered; a peer refused or unreadable meanwhile leaves its bundles out now
  // (and a hub whose replan refuses one more bundle leaves that one out too: the loop goes again).
  for (let again = true; again; ) {
    again = false;
    for (const h of [...planned.keys()]) {
      if (!excludeFor(run, h)) continue;
      const failedBefore = run.domains.failed.size;
      try {
        planned.set(h, planNarrowing(run, h, tasks.get(h) ?? [], run.latest.get(h)!));
        again ||= run.domains.failed.size > failedBefore;
      } catch (err) {
        if (!(err instanceof TeqlError)) throw err;
        planned.delete(h);
        failUnits(run, err instanceof RefusedError ? 'refused' : err.stage, '', [{ host: h, message: said(h, err) }]);
        again = true;
      }
    }
  }
  // What may undo the run later (a link's manager, link-owners.ts): in the recap and --json too.
  // Once each: a playbook's later plays read the same router (a review found them repeated).
  for (const [h, p] of planned) if (p.plan.warnings) run.reports.get(h)!.warnings = [...new Set([...(run.reports.get(h)!.warnings ?? []), ...p.plan.warnings])];
  return alignBootPhases(hosts.filter((h) => planned.has(h)).map((h) => planned.get(h)!));
}
