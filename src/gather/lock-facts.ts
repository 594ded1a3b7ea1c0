// Who else acts on the router: teqlctl's lock, and the runs of this boot not ended (whose lock
// `teqlctl unlock` may have removed: router/open-runs.ts). Read from their facts sections.
import { parseLock, type RouterLock } from '../router/lock.js';

export function lockFacts(lockSection: string, openRunsSection: string): { lock?: RouterLock; openRuns?: Array<{ run: string; state: string }> } {
  const lock = parseLock(lockSection);
  // One line per run: its id, a space, its state (router/open-runs.ts listOpenRunsLines).
  const openRuns = openRunsSection.split('\n').filter((l) => l.includes(' ')).map((l) => ({ run: l.slice(0, l.indexOf(' ')), state: l.slice(l.indexOf(' ') + 1) }));
  return { ...(lock ? { lock } : {}), ...(openRuns.length > 0 ? { openRuns } : {}) };
}
