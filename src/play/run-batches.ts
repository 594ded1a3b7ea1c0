// `serial:`: the run goes through its sites batch by batch, each batch a whole run of its own
// (connect, plan, apply, verify, confirm, under one run id), so a batch's routers are confirmed
// before the next batch is touched. `max_fail_percentage:` stops the batches that follow one whose
// failed bundles exceed it; those never start, and their routers stay as they were.
import { ExitCode } from '../errors.js';
import type { LoadedRun } from '../load/types.js';
import { FailureDomains } from './failure-domains.js';
import { looseOfRun } from './loose-units.js';
import type { BundleReport, HostReport, RunReport } from './report.js';
import type { PlayOptions } from './run-state.js';
import { batchesOf, sitesOf } from './sites.js';
import { newRunId } from './run-id.js';

type RunOnce = (loaded: LoadedRun, opts: PlayOptions) => Promise<RunReport>;

/** The run restricted to `hosts`: their plays' hosts and tasks; bundles stay whole (the domains pick theirs). */
function restrict(loaded: LoadedRun, hosts: ReadonlySet<string>): LoadedRun {
  return {
    ...loaded,
    plays: loaded.plays.map((p) => ({ ...p, hosts: p.hosts.filter((h) => hosts.has(h)), tasks: new Map([...p.tasks].filter(([h]) => hosts.has(h))) })),
  };
}

