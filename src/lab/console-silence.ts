// How long a router's serial console has said nothing. A guest under software emulation was seen
// to freeze dead during a reboot (in its shutdown, right after "reboot: Restarting system", and at
// its boot's first network jobs): its console stops, and waiting out the reboot watchdog's full
// 120 s for each such freeze made the e2e suite minutes slower. A rebooting guest writes to its
// console every few seconds (systemd's status lines, its spinner for a slow job); the longest quiet
// stretch seen in a normal reboot is the firmware plus the `quiet` kernel's boot, ~17-30 s here.
import { statSync } from 'node:fs';

/** Console silence, in seconds, after which a rebooting router counts as frozen ($TEQLCTL_LAB_CONSOLE_SILENCE, default 60). */
export function consoleSilenceMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TEQLCTL_LAB_CONSOLE_SILENCE;
  return (raw && /^\d+$/.test(raw) ? Number(raw) : 60) * 1000;
}

/** The size of the file, or -1 if it cannot be read. */
function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

/**
 * A function that says, each time it is called, how many milliseconds the file has not grown
 * since the first call: the time of its last change as seen by these calls. `size` and `now` are
 * parameters so that the rule is tested without a guest.
 */
export function silenceTracker(file: string, size: (f: string) => number = sizeOf, now: () => number = Date.now): () => number {
  let last = size(file);
  let since = now();
  return () => {
    const current = size(file);
    if (current !== last) {
      last = current;
      since = now();
    }
    return now() - since;
  };
}
