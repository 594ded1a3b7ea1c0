// The end of `teqlctl rollback`: each router read again over a fresh connection, then confirmed
// over it (its dead-man disarmed, its lock freed). A bundle is confirmed on both of its ends or
// neither (rollback/confirm-groups.ts): a router not verified in time redoes the run by its
// dead-man, and so do the armed routers joined to it by the run's bundles.
import type { Transport } from '../connect/transport.js';
import { readFacts } from '../gather/read-facts.js';
import type { Facts } from '../gather/facts.js';
import { stateLines } from '../rollback/compare.js';
import { heldBack, type ConfirmCandidate } from '../rollback/confirm-groups.js';
import { parseRuns, runsScript } from '../deadman/runs-script.js';
import { confirmScript } from '../deadman/confirm-script.js';
import { afterConfirmation } from '../plan/persist/retiring-script.js';
import { CONFIRM_MARKER } from '../router/markers.js';
import type { RollbackOptions } from './rollback-run.js';
import { checked } from './checked-run.js';
import { runNow, timerMs } from './run-clock.js';

/** The run's recorded peers of one router, when its record names them. */
export function peersOf(run: { peers?: string[] } | undefined): { peers?: string[] } {
  return run?.peers !== undefined ? { peers: run.peers } : {};
}

/**
 * True when every router was confirmed (or, without a dead-man, verified). `firesAt`: the earliest
 * any of the rollback's timers can fire; a verification still running a little before it (a hung
 * router) counts as failed, so that the others are confirmed in time.
 */
export async function confirmRollback(hosts: readonly ConfirmCandidate[], runId: string, o: RollbackOptions, armed: Set<string>, firesAt: number): Promise<boolean> {
  const margin = Math.min(10_000, (o.timeoutSec * 1000) / 4);
  const verified = await Promise.all(hosts.map(({ host }) => verifyInTime(host, runId, o, armed, firesAt - margin - runNow())));
  const failed = new Set(verified.filter((v) => !v.fresh).map((v) => v.host));
  // Only an armed router redoes the run, and only an armed router can be held back from confirming:
  // one without a dead-man (--force on a run without redo scripts) stays rolled back either way.
  const holdBack = heldBack(hosts.filter((h) => armed.has(h.host)), new Set([...failed].filter((h) => armed.has(h))));
  for (const f of [...failed].filter((h) => armed.has(h))) {
    for (const u of hosts.filter((h) => !armed.has(h.host) && (h.peers?.includes(f) || hosts.find((x) => x.host === f)?.peers?.includes(h.host)))) {
      o.say(`${u.host} stays rolled back (no dead-man, --force) while ${f}'s dead-man redoes run ${runId}: their bundle ends on ${f}'s end only; teqlctl rollback --run ${runId} -l ${f} once it answers`);
    }
  }
  // A step of the undo failed there, as the router recorded it (its answer may have been lost):
  // confirmed as undone, all the same an incomplete rollback (exit 6), as when the answer said so.
  const withErrors = verified.filter((v) => v.fresh && v.undoFailed !== undefined);
  for (const v of withErrors) o.say(`${v.host}: run ${runId}'s undo recorded a failed step there (at ${v.undoFailed}): not all of it is as before the run`);
  const confirmed = await Promise.all(verified.map(async (v) => {
    if (!v.fresh) return false;
    const by = holdBack.get(v.host);
    if (by === undefined) return confirmVerified(v.host, v.fresh, v.after!, runId, o, armed);
    await v.fresh.close().catch(() => undefined);
    o.say(`${v.host}: not confirmed: it is joined to ${by} through the bundles of run ${runId}, and ${by} was not verified; its dead-man redoes run ${runId} within ${o.timeoutSec} s, as ${by}'s does`);
    return false;
  }));
  // Unanswered is neither: not said as redone beside a confirmed peer.
  sayRedoneSplits(hosts, new Map(verified.map((v, i) => [v.host, confirmed[i] === 'unanswered' ? undefined : confirmed[i]!])), runId, armed, o);
  return confirmed.every((c) => c === true) && withErrors.length === 0;
}

/**
 * Both ends verified, one confirmed and the other's confirmation failed (its timer came first, its
 * connection dropped): that one's dead-man redoes the run, and their bundle is then configured on its
 * end only. Said, with what undoes it there (it was said as two unrelated lines, a review).
 */