export async function runInBatches(loaded: LoadedRun, opts: PlayOptions, runOnce: RunOnce): Promise<RunReport> {
  const play = loaded.plays.find((p) => p.serial)!;
  const names = [...new Set(loaded.plays.flatMap((p) => p.hosts))];
  const batches = batchesOf(sitesOf(loaded.bundles, names, looseOfRun(loaded)), play.serial!);
  const runId = opts.runId ?? newRunId();
  const batchIdentities = new Map<string, string>();
  const reports: RunReport[] = [];
  let stop: string | undefined;
  for (const [k, sites] of batches.entries()) {
    const hosts = new Set(sites.flat());
    opts.log.note(`batch ${k + 1}/${batches.length}: ${sites.length} site(s): ${[...hosts].join(', ')}`);
    // Each batch starts undecided; a signal then stops this batch only, the ones before it confirmed.
    const onPhase = opts.onPhase && ((decided: boolean, waiting?: boolean) => opts.onPhase!(decided, waiting, k));
    const r = await runOnce(restrict(loaded, hosts), { ...opts, runId, batchIdentities, ...(onPhase ? { onPhase } : {}) });
    reports.push(r);
    const failed = r.bundles.filter((b) => b.error !== undefined).length;
    const percent = r.bundles.length === 0 ? 0 : (100 * failed) / r.bundles.length;
    if (opts.interrupted() || r.exitCode === ExitCode.interrupted) stop = 'the run was interrupted';
    // A bug in teqlctl: no later batch is touched by it (a review found them run after one).
    // Said by its summary, whatever its code (6 where its rollback was incomplete).
    else if (r.exitCode === ExitCode.internal || /^internal error \(a bug in teqlctl/.test(r.summary)) stop = 'teqlctl met an internal error (a bug)';
    else if (/^not applied: the plan was not approved/.test(r.summary)) stop = 'its plan was not approved';
    // A later play's question left unanswered before the earlier plays' timers (approval-deadline.ts): as a no.
    else if (/^not applied: no answer by /.test(r.summary)) stop = 'its plan was not approved in time';
    else if (play.maxFailPercentage !== undefined && percent > play.maxFailPercentage) {
      stop = `batch ${k + 1} failed ${failed} of its ${r.bundles.length} bundles (${Math.round(percent)}%), more than max_fail_percentage ${play.maxFailPercentage}`;
    }
    if (stop && k < batches.length - 1) {
      opts.log.note(`batches ${k + 2} to ${batches.length} not started: ${stop}`);
      return merge(loaded, reports, batches.slice(k + 1).map((b) => b.flat()), stop, batches.length, opts.check, opts.interrupted() ? 'interrupted' : declined(stop) ? 'declined' : undefined);
    }
  }
  // The last batch declined: nothing left to stop, the code still says it.
  return merge(loaded, reports, [], undefined, batches.length, opts.check, declined(stop) ? 'declined' : undefined);
}

// Every bundle failed, batch by batch for different reasons: the code of the furthest stage any
// batch reached, as one run says it (outcome.ts). The first batch's 3 ("nothing changed") hid a
// later batch's routers changed and rolled back (a review: exit 3 where it was 5).
const REACH: readonly number[] = [ExitCode.badInput, ExitCode.unreachable, ExitCode.refused, ExitCode.applyFailed, ExitCode.verifyFailed];

function furthestCode(codes: readonly number[]): number | undefined {
  return codes.filter((c) => c !== ExitCode.ok).sort((a, b) => REACH.indexOf(b) - REACH.indexOf(a))[0];
}

/** The operator's no (or no answer in time) stopped the batches: not a failure of theirs. */
function declined(stop: string | undefined): boolean {
  return stop === 'its plan was not approved' || stop === 'its plan was not approved in time';
}

/**
 * `ended`: why the batches stopped, when not by their failures. Interrupted: the signal's code. Declined:
 * the code of a plan not approved (8) where the batches before it converged: the operator stopped
 * the rollout, none of its bundles failed (a review of fleet runs: exit 10, "some bundles failed");
 * a failure in a batch before it keeps its own code (10, or all failed: the furthest stage's).
 */
function merge(loaded: LoadedRun, reports: RunReport[], notRun: string[][], stop: string | undefined, total: number, check: boolean, ended?: 'interrupted' | 'declined'): RunReport {
  const left = notRun.flat();
  const why = `not run: ${stop}`;
  const skippedHosts: HostReport[] = left.map((host) => ({ host, status: 'not run', planned: [], applied: 0, checks: [], error: why }));
  const skippedBundles: BundleReport[] = new FailureDomains(loaded.bundles, left, loaded.selectedBundles, looseOfRun(loaded)).units.map((u) => ({ name: u.name, hosts: u.hosts, status: 'not run', error: why }));
  const bundles = [...reports.flatMap((r) => r.bundles), ...skippedBundles];
  // Declined: the batches that ran are judged alone (a failure among them still says itself:
  // 10, or its own code), and the no is the code only where they all converged.
  const ran = ended === 'declined' ? reports.slice(0, -1) : reports;
  const judged = ended === 'declined' ? ran.flatMap((r) => r.bundles) : bundles;
  const good = judged.filter((b) => b.error === undefined).length;
  const codes = reports.map((r) => r.exitCode);
  const exitCode = codes.includes(ExitCode.rollbackIncomplete) ? ExitCode.rollbackIncomplete
    : codes.includes(ExitCode.internal) ? ExitCode.internal
    : codes.includes(ExitCode.interrupted) || ended === 'interrupted' ? ExitCode.interrupted
    // A check beside another run in a batch (outcome.ts): not "as wanted" for the whole either.
    : good === judged.length ? (ended === 'declined' || (check && codes.includes(ExitCode.refused)) ? ExitCode.refused : ExitCode.ok)
    : good > 0 ? ExitCode.someBundlesFailed
    : furthestCode(ran.map((r) => r.exitCode)) ?? ExitCode.someBundlesFailed;
  const lines = reports.map((r, k) => `batch ${k + 1}/${total}: ${r.summary}`);
  if (stop && left.length > 0) lines.push(`batches ${reports.length + 1} to ${total} not started (${skippedBundles.length} bundle(s), as they were): ${stop}`);
  return {
    runId: reports[0]?.runId ?? '',
    exitCode,
    check,
    hosts: [...reports.flatMap((r) => r.hosts), ...skippedHosts],
    bundles,
    summary: lines.join('\n'),
    ...(reports[0]?.logFile ? { logFile: reports[0].logFile } : {}),
  };
}
