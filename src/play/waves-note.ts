// A fleet applied --forks hosts at a time, in waves: each host's dead-man runs from its own first
// change until every host is verified and confirmed, so the first wave waits for the last. Near
// the window's end the routers not applied yet fail (laggard-cut.ts), healthy or not: said before
// the operator approves, while a larger window or serial batches can still be chosen.
import type { HostPlan } from '../plan/types.js';
import { reserveSec } from './laggard-cut.js';

/** Below this many seconds of the window per wave, a wave of real routers may not fit (facts re-read, steps, re-read). */
const MIN_WAVE_SEC = 10;

/**
 * The waves a play's plans apply in: each phase (the tasks up to a ping, the boot files) is applied
 * by its own waves of --forks hosts, verified before the next phase starts.
 */
export function wavesOf(plans: readonly HostPlan[], forks: number): number {
  const phases = Math.max(0, ...plans.map((p) => p.phases.length));
  let waves = 0;
  for (let i = 0; i < phases; i++) waves += Math.ceil(plans.filter((p) => (p.phases[i]?.changes.length ?? 0) > 0).length / Math.max(1, forks));
  return waves;
}

/**
 * The note, when `waves` (of this run so far: every play's, as the first play's timers run until
 * the last play is confirmed) leave each under MIN_WAVE_SEC of the window up to its cut (laggard-cut.ts).
 */
export function wavesNote(waves: number, forks: number, timeoutSec: number, plays = 1): string | undefined {
  const reserve = reserveSec(timeoutSec);
  const cut = timeoutSec - reserve;
  if (waves < 2 || cut / waves >= MIN_WAVE_SEC) return undefined;
  const where = plays > 1 ? ` over this run's ${plays} plays so far` : '';
  return `this run applies in ${waves} waves${where} (each phase of a play, up to a ping and the boot files, by --forks ${forks} hosts at a time). Each host's dead-man (${timeoutSec} s) runs from its first change until every host is verified and confirmed: should the waves take more than ${cut} s in all (${Math.floor(cut / waves)} s each), the routers not applied by then fail, their bundles with them, where that lets those applied keep ${reserve} s of their windows to verify and confirm. A larger --forks or --confirm-timeout, or serial: in the play (each batch confirmed before the next), keeps every wave inside the window`;
}