function sayRedoneSplits(hosts: readonly ConfirmCandidate[], confirmed: ReadonlyMap<string, boolean | undefined>, runId: string, armed: ReadonlySet<string>, o: RollbackOptions): void {
  const joined = (x: ConfirmCandidate, y: string) => x.peers?.includes(y) || hosts.find((h) => h.host === y)?.peers?.includes(x.host);
  for (const h of hosts) {
    if (confirmed.get(h.host) !== true) continue;
    for (const p of hosts) {
      if (p.host === h.host || confirmed.get(p.host) !== false || !armed.has(p.host) || !joined(h, p.host)) continue;
      o.say(`${h.host} is rolled back and ${p.host}'s dead-man redoes run ${runId}: a bundle of theirs is configured on ${p.host}'s end only; teqlctl rollback --run ${runId} -l ${p.host} undoes it there once it answers`);
    }
  }
}

type Verified = { host: string; fresh?: Transport; after?: Facts; undoFailed?: string };

/** verifyFresh, bounded by `ms`: past it the router counts as not verified (its connection closed when it comes). */
async function verifyInTime(host: string, runId: string, o: RollbackOptions, armed: Set<string>, ms: number): Promise<Verified> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), timerMs(ms))));
  const work = verifyFresh(host, runId, o, armed);
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  void work.then((v) => v.fresh?.close().catch(() => undefined));
  o.say(`${host}: not verified after the rollback: no answer before the rollback's dead-man timers come due${armed.has(host) ? `; its dead-man redoes run ${runId}` : ''}`);
  return { host };
}

/** A fresh connection to `host`, and the router read over it: the run must be recorded rolled back. */
async function verifyFresh(host: string, runId: string, o: RollbackOptions, armed: Set<string>): Promise<Verified> {
  let fresh: Transport | undefined;
  try {
    fresh = await o.reconnect(host);
    const after = await readFacts(fresh, host, []);
    const run = parseRuns((await checked(fresh, 'status', runsScript(1, runId), "reading teqlctl's runs")).stdout).runs.find((r) => r.id === runId);
    if (run?.state !== 'rolled-back') throw new Error(`run ${runId} is recorded as ${run?.state ?? 'missing'}, not rolled-back`);
    return { host, fresh, after, ...(run.undoFailed !== undefined ? { undoFailed: run.undoFailed } : {}) };
  } catch (err) {
    await fresh?.close().catch(() => undefined);
    const pending = armed.has(host) ? `; its dead-man redoes run ${runId} within ${o.timeoutSec} s` : '';
    o.say(`${host}: not verified after the rollback: ${(err as Error).message}${pending}`);
    return { host };
  }
}

/**
 * Confirms the rollback over the fresh connection verifyFresh opened, then closes it. `unanswered`:
 * sent, and its answer lost with the connection: it may have run to its end there (said as the
 * dead-man redoing the run, though the router may hold the rollback confirmed: a review).
 */
async function confirmVerified(host: string, fresh: Transport, after: Facts, runId: string, o: RollbackOptions, armed: Set<string>): Promise<boolean | 'unanswered'> {
  try {
    if (armed.has(host)) {
      const res = await fresh.run('confirm', confirmScript(o.lockId, [...stateLines(afterConfirmation(after))].join('\n'), 'rollback-confirmed')).catch((err: Error) => err);
      if (res instanceof Error) {
        o.say(`${host}: the rollback's confirmation was sent and never answered (${res.message}): it may have been confirmed there (run ${runId} stays undone) or not (its dead-man redoes run ${runId} within ${o.timeoutSec} s, and \`teqlctl rollback --run ${runId} -l ${host}\` undoes it there once it answers): \`teqlctl status\` says which`);
        return 'unanswered';
      }
      if (!res.stdout.includes(`${CONFIRM_MARKER} ok`)) throw new Error(`the rollback could not be confirmed, its dead-man redid run ${runId} (exit ${res.code}): ${res.stdout.trim()}`);
      if (res.stdout.includes(`${CONFIRM_MARKER} retire-failed`)) o.say(`${host}: the retiring boot script (kept until the rollback was confirmed) could not be removed: it removes itself at the next boot`);
      armed.delete(host);
    }
    o.say(`${host}: verified over a fresh connection`);
    return true;
  } catch (err) {
    o.say(`${host}: not confirmed after the rollback: ${(err as Error).message}`);
    return false;
  } finally {
    await fresh.close().catch(() => undefined);
  }
}
