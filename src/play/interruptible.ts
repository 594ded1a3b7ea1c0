// A signal (SIGINT, SIGTERM, SIGHUP) must not wait for a round trip in flight: an apply held up on
// the router (a hung command) would otherwise keep the controller from rolling back. The work is
// abandoned (its connection stays open for the rollback, which stops the apply on the router).
import { RunFailure } from '../errors.js';

export function interruptedFailure(): RunFailure {
  return new RunFailure('interrupted', 'interrupted');
}

/** `work`, or a RunFailure('interrupted') as soon as `stop` aborts, whichever comes first. */
export async function orInterrupt<T>(work: Promise<T>, stop: AbortSignal | undefined): Promise<T> {
  if (!stop) return work;
  // An abandoned round trip fails later, when the rollback stops it: that is expected, not an error.
  work.catch(() => undefined);
  if (stop.aborted) throw interruptedFailure();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(interruptedFailure());
    stop.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => { stop.removeEventListener('abort', onAbort); resolve(v); },
      (e) => { stop.removeEventListener('abort', onAbort); reject(e); },
    );
  });
}

/** Waits `sec` seconds at `point` (a debug hold), says so first (the fault matrix waits for it), cut short by `stop`. */
export function holdFor(point: string, sec: number | undefined, o: { stop?: AbortSignal; onHold?: (point: string, sec: number) => void }): Promise<void> {
  if (!sec) return Promise.resolve();
  o.onHold?.(point, sec);
  return orInterrupt(new Promise<void>((r) => setTimeout(r, sec * 1000)), o.stop);
}
