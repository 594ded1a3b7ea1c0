// `teqlctl rollback`'s run: undo a confirmed run later, on every router that has it, from the
// journal kept on the router, as safely as `play` applies: the lock first, a refusal when a router
// moved since that run, a dead-man (the router redoes the run unless the rollback is confirmed in
// time), then each router read again and confirmed over a fresh connection.
import { ConnectError, ExitCode, RefusedError, RemoteCommandError, RunFailure } from '../errors.js';
import type { Transport } from '../connect/transport.js';
import { readFacts } from '../gather/read-facts.js';
import { movedSince, qdiscDetailSelectors, sysctlNames } from '../rollback/drift.js';
import { LOCK_LOST_MARKER, NO_REDO_MARKER, afterStateScript, armRollbackScript, parseAfterState, parseRuns, runsScript } from '../deadman/runs-script.js';
import { unlockRunScript } from '../deadman/unlock-script.js';
import { NOT_CONFIRMED_MARKER, ROLLBACK_DECIDED_MARKER, stillConfirmedLines, undoRunScript } from '../deadman/undo-run-script.js';
import { lockHeldBy, lockUnusable, releaseLockLine, takeLockScript } from '../router/lock.js';
import { OPEN_RUN_MARKER, refuseOpenRunLines } from '../router/open-runs.js';
import { LATER_RUN_HINT, laterConfirmed, laterRunWords, notLatestThere } from './latest-run.js';
import { laterRunsIn, refuseLaterRunLines } from '../deadman/later-runs.js';
import { PRUNED_RECORD, prunedWords, splitBundles } from '../rollback/split-bundles.js';
import { LOCK_MARKER } from '../router/markers.js';
import { identityIn } from '../router/stack-identity.js';
import { notRootWords, ROOT_HINT, uidIn } from '../router/session-uid.js';
import { sameRouterGroups, sameRouterHint, sameRouterMessage } from './same-router.js';
import { confirmRollback, peersOf } from './rollback-confirm.js';
import { checked } from './checked-run.js';
import { retiringScript } from '../plan/persist/retiring-script.js';
import { BOOT_STARTERS } from '../router/paths.js';
import { runNow } from './run-clock.js';

export interface RollbackHost {
  host: string;
  transport?: Transport;
  error?: string;
}

export interface RollbackOptions {
  /** The run to undo; default: the latest confirmed run. */
  run?: string;
  force?: boolean;
  /** The id under which this rollback holds the routers' locks (its own run on each router). */
  lockId: string;
  owner: string;
  /** The rollback's dead-man: each router redoes the run unless the rollback is confirmed within this. */
  timeoutSec: number;
  /** A fresh connection to a host, to read it again once the run is undone. */
  reconnect: (host: string) => Promise<Transport>;
  /** `--debug-hold-before-confirm`, as for play: wait before re-verifying. */
  holdBeforeConfirmMs?: number;
  say: (line: string) => void;
  /** The run chosen, before anything changes: may refuse it (throw), as when it was logged into otherwise than that run. */
  chosen?: (runId: string) => void;
  /** The run undone and confirmed on every router given that held it, none of its bundles left on one end. */
  undone?: (runId: string) => void;
  /**
   * A signal came (Ctrl-C, TERM, HUP). Before the undo starts the rollback stops (exit 130): the
   * locks it took are freed, and a router already armed is left to its dead-man, which frees its
   * lock (its redo finds the run still applied). Once an undo is sent it runs to its end and is
   * confirmed, or each router redoes the run: stopping between hosts would leave bundles on one end.
   */
  interrupted?: () => boolean;
}

/** Thrown where the rollback stops for a signal, nothing of the run undone. */
function stopIfInterrupted(o: RollbackOptions, runId: string, armed: ReadonlySet<string>): void {
  if (!o.interrupted?.()) return;
  const left = armed.size > 0 ? ` (${[...armed].join(', ')} armed: ${armed.size > 1 ? 'their' : 'its'} dead-man frees the lock within ${o.timeoutSec} s, its redo finding run ${runId} still there)` : '';
  throw new RunFailure('interrupted', `interrupted before the undo: nothing of run ${runId} was rolled back${left}`);
}


