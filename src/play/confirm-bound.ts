// How long a confirmation may take: CONFIRM_SEC as a round trip of its own, less when later
// confirmation waves wait for it and their windows run (laggard-cut.ts).
import type { RunState } from './run-state.js';
import { cutAt } from './laggard-cut.js';
import { runNow } from './run-clock.js';

/** How long a confirmation may take, as a round trip of its own (its shell's wait is longer). */
export const CONFIRM_SEC = 150;
/** The least a confirmation gets when later waves wait for it (an emulated router's takes ~3 s). */
const MIN_CONFIRM_SEC = 10;

/** How long `host`'s confirmation may take, from now, and why when not CONFIRM_SEC. */
export interface WaveBound { of: (host: string) => { ms: number; why?: string } }

/**
 * A wave's confirmation waits no longer than the cut (laggard-cut.ts) of the later waves' hosts
 * that keep a bundle without its host: one branch whose confirmation hung held every hub's wave,
 * at every site, until their windows closed (a review of fleet runs). At least MIN_CONFIRM_SEC,
 * at most CONFIRM_SEC. A later host whose every bundle has this one is not waited for any less.
 */
export function waveBound(run: RunState, after: readonly string[]): WaveBound {
  return {
    of: (host) => {
      const saved = after.filter((x) => run.domains.unitsOf(x).some((u) => !run.domains.failed.has(u) && !run.domains.unitsOf(host).includes(u)));
      const armed = saved.map((x) => run.sessions.get(x)!.armedAt).filter((t): t is number => t !== undefined);
      const at = cutAt(armed, run.opts.confirmTimeoutSec);
      if (at === undefined || at - runNow() >= CONFIRM_SEC * 1000) return { ms: CONFIRM_SEC * 1000 };
      const closeIn = Math.round((Math.min(...armed) + run.opts.confirmTimeoutSec * 1000 - runNow()) / 1000);
      return { ms: Math.max(MIN_CONFIRM_SEC * 1000, at - runNow()), why: `: ${saved.join(', ')}, confirming after it, could wait no longer (their dead-man windows close in ${closeIn} s)` };
    },
  };
}
