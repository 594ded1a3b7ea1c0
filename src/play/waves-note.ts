// A fleet applied --forks hosts at a time, in waves: each host's dead-man runs from its own first
// change until every host is verified and confirmed, so the first wave waits for the last. Past
// the window those hosts revert by themselves and their bundles fail, healthy or not: said before
// the operator approves, while a larger window or serial batches can still be chosen.

/** Below this many seconds of the window per wave, a wave of real routers may not fit (facts re-read, steps, re-read). */
const MIN_WAVE_SEC = 10;

/** The note, when `changed` hosts at `forks` at a time leave each wave under MIN_WAVE_SEC of `timeoutSec`. */
export function wavesNote(changed: number, forks: number, timeoutSec: number): string | undefined {
  const waves = Math.ceil(changed / Math.max(1, forks));
  if (waves < 2 || timeoutSec / waves >= MIN_WAVE_SEC) return undefined;
  return `${changed} hosts change, ${forks} at a time (--forks ${forks}): ${waves} waves. Each host's dead-man (${timeoutSec} s) runs from its first change until every host is verified and confirmed: should the waves take more than ${timeoutSec} s in all (${Math.floor(timeoutSec / waves)} s each), the first hosts revert by themselves and their bundles fail. A larger --forks or --confirm-timeout, or serial: in the play (each batch confirmed before the next), keeps every wave inside the window`;
}
