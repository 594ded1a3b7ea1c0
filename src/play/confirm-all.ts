// After every check passed: prove management access still works by opening a NEW connection to
// each changed host, then confirm over it (disarm the dead-man, record the state, free the lock).
// A bundle is confirmed on both of its ends or on neither: a failure rolls back its bundles only.
import { approvalDeadline, type ApprovalDeadline } from './approval-deadline.js';
import { RunFailure } from '../errors.js';
import { beforeMarker, stagedOverRun, type CommandResult, type StagedRun, type Transport } from '../connect/transport.js';
import { runWithProgress } from '../ui/progress.js';
import { afterStateOf } from './rollback-all.js';
import type { RunState } from './run-state.js';
import { confirmScript, releaseScript } from '../deadman/confirm-script.js';
import { holdFor, orInterrupt } from './interruptible.js';
import { BARRIER_MARKER, CONFIRM_MARKER } from '../router/markers.js';
import { BOOT_SCRIPT } from '../router/paths.js';
import { failUnits, type HostFailure } from './unit-failures.js';
import { settle } from './settle.js';
import { confirmWaves } from './confirm-waves.js';
import { CONFIRM_SEC, waveBound, type WaveBound } from './confirm-bound.js';
import { BarrierCut } from './barrier-cut.js';

/** `p`, or a rejection with `message` after `ms`. */
function within<T>(ms: number, p: Promise<T>, message = `no answer within ${ms / 1000} s`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** The hosts that changed for a bundle still standing: the ones to confirm. */
function toConfirm(run: RunState): string[] {
  // In inventory order (sessions are kept in the order their connections opened).
  return [...run.reports.keys()].filter((h) => run.sessions.get(h)?.armed && run.domains.alive(h) && !run.rolledBack.has(h));
}

/** When the timers of the hosts awaiting confirmation fire (a later play's approval is asked under them). */
export function confirmDeadline(run: RunState): ApprovalDeadline | undefined {
  return approvalDeadline(toConfirm(run).map((h) => ({ host: h, armedAt: run.sessions.get(h)!.armedAt })), run.opts.confirmTimeoutSec);
}

/** Confirms every host still standing; `onDecided` once all of them are, before their locks are freed. */
export async function confirmAll(run: RunState, onDecided?: () => void): Promise<void> {
  const hosts = toConfirm(run);
  if (hosts.length === 0) return;
  const fresh = new Map<string, Transport>();
  // Each confirmed host's shell, waiting at its barrier to free the lock (releaseAll).
  const waiting = new Map<string, StagedRun>();
  try {
    const lost: HostFailure[] = [];
    // A new connection that hangs (its router's management link lost: SYNs dropped, no
    // ConnectTimeout) is cut as a hung apply is, before the others' windows close (barrier-cut.ts).
    const cut = new BarrierCut(run, hosts, {
      at: 'the new connections', late: 'its new connection did not open in time', skipped: 'not confirmed',
      fate: 'its bundles failed, rolled back on their ends (beside the run on it)', reserveShare: 0.5,
    });
    await runWithProgress(run.opts.mode, hosts.map((h) => ({
      host: h,
      title: `${h}: new connection to confirm`,
      run: cut.watch(h, async (setTitle) => {
        try {
          if (cut.tooLate) throw new Error(cut.tooLate);
          // Opened while the last phase was verified (apply-and-verify.ts), else now.
          if (!run.fresh.has(h)) run.changedAfterFresh.delete(h);
          if (!run.fresh.has(h)) run.fresh.set(h, run.opts.connectFresh(h, run.specs.get(h)!));
          fresh.set(h, await cut.until(h, run.fresh.get(h)!));
          setTitle(`${h}: management access still works`);
          return [];
        } catch (err) {
          lost.push({ host: h, message: (err as Error).message });
          throw err;
        }
      }),
    })), run.opts.forks).finally(() => cut.dispose());
    // A host whose management access did not survive is confirmed nowhere, nor are its peers in its bundles.
    failUnits(run, 'verify', 'management access lost after applying (a new SSH connection failed): ', lost);
    await settle(run);
    if (run.opts.interrupted()) throw new RunFailure('interrupted', 'interrupted');
    // A hub confirms after the hosts that end only one bundle (its spokes): a spoke whose
    // confirmation fails has its bundle undone on a hub whose dead-man still runs, so the hub can
    // still take a batch (a failed link's rp_filter raised back, its boot files written again for
    // the kept bundles: settle.ts). Confirmed at once with its spokes, such a hub refused that
    // batch and was rolled back wholly, every healthy spoke with it (a review). Hosts of several
    // bundles confirm fewest first, two peers never at once (confirm-waves.ts). The price is a
    // round trip per wave for runs with hubs, a longer window between confirmations
    // (docs/deadman.md). With a hold between confirmations (the fault matrix), the first host
    // confirms alone first.
    const ready = toConfirm(run).filter((h) => fresh.has(h));
    const between = run.opts.holds?.betweenConfirmsSec;
    const waves = between ? [ready.slice(0, 1), ready.slice(1)] : confirmWaves(ready, (h) => run.domains.unitsOf(h));
    // How long a confirmed shell may wait at its barrier: the other waves (each one round trip of
    // its hosts at once, bounded as one), the hold between them, and a rollback of another host
    // (bounded by the dead-man's window). Past it the shell ends; releaseAll then frees the lock in
    // a round trip of its own.
    const waitSec = Math.max(120, run.opts.confirmTimeoutSec) + (between ?? 0) + CONFIRM_SEC * waves.length;
    for (const [n, wave] of waves.entries()) {
      if (n > 0 && between) await holdFor('between-confirms', between, run.opts);
      await reopenChanged(run, wave, fresh);
      const failures: HostFailure[] = [];
      // Not one that an earlier wave's failure rolled back wholly.
      await orInterrupt(confirmWave(run, wave.filter((h) => toConfirm(run).includes(h)), fresh, waiting, failures, waitSec, waveBound(run, waves.slice(n + 1).flat().filter((h) => toConfirm(run).includes(h)))), run.opts.stop);
      // A bundle with one end confirmed and the other not is rolled back on both (a partial confirmation).
      failUnits(run, 'verify', 'confirmation failed: ', failures);
      await settle(run);
      if (run.opts.interrupted()) throw new RunFailure('interrupted', 'interrupted');
    }
    // Every router still standing is confirmed: decided from here, before the locks are freed (a
    // signal during the release said "rolling back every router that changed", and the run ended 0
    // with nothing rolled back; a review). The locks are freed whatever that word throws.
    let thrown: { err: unknown } | undefined;
    try {
      onDecided?.();
    } catch (err) {
      thrown = { err };
    }
    await releaseAll(run, toConfirm(run).filter((h) => run.confirmed.has(h)), fresh, waiting);
    if (thrown) throw thrown.err;
  } finally {
    // A shell still waiting (its host rolled back, or the run stopped) ends without freeing the lock.
    // Bounded: a shell still inside its confirmation (it did not answer) is stopped by the close below.
    await Promise.all([...waiting].map(([h, staged]) => within(5_000, staged.finish('').then((r) => run.opts.log.record(h, r))).catch(() => undefined)));
    for (const [h, t] of fresh) run.confirmStats.set(h, { ...t.stats });
    await Promise.all([...fresh.values()].map((t) => t.close().catch(() => undefined)));
  }
}

/**
 * A hub whose partial rollback (a failed bundle undone, a link's rp_filter raised, its boot files
 * written again) came after its confirmation's connection was opened gets a new one: the
 * confirmation must travel over a connection opened after the router's last change (found by a
 * review). One that cannot be opened fails the host's bundles, as at first.
 */
async function reopenChanged(run: RunState, wave: readonly string[], fresh: Map<string, Transport>): Promise<void> {
  // Until none is left: a failed reopening's settle may roll back part of another hub of the wave.
  for (let hosts = changed(run, wave); hosts.length > 0; hosts = changed(run, wave)) await reopen(run, hosts, fresh);
}

const changed = (run: RunState, wave: readonly string[]) => wave.filter((h) => run.changedAfterFresh.has(h) && toConfirm(run).includes(h));

async function reopen(run: RunState, hosts: readonly string[], fresh: Map<string, Transport>): Promise<void> {
  const lost: HostFailure[] = [];
  await runWithProgress(run.opts.mode, hosts.map((h) => ({
    host: h,
    title: `${h}: new connection to confirm, after its partial rollback`,
    run: async () => {
      run.changedAfterFresh.delete(h);
      const old = fresh.get(h);
      fresh.delete(h);
      await old?.close().catch(() => undefined);
      try {
        fresh.set(h, await run.opts.connectFresh(h, run.specs.get(h)!));
      } catch (err) {
        lost.push({ host: h, message: (err as Error).message });
        throw err;
      }
    },
  })), run.opts.forks);
  failUnits(run, 'verify', 'management access lost after a partial rollback (a new SSH connection failed): ', lost);
  await settle(run);
  if (run.opts.interrupted()) throw new RunFailure('interrupted', 'interrupted');
}

/**
 * Confirms over the new connections, keeping each router's lock: until every host is confirmed, a
 * failure elsewhere still rolls this one back under its lock (a partial confirmation). Each shell
 * then waits at a barrier, in the same round trip, for releaseAll's word: freeing the lock costs no
 * round trip of its own (a new shell, ~0.3 s of an emulated router's time).
 */
function confirmWave(run: RunState, hosts: string[], fresh: Map<string, Transport>, waiting: Map<string, StagedRun>, failures: HostFailure[], waitSec: number, bound: WaveBound): Promise<Error[]> {
  return runWithProgress(run.opts.mode, hosts.map((h) => ({
      host: h,
      title: `${h}: confirm`,
      run: async (setTitle) => {
        const after = afterStateOf(run, h, run.latest.get(h)!);
        const script = `${confirmScript(run.runId, after, 'confirmed', false, { holdAfterDecisionSec: run.opts.holds?.decidedSec })}printf '%s\\n' '${BARRIER_MARKER}'\n`;
        const staged = stagedOverRun(fresh.get(h)!, 'confirm', script, BARRIER_MARKER, waitSec);
        run.opts.log.sent(h, 'confirm', script);
        // Sent: unanswered until its word comes back (a signal that dropped this wait left it unmarked,
        // and the recap said its dead-man would revert a router whose confirmation had landed: a review).
        run.confirmUnanswered.add(h);
        // Ended by the finally of confirmAll if it never gets its word (or never answers).
        waiting.set(h, staged);
        // The confirmation itself is bounded as a round trip of its own was: the shell's wait, not.
        const { ms, why } = bound.of(h);
        const { stdout, ended } = await within(ms, staged.reached, `no answer to the confirmation within ${Math.round(ms / 1000)} s${why ?? ''}`).catch((err: Error) => {
          // failUnits says "confirmation failed: <host>: " before it: the error's own words follow.
          failures.push({ host: h, message: err.message });
          run.confirmUnanswered.add(h);
          // Its rollback may wait as its confirmation did: beside the run (settle.ts).
          if (why) run.stalled.add(h);
          throw err;
        });
        if (ended) {
          waiting.delete(h);
          // The whole round trip's output (its script was logged when sent).
          run.opts.log.record(h, await staged.finish('').catch(() => ({ ...ended, script: '' })));
        }
        const res = ended ?? { code: 0, stdout: beforeMarker(stdout, BARRIER_MARKER)!, stderr: '' };
        // No word of it at all (the session ended first): it may have run to its end there all the same.
        if (res.stdout.includes(CONFIRM_MARKER)) run.confirmUnanswered.delete(h);
        if (!res.stdout.includes(`${CONFIRM_MARKER} ok`)) {
          const late = /too-late (\S+)/.exec(res.stdout)?.[1];
          const rebooted = new RegExp(`${CONFIRM_MARKER} rebooted`).test(res.stdout);
          const takenOver = /too-late \S* ?decided-by=rollback/.test(res.stdout);
          const msg = rebooted
            ? 'the router restarted after it was verified (its boot id is not the one the run was armed in): the restart dropped the changes, so the run is not confirmed'
            : takenOver ? 'a rollback took the run over while its confirmation was held up there: it is undone, not confirmed'
            : late ? `the dead-man had already fired (run state: ${late}); raise --confirm-timeout` : `confirmation failed (exit ${res.code}): ${res.stderr.trim()}`;
          failures.push({ host: h, message: msg });
          throw new Error(msg);
        }
        run.confirmed.add(h);
        const own = run.latest.get(h)?.management?.clientPort ?? '?';
        const port = new RegExp(`${CONFIRM_MARKER} ok port=(\\S+)`).exec(res.stdout)?.[1] ?? '?';
        run.opts.log.note(`${h}: confirmed over a new connection (client port ${port}), not over the run's own (client port ${own})`);
        setTitle(`${h}: confirmed, dead-man disarmed`);
      },
    // A wave's hosts at once, not --forks at a time: each is one round trip over a connection
    // already open. Queued behind --forks, a hub with many spokes was confirmed after its window
    // closed, and every bundle of it was lost, none of them broken (a review).
    })), Math.max(1, hosts.length));
}

/** Said where a teardown's retiring boot script could not remove itself once the run was over. */
function retireFailed(run: RunState, h: string): void {
  const report = run.reports.get(h)!;
  report.warnings = [...(report.warnings ?? []), `the teardown's boot script ${BOOT_SCRIPT} and what starts it could not be removed once every host was confirmed: they remove themselves at the next boot (until then, \`teqlctl rollback\` of this run sees them as a change)`];
}

/**
 * Every host confirmed: the run is over, each lock is freed, by the confirmation's waiting shell
 * (or, where it is gone, in a round trip of its own). A lock that cannot be freed (the new
 * connection died just now) is said, not hidden: the run stays confirmed, `teqlctl unlock` frees it.
 */
async function releaseAll(run: RunState, hosts: string[], fresh: Map<string, Transport>, waiting: Map<string, StagedRun>): Promise<void> {
  const released = (r: CommandResult | Error) => !(r instanceof Error) && r.stdout.includes(`${CONFIRM_MARKER} released`);
  await Promise.all(hosts.map(async (h) => {
    const staged = waiting.get(h);
    waiting.delete(h);
    const release = async (r: Promise<CommandResult>) => {
      const res = await r.catch((err: Error) => err);
      if (!(res instanceof Error)) run.opts.log.record(h, res);
      return res;
    };
    let res = staged ? await release(staged.finish(releaseScript(run.runId))) : undefined;
    if (res === undefined || !released(res)) res = await release(fresh.get(h)!.run('release', releaseScript(run.runId)));
    if (!(res instanceof Error) && res.stdout.includes(`${CONFIRM_MARKER} retire-failed`)) retireFailed(run, h);
    if (!released(res)) {
      const report = run.reports.get(h)!;
      const why = res instanceof Error ? res.message : res.stderr.trim() || `exit ${res.code}`;
      report.warnings = [...(report.warnings ?? []), `confirmed, but its lock could not be freed (${why}): \`teqlctl unlock\` frees it`];
    }
  }));
}
