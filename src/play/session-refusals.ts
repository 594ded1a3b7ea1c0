// What refuses a host before its plan, from its facts alone (nothing changed): a session that is
// not root, another run's lock. A run changes links, qdiscs and sysctls and keeps its lock in
// /run: it needs root on the router. A session that is not (a login user without become, or become
// to another user) was seen to fail at the lock ("Permission denied", with a hint about free space
// in /run): refused before any change instead, saying how to become root. A --check only reads,
// and goes on, saying what a run would meet (checkNotes): as another user, teqlctl's records
// (0700) read as none, so its preview may differ from the run's.
import type { Facts } from '../gather/facts.js';
import { RefusedError } from '../errors.js';
import { lockMessage } from '../router/lock.js';
import { bootScriptWords, openRunWords } from '../router/open-runs.js';
import { notRootWords, ROOT_HINT } from '../router/session-uid.js';

export function refuseSession(host: string, facts: Facts, runId: string, check: boolean): void {
  if (check) return;
  const notRoot = notRootWords(facts.uid);
  if (notRoot !== undefined) throw new RefusedError(`${host}: ${notRoot}; nothing was changed`, ROOT_HINT);
  if (facts.lock && facts.lock.run !== runId) throw new RefusedError(lockMessage(host, facts.lock));
  const open = otherOpenRun(facts, runId);
  if (open) throw new RefusedError(`${host}: ${openWords(open)}; nothing was changed`);
}

/** The boot script of this boot, listed as "(boot)", or a run (router/open-runs.ts). */
const openWords = (open: { run: string; state: string }) => (open.run === '(boot)' ? bootScriptWords(open.state) : openRunWords(open.run, open.state));

/** A run of this boot other than `runId` that has not ended there (its lock removed by `unlock`). */
function otherOpenRun(facts: Facts, runId?: string): { run: string; state: string } | undefined {
  return facts.openRuns?.find((r) => r.run !== runId);
}

/**
 * Another run under way on this router (its lock, or a run of this boot not ended), for a --check:
 * what it read may still change (that run's dead-man may revert it), or undefined.
 */
export function busyWords(host: string, facts: Facts): string | undefined {
  const open = otherOpenRun(facts);
  return facts.lock ? lockMessage(host, facts.lock) : open ? `${host}: ${openWords(open)}` : undefined;
}

/** A --check's words for what would refuse the run (its title's end), or ''. */
export function checkNotes(host: string, facts: Facts): string {
  const notRoot = notRootWords(facts.uid);
  if (notRoot !== undefined) return ` (a run would be refused: ${notRoot})`;
  const open = otherOpenRun(facts);
  return facts.lock ? ` (${lockMessage(host, facts.lock)})` : open ? ` (a run would be refused: ${openWords(open)})` : '';
}
