// How a run ended, from its failure domains: every bundle converged (0), some failed and were
// rolled back while the others were confirmed (10), all failed (the first failure's own code; the
// furthest stage reached when some were rolled back), or
// a rollback did not get a router back (6, whatever else happened). Pure: reads the run's records.
import { EXIT_CODE_OF, ExitCode, type Stage } from '../errors.js';
import type { BundleReport } from './report.js';
import type { RunState } from './run-state.js';

export interface Outcome {
  exitCode: number;
  summary: string;
  bundles: BundleReport[];
}

export function bundleReports(run: RunState): BundleReport[] {
  return run.domains.units.map((u) => {
    const failure = run.domains.failureOf(u.name);
    const back = run.unitRollback.get(u.name);
    const status: BundleReport['status'] = failure
      ? back === undefined ? 'failed' : back ? 'rolled back' : 'rollback failed'
      : run.opts.check ? 'checked' : u.hosts.some((h) => run.confirmed.has(h)) ? 'converged' : 'unchanged';
    return { name: u.name, hosts: u.hosts, status, ...(failure ? { error: failure.message } : {}) };
  });
}

// How far a run got, for the exit code when every bundle failed and some were rolled back: one
// branch unreachable (3, "nothing changed") and the others rolled back after their pings (5) is a
// 5, whichever failed first in time (a review found 3 beside "every host was rolled back").
const REACH: readonly Stage[] = ['config', 'connect', 'fact', 'refused', 'apply', 'verify', 'interrupted'];

function furthest(run: RunState): Stage | undefined {
  const stages = run.domains.units.map((u) => run.domains.failureOf(u.name)?.stage).filter((s): s is Stage => s !== undefined && REACH.includes(s));
  return stages.sort((a, b) => REACH.indexOf(b) - REACH.indexOf(a))[0];
}

/** `okSummary`: what a run with no failure says (converged, or check mode's line). */
export function outcome(run: RunState, okSummary: string): Outcome {
  const bundles = bundleReports(run);
  const failed = bundles.filter((b) => b.error !== undefined);
  // A check beside another run: what it read may still change, so not 0 (nor 9) but what a run would get.
  if (failed.length === 0 && run.checkBusy.size > 0) return { exitCode: ExitCode.refused, summary: `${okSummary}; another run is under way on ${[...run.checkBusy].join(', ')}: what was read may still change (see the warnings)`, bundles };
  if (failed.length === 0) return { exitCode: ExitCode.ok, summary: okSummary, bundles };
  const incomplete = [...run.unitRollback.values()].some((ok) => !ok);
  const touched = run.unitRollback.size > 0;
  if (failed.length === bundles.length) {
    const first = run.domains.firstFailure!;
    const messages = [...new Set(failed.map((b) => b.error!))].join('\n');
    const tail = run.opts.check ? '' : incomplete ? '; ROLLBACK INCOMPLETE, see the residual differences above'
      : touched ? '; every host was rolled back to its state before the run' : '; nothing was changed';
    return { exitCode: incomplete ? ExitCode.rollbackIncomplete : EXIT_CODE_OF[(touched ? furthest(run) : undefined) ?? first.stage], summary: messages + tail, bundles };
  }
  const ok = bundles.length - failed.length;
  const what = run.opts.check ? 'checked' : 'converged and verified';
  const back = failed.filter((b) => b.status === 'rolled back').length;
  const untouched = failed.filter((b) => b.status === 'failed').length;
  const fate = run.opts.check ? 'could not be checked'
    : incomplete ? 'failed, and a ROLLBACK IS INCOMPLETE (see above)'
    : `failed (${[back > 0 ? `${back} rolled back on both ends` : '', untouched > 0 ? `${untouched} before anything changed` : ''].filter(Boolean).join(', ')})`;
  return {
    exitCode: incomplete ? ExitCode.rollbackIncomplete : ExitCode.someBundlesFailed,
    summary: `${ok} of ${bundles.length} bundles ${what}; ${failed.length} ${fate}: ${failed.map((b) => `${b.name}: ${b.error}`).join('\n')}`,
    bundles,
  };
}
