// The play's side of early checks (verify/early-checks.ts): which pings a host's facts round trip
// starts, and when their results may stand for a phase's checks. They stand only for a play that
// changes nothing on any of its hosts: a ping then saw the state the checks are about, and no end
// of a bundle changed after it was sent (the barrier holds trivially). Any change, and they end
// unused: the checks run after the apply, as they always did.
import type { TaskInstance } from '../load/types.js';
import type { Check } from '../plan/types.js';
import { checkKey } from '../verify/early-checks.js';
import type { CheckResult } from '../verify/ping-script.js';
import type { RunState } from './run-state.js';
import { excludeFor } from './unit-failures.js';

/**
 * The checks to start beside `host`'s facts: its ping tasks of this play, less those of failed
 * bundles; and the paths that must be there for them to start (see earlyChecksStart). None in check mode (nothing is verified) or with a debug hold at approval or
 * verification (fault injection makes time pass there: a ping sent before it would be stale).
 */
export function earlyChecksFor(run: RunState, host: string, tasks: readonly TaskInstance[]): { checks: Check[]; needs: string[] } {
  const holds = run.opts.holds ?? {};
  if (run.opts.check || holds.approveSec !== undefined || holds.verifySec !== undefined) return { checks: [], needs: [] };
  const exclude = excludeFor(run, host);
  const kept = tasks.filter((t) => !exclude?.(t));
  return {
    checks: kept.flatMap((t) => (t.module === 'ping' ? [{ task: t.name, pos: t.pos, ...t.args }] : [])),
    // An equalizer the play wants that is not there: something will change, the pings would be dropped.
    needs: kept.flatMap((t) => (t.module === 'teql' && t.args.state === 'present' ? [`/sys/class/net/${t.args.device}`] : [])),
  };
}

/** Round trips that may have changed a router, on every host of the run so far. */
export function changeRounds(run: RunState): number {
  let n = 0;
  for (const s of run.sessions.values()) n += s.changeRounds;
  return n;
}

/** Marks where a play's early checks start: their results stand only while no router changed since. */
export function earlyChecksStart(run: RunState): void {
  endEarlyChecks(run);
  run.earlyFrom = changeRounds(run);
}

/** Ends every host's early checks still waiting, unused (a play that changes something, the run's end). */
export function endEarlyChecks(run: RunState): void {
  for (const early of run.early.values()) run.earlyEnding.push(early.end());
  run.early.clear();
}

/** Waits, at most `ms`, for the ended shells to end: their round trips are then in the run log. */
export async function earlyChecksEnded(run: RunState, ms = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.allSettled(run.earlyEnding), new Promise((done) => (timer = setTimeout(done, ms)))]);
  clearTimeout(timer);
}

/**
 * A phase's checks on a host that applied nothing in it: the early results when every one of them
 * passed, else the checks again with all their attempts, in a round trip of their own (a ping that
 * failed once may have met a link still resolving its neighbour).
 */
export async function checksWithoutApply(run: RunState, host: string, checks: readonly Check[]): Promise<CheckResult[]> {
  // A router changed since they were sent (a failed bundle rolled back between two phases): none stands.
  if (changeRounds(run) !== run.earlyFrom) endEarlyChecks(run);
  const early = run.early.get(host);
  if (early) {
    const results = await early.results();
    const passed = new Map(results.filter((r) => r.ok).map((r) => [checkKey(r.check), r]));
    const mine = checks.map((c) => passed.get(checkKey(c)));
    if (mine.every((r) => r !== undefined)) return mine.map((r, i) => ({ ...r, check: checks[i]! }));
    const why = results.some((r) => r.attempts === 0) ? 'were not run (no folder for them, or the shell had ended)' : 'did not pass';
    run.opts.log.note(`${host}: checks started with the facts ${why}: checking again, with every attempt`);
  }
  return run.sessions.get(host)!.checks(checks);
}
