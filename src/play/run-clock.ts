// The controller's clock for the dead-man windows it keeps: epoch milliseconds. The wall clock,
// unless it was stepped back since this process started: then the monotonic clock's time since.
// Date.now() alone, stepped back (NTP on a controller that booted wrong), made a cut come late or
// never and a question name a later firing time than the routers' (a review); the monotonic clock
// alone stops while the controller is suspended, and the routers' timers do not. A step forward
// makes time look passed where the run next reads it, and the run rolls back rather than confirm
// too late. Times are shown on the wall clock (toWall). Delays handed to Node's timers are capped (timerMs): past 2^31-1
// ms they fire at once.
import { performance } from 'node:perf_hooks';

const wallAtStart = Date.now();
const monoAtStart = performance.now();

/** A wall clock this far behind the monotonic one was stepped back; within it, the two only drift. */
const STEPPED_BACK_MS = 5_000;

/**
 * Now, for deadlines: the wall clock, which counts a suspend, unless it was stepped back (then the
 * monotonic clock's time since start). Whole milliseconds, as Date.now().
 */
export function runNow(): number {
  const wall = Date.now() - wallAtStart;
  const mono = Math.floor(performance.now() - monoAtStart);
  return wallAtStart + (mono - wall > STEPPED_BACK_MS ? mono : wall);
}

/** The longest delay Node's timers take (2^31-1 ms): past it they fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A delay for setTimeout or AbortSignal.timeout: at least 0, at most what they take. */
export function timerMs(ms: number): number {
  return Math.min(MAX_TIMER_MS, Math.max(0, ms));
}

/** A runNow() time on the wall clock, to show: after a step back the two differ by the step. */
export function toWall(ms: number): number {
  return ms - runNow() + Date.now();
}
