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
 * bundles. None in check mode (nothing is verified) or with a debug hold at approval or
 * verification (fault injection makes time pass there: a ping sent before it would be stale).
 */
export function earlyChecksFor(run: RunState, host: string, tasks: readonly TaskInstance[]): Check[] {
  const holds = run.opts.holds ?? {};
  if (run.opts.check || holds.approveSec !== undefined || holds.verifySec !== undefined) return [];
  const exclude = excludeFor(run, host);
  return tasks.flatMap((t) => (t.module === 'ping' && !exclude?.(t) ? [{ task: t.name, pos: t.pos, ...t.args }] : []));
}

/** Ends every host's early checks still waiting, unused (a play that changes something, the run's end). */
export function endEarlyChecks(run: RunState): void {
  for (const early of run.early.values()) early.end();
  run.early.clear();
}

/**
 * A phase's checks on a host that applied nothing in it: the early results when every one of them
 * passed, else the checks again with all their attempts, in a round trip of their own (a ping that
 * failed once may have met a link still resolving its neighbour).
 */
export async function checksWithoutApply(run: RunState, host: string, checks: readonly Check[]): Promise<CheckResult[]> {
  const early = run.early.get(host);
  if (early) {
    const passed = new Map((await early.results()).filter((r) => r.ok).map((r) => [checkKey(r.check), r]));
    const mine = checks.map((c) => passed.get(checkKey(c)));
    if (mine.every((r) => r !== undefined)) return mine.map((r, i) => ({ ...r, check: checks[i]! }));
    run.opts.log.note(`${host}: a check started with the facts did not pass: checking again, with ${checks.length > 1 ? 'every check' : 'the check'}'s attempts`);
  }
  return run.sessions.get(host)!.checks(checks);
}