/**
 * `step` on every router at once; once all of them ended, the first failure in the routers' order
 * is thrown (so the message does not depend on which answered first), else their results.
 */
async function everyRouter<T, R>(routers: readonly T[], step: (r: T) => Promise<R>): Promise<R[]> {
  const settled = await Promise.allSettled(routers.map(step));
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<R>).value);
}

/** Undoes one run on every router that has it; returns the exit code (0, or 6 when an undo or its check failed). */
export async function rollbackRun(conns: readonly RollbackHost[], o: RollbackOptions): Promise<number> {
  const down = new Map(conns.filter((c) => !c.transport).map((c) => [c.host, c.error ?? 'unreachable']));
  const up = conns.filter((c) => c.transport);
  if (up.length === 0) throw new ConnectError(conns[0]?.host ?? '?', `unreachable: ${[...down].map(([h, e]) => `${h}: ${e}`).join('; ')}`);
  // The latest run of the routers that answer need not be the latest of all (a review): unnamed, it is not guessed.
  if (o.run === undefined && down.size > 0) {
    throw new ConnectError([...down.keys()][0]!, `which run is the latest cannot be told while ${[...down.keys()].join(', ')} ${down.size > 1 ? 'do' : 'does'} not answer (${[...down].map(([h, e]) => `${h}: ${e}`).join('; ')}); nothing was rolled back`, 'name the run: teqlctl rollback -i ... --run ID (`teqlctl status -i ...` lists the runs)');
  }
  const read = async (c: RollbackHost) => (await checked(c.transport!, 'status', runsScript(50, o.run, { identity: true }), "reading teqlctl's runs")).stdout;
  const found = await Promise.all(up.map(async (c) => ((out) => ({ c, t: c.transport!, identity: identityIn(out), uid: uidIn(out), ...parseRuns(out) }))(await read(c))));
  // Not root: its records (0700) read as none, and its undo could not run (router/session-uid.ts).
  const notRoot = found.filter((f) => notRootWords(f.uid) !== undefined);
  if (notRoot.length > 0) throw new RefusedError(`${notRoot.map((f) => `${f.c.host}: ${notRootWords(f.uid)}`).join('; ')}; nothing was rolled back`, ROOT_HINT);
  // One router under two names would be undone twice at once (same-router.ts): refused whole.
  const twins = sameRouterGroups(found.map((f) => [f.c.host, f.identity]));
  if (twins.length > 0) throw new RefusedError(`${twins.map((g) => sameRouterMessage(g, 'rolled back')).join('; ')}; nothing was rolled back`, sameRouterHint(false));
  const confirmed = found.flatMap((f) => f.runs.filter((r) => r.state === 'confirmed' && !r.pruned).map((r) => r.id)).sort();
  const runId = o.run ?? confirmed[confirmed.length - 1];
  const unreachableToo = down.size > 0 ? ` (unreachable: ${[...down].map(([h, e]) => `${h}: ${e}`).join('; ')})` : '';
  if (!runId) throw new RefusedError(`no confirmed run to roll back on these routers${unreachableToo}`, 'see `teqlctl status -i ...`');
  const skewed = o.run === undefined ? notLatestThere(runId, found.map((f) => ({ host: f.c.host, runs: f.runs }))) : undefined;
  if (skewed) throw new RefusedError(skewed, 'name the run to undo: teqlctl rollback -i ... --run ID (`teqlctl status -i ...` lists each router\'s runs in the order it armed them)');
  o.chosen?.(runId);
  // The latest run, chosen from the routers' 50 latest: one that lists 50 newer runs (play and
  // rollback cycles) may still hold it. Read there directly (a review).
  if (o.run === undefined) await Promise.all(found.filter((f) => !f.runs.some((r) => r.id === runId)).map(async (f) => f.runs.push(...parseRuns((await checked(f.t, 'status', runsScript(0, runId), "reading teqlctl's runs")).stdout).runs)));
  // A run whose records a router pruned (prune-runs.ts) is no target there: nothing is left to undo it with.
  const targets = found.filter((f) => f.runs.some((r) => r.id === runId && r.state === 'confirmed' && !r.pruned));
  const pruned = found.filter((f) => f.runs.some((r) => r.id === runId && r.state === 'confirmed' && r.pruned)).map((f) => f.c.host);
  // None of those that answer holds it: one that does not answer may (exit 3, not a refusal).
  if (targets.length === 0 && down.size > 0 && pruned.length === 0) throw new ConnectError([...down.keys()][0]!, `run ${runId} is not a confirmed run on any router that answers; ${[...down.keys()].join(', ')} may hold it${unreachableToo}; nothing was rolled back`, `roll it back once ${down.size > 1 ? 'they answer' : 'it answers'}`);
  if (targets.length === 0) throw new RefusedError(`run ${runId} is not a confirmed run on any of these routers${pruned.length > 0 ? `: ${prunedWords(pruned)}` : ''}${unreachableToo}`);
  // A router that cannot be reached holds up only the rollback of the routers it shares a bundle with.
  // Pending in an earlier boot (no boot script decided it): the restart dropped its changes, and no
  // timer will revert it; as abandoned, nothing of it is there (it held the rollback off, a review).
  const records = new Map(found.flatMap((f) => f.runs.filter((r) => r.id === runId).map((r) => [f.c.host, r.pruned && r.state === 'confirmed' ? PRUNED_RECORD : r.state === 'pending' && r.earlierBoot ? 'abandoned' : r.state] as const)));
  const split = splitBundles(runId, targets.map((f) => ({ host: f.c.host, run: f.runs.find((r) => r.id === runId)! })), down, new Set(conns.map((c) => c.host)), records);
  if (split.blocked.length > 0) {
    throw new ConnectError([...down.keys()][0]!, `run ${runId} is not rolled back anywhere: undone on the others alone, its bundles would stay configured on one end:\n  ${split.blocked.join('\n  ')}`,
      `roll it back once ${down.size > 1 ? 'they answer' : 'it answers'}; or undo it on the others now, leaving ${down.size > 1 ? 'them' : 'it'} out: teqlctl rollback -i ... --run ${runId} -l 'all:${[...down.keys()].map((h) => `!${h}`).join(':')}' (${down.size > 1 ? 'each' : 'it'} keeps the run until rolled back there alone)`);
  }
  // A peer without a record of the run is said, not refused: it has nothing of the run teqlctl could
  // undo (it failed before arming, and its hub undid that bundle then; or its records are gone).
  // One that holds it otherwise (pending, reverting) may hold its changes: refused unless --force;
  // `abandoned` (its restart dropped them, a later run came after) is said.
  const held = split.unheld.filter((u) => u.record !== undefined && u.record !== 'abandoned');
  if (held.length > 0 && !o.force) {
    throw new RefusedError(`run ${runId} is not rolled back anywhere: undone on the routers that hold it confirmed, its bundles could stay configured on the other end:\n  ${held.map((u) => u.line).join('\n  ')}`,
      'see `teqlctl status -i ...` there (a dead-man still armed reverts it by itself); undo it on the holders anyway with --force');
  }
  // A run confirmed after it where it is undone (--run names any run): refused, or said under --force;
  // after the reasons it cannot be undone at all (a peer unreachable, pruned, holding it otherwise).
  const later = laterRunWords(runId, laterConfirmed(runId, targets.map((f) => ({ host: f.c.host, runs: f.runs }))));
  if (later.length > 0 && !o.force) throw new RefusedError(`${later.join('\n  ')}\n  nothing was rolled back`, LATER_RUN_HINT);
  for (const l of later) o.say(`${l} (--force)`);
  for (const u of split.unheld) o.say(`${u.line}: ${u.record === undefined || u.record === 'abandoned' ? 'nothing of it is undone there' : 'not undone there (--force)'}`);
  for (const h of split.aside) o.say(`${h}: unreachable (${down.get(h)}): no router rolled back here shares a bundle of run ${runId} with it; if it holds the run, roll it back there once it answers: teqlctl rollback --run ${runId} -l ${h}`);
  const locked: Transport[] = [];
  // Hosts whose dead-man is armed and not yet confirmed: their lock stays, the revert frees it.
  const armed = new Set<string>();
  try {
    // Each step below runs on every router at once (a fleet's rollback is not one round trip per
    // router after another), and is settled on all of them before the next: a lock taken or a
    // dead-man armed is known before the rollback stops on another router's refusal.
    // The lock first: nothing else may change a router between the comparison below and the undo.
    stopIfInterrupted(o, runId, armed);
    await everyRouter(targets, async ({ c, t }) => {
      const res = await checked(t, 'lock', `${takeLockScript(o.lockId, o.owner)}\n${refuseOpenRunLines(o.lockId, releaseLockLine(o.lockId))}\n${stillConfirmedLines(runId, releaseLockLine(o.lockId))}${o.force ? '' : `\n${refuseLaterRunLines(runId, releaseLockLine(o.lockId))}`}`, 'taking the lock', 'connect', [0, 3]);
      const held = lockHeldBy(res.stdout);
      if (held !== undefined) throw new RefusedError(`${c.host} is locked: ${held}`, 'wait for that run to end, or `teqlctl unlock` a dead one');
      const open = new RegExp(`^${OPEN_RUN_MARKER} (.*)$`, 'm').exec(res.stdout)?.[1];
      if (open !== undefined) throw new RefusedError(`${c.host}: ${open}; nothing was rolled back`, 'see `teqlctl status -i ...`');
      const gone = new RegExp(`^${NOT_CONFIRMED_MARKER} (.*)$`, 'm').exec(res.stdout)?.[1];
      if (gone !== undefined) throw new RefusedError(`${c.host}: run ${runId} is no longer confirmed there (${gone || 'no state'}): another rollback, or a dead-man, decided it after it was read; nothing was rolled back`, 'see `teqlctl status -i ...`');
      const laterThere = laterRunsIn(res.stdout);
      if (laterThere !== undefined) throw new RefusedError(`${laterRunWords(runId, [{ host: c.host, later: laterThere }]).join('')} (confirmed after the runs were read)\n  nothing was rolled back`, LATER_RUN_HINT);
      const unusable = lockUnusable(res.stdout);
      if (unusable !== undefined) throw new RefusedError(`${c.host}: ${unusable}`, 'nothing was rolled back');
      if (res.code !== 0) throw new RemoteCommandError(c.host, res, 'taking the lock', 'connect');
      locked.push(t);
    });
    stopIfInterrupted(o, runId, armed);
    // Moved since the run? Compare what the run left with what the router holds now.
    const read = await everyRouter(targets, async ({ c, t }) => {
      const after = parseAfterState((await checked(t, 'after-state', afterStateScript(runId), `reading what run ${runId} left`)).stdout);
      // The sysctls the run left are read again and compared too: left out, a later change to one went unseen.
      // And the detail of the root qdiscs it holds in detail: not read, each would look moved.
      return { host: c.host, redo: after.redo, moved: movedSince(c.host, after.lines, await readFacts(t, c.host, sysctlNames(after.lines), { held: qdiscDetailSelectors(after.lines) })) };
    });
    const moved = read.flatMap((r) => r.moved);
    if (moved.length > 0 && !o.force) throw new RefusedError(`the routers changed since run ${runId}:\n  ${moved.join('\n  ')}`, 'undo anyway with --force');
    // Under --force the changes are said all the same: undone beneath, they are not silent.
    for (const m of moved) o.say(`${m} (--force: undone all the same)`);
    // Refused before any dead-man is armed: armed first, the others would keep their locks until theirs fired.
    const noRedo = read.filter((r) => !r.redo).map((r) => r.host);
    if (noRedo.length > 0 && !o.force) throw new RefusedError(`${noRedo.join(', ')}: run ${runId} predates the redo scripts a rollback's dead-man needs; nothing was rolled back`, 'undo it without a dead-man with --force');
    // Each router's retiring boot script, should its undo remove the boot script (undo-run-script.ts):
    // every starter, as one a later batch of the run removed is written back by the undo, kept there
    // while the retiring script is (render-op.ts), and must go with it at the confirmation (a review).
    const retiring = new Map(targets.map(({ c }) => [c.host, retiringScript(c.host, BOOT_STARTERS)]));
    // The dead-man, before any change: a rollback that cuts the management path is undone by the router.
    // The earliest any of the rollback's timers can fire counts from here (before the first arm).
    stopIfInterrupted(o, runId, armed);
    const armsSentAt = runNow();
    await everyRouter(targets, async ({ c, t }) => {
      const res = await checked(t, 'arm', armRollbackScript(o.lockId, o.owner, runId, o.timeoutSec), 'arming the dead-man', 'connect', [0, 3, 9]);
      const lost = new RegExp(`^${LOCK_LOST_MARKER} ?(.*)$`, 'm').exec(res.stdout);
      if (lost) throw new RefusedError(`${c.host}: the rollback's lock was removed meanwhile (teqlctl unlock --force?)${lost[1] ? ` and run ${lost[1]} holds it now` : ''}: nothing was rolled back there`, 'see `teqlctl status -i ...`, and roll back once that run ended');
      if (res.code === 3) throw new RemoteCommandError(c.host, res, 'arming the dead-man', 'connect');
      if (!res.stdout.includes(NO_REDO_MARKER)) armed.add(c.host);
      else if (!o.force) throw new RefusedError(`${c.host}: run ${runId} predates the redo scripts a rollback's dead-man needs`, 'undo it without a dead-man with --force');
      else o.say(`${c.host}: no dead-man (run ${runId} has no redo scripts; --force)`);
    });
    stopIfInterrupted(o, runId, armed);
    let exitCode: number = ExitCode.ok;
    // Every router at once, then every confirmation at once: one by one, a slow undo (one that cut
    // its management path waits out its round trip) let the others' dead-men fire meanwhile.
    await Promise.all(targets.map(async ({ c, t }) => {
      let res;
      try {
        res = await t.run('rollback', undoRunScript(runId, o.lockId, retiring.get(c.host)));
      } catch (err) {
        // The undo may have cut this connection: the fresh one below tells.
        o.say(`${c.host}: ${(err as Error).message} while undoing run ${runId}`);
        return;
      }
      const decided = new RegExp(`^${ROLLBACK_DECIDED_MARKER} (.*)$`, 'm').exec(res.stdout)?.[1];
      const errors = res.stderr.trim();
      if (decided !== undefined) {
        o.say(`${c.host}: the rollback's dead-man had already decided (${decided || 'no state'}) before the undo finished: its redo puts run ${runId} back there`);
        exitCode = ExitCode.rollbackIncomplete;
      } else if (res.code !== 0 || errors) {
        o.say(`${c.host}: run ${runId} undone with errors (exit ${res.code})${errors ? `: ${errors}` : ''}`);
        exitCode = ExitCode.rollbackIncomplete;
      } else {
        o.say(`${c.host}: run ${runId} undone`);
      }
    }));
    if (o.holdBeforeConfirmMs) await new Promise((r) => setTimeout(r, o.holdBeforeConfirmMs));
    // Re-verify over a fresh connection, then confirm: a bundle on both of its ends or neither.
    const hosts = targets.map((f) => ({ host: f.c.host, ...peersOf(f.runs.find((r) => r.id === runId)) }));
    if (!(await confirmRollback(hosts, runId, o, armed, armsSentAt + o.timeoutSec * 1000))) exitCode = ExitCode.rollbackIncomplete;
    for (const { host, peer } of split.outside) o.say(`${peer} (not selected) shares a bundle of run ${runId} with ${host}: if it holds the run, that bundle is now configured on ${peer}'s end only; teqlctl rollback --run ${runId} -l ${peer} undoes it there`);
    // Rolled back around a host that did not answer: the run may still be on it.
    if (split.aside.length > 0 && exitCode === ExitCode.ok) return ExitCode.rollbackIncomplete;
    if (exitCode === ExitCode.ok && split.outside.length === 0 && split.unheld.every((u) => u.record === undefined || u.record === 'abandoned')) o.undone?.(runId);
    return exitCode;
  } catch (err) {
    // Stopped after some routers were armed (another's arm refused): theirs keep the lock until their
    // dead-man fires, and it redoes nothing, the run being still there: said, not left unnamed (a review).
    if (armed.size > 0 && !(err instanceof RunFailure)) o.say(`${[...armed].join(', ')}: armed before the rollback stopped: ${armed.size > 1 ? 'their' : 'its'} dead-man frees the lock within ${o.timeoutSec} s, finding run ${runId} still there (nothing of it was undone)`);
    throw err;
  } finally {
    await Promise.all(locked.filter((t) => !armed.has(t.host)).map((t) => t.run('unlock', unlockRunScript(o.lockId)).catch(() => undefined)));
  }
}
