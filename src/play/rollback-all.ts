// Undoes what ran on every host, last step first, then proves each host equals its snapshot.
// A host whose connection is gone cannot be rolled back from here: its dead-man reverts it.
import { runWithProgress } from '../ui/progress.js';
import type { RunState } from './run-state.js';
import { diffState, isSameState, stateLines } from '../rollback/compare.js';
import { flushedDevices } from '../plan/simulate-routes.js';
import { inRunScope, runScope, scopeLines, type RunScope } from '../rollback/run-scope.js';
import type { Facts } from '../gather/facts.js';
import { afterConfirmation } from '../plan/persist/retiring-script.js';

/** Every host that was sent an apply trip, even one whose answer never came back, and not rolled back yet. */
export function touchedHosts(run: RunState, among: Iterable<string> = run.sessions.keys()): string[] {
  return [...among].filter((h) => run.sessions.has(h) && !run.rolledBack.has(h) && ((run.journal.get(h) ?? []).length > 0 || run.sessions.get(h)!.armed));
}

/**
 * What a rollback of `h` answers for (rollback/run-scope.ts): the devices and networks of every
 * step planned for it and of every step its router journaled, their undos too. Planned as well as
 * journaled: a router whose apply answer never came back has no journal here, and its dead-man's
 * or the rollback's undo still ran every step it had begun.
 */
export function hostRunScope(run: RunState, h: string): RunScope {
  const steps = [...(run.reports.get(h)?.planned ?? []).flatMap((c) => c.steps), ...(run.journal.get(h) ?? []), ...(run.skipped.get(h) ?? [])];
  return runScope(steps.flatMap((s) => [s.op, ...s.undo]), run.snapshots.get(h)!);
}

/**
 * What a confirmation records of `facts` on `h` as the state the run left (deadman/confirm-script.ts):
 * the run's lines only, which a later `teqlctl rollback` weighs as drift (rollback/drift.ts), and
 * the run's scope in which it weighs them. A teardown's retiring boot script is not of it: the run's
 * release retires it. Left in, a hub's after-state re-recorded after a partial rollback (settle.ts)
 * named a script gone since, and `teqlctl rollback` refused the run as moved (a review).
 */
export function afterStateOf(run: RunState, h: string, facts: Facts): string {
  const scope = hostRunScope(run, h);
  return [...[...stateLines(afterConfirmation(facts))].filter((l) => inRunScope(l, scope)).sort(), ...scopeLines(scope)].join('\n');
}

/**
 * Rolls back `hosts` wholly (default: every touched host); false when one of them is not back as it
 * was. `mode`: 'silent' for one that runs beside the run's own progress (a stalled router's).
 */
export async function rollbackAll(run: RunState, hosts = touchedHosts(run), mode = run.opts.mode): Promise<boolean> {
  let allOk = true;
  for (const h of hosts) run.rolledBack.add(h);
  const timeout = run.opts.confirmTimeoutSec;
  await runWithProgress(mode, hosts.map((h) => ({
    host: h,
    title: `${h}: roll back`,
    run: async (setTitle) => {
      const report = run.reports.get(h)!;
      try {
        const { undoErrors, after, revertedByDeadman, abandoned, revertOwns, lockTakenBy } = await run.sessions.get(h)!.undo(run.runId, run.opts.holds?.rollbackSec);
        const snapshot = run.snapshots.get(h)!;
        const residual = diffState(snapshot, after, flushedDevices((run.journal.get(h) ?? []).map((e) => e.op), snapshot), hostRunScope(run, h));
        // The router is judged by what it holds: an undo that failed because its step never took
        // effect (nothing to delete) is harmless, and only logged, when the facts equal the snapshot.
        const ok = isSameState(residual);
        // Abandoned: a restart dropped the run's changes and a later run configured the router; undoing
        // this one would undo that. What the router holds now is said against the snapshot.
        const errors = ok ? [] : abandoned ? [`run ${run.runId} was recorded as abandoned there (the router restarted during it and a later run was made after it): nothing of it was undone, the later run's configuration stays`]
          : revertOwns !== undefined ? [`run ${run.runId} is decided there by its own dead-man's revert, not ended (state ${revertOwns}): teqlctl did not undo it a second time beside it; see teqlctl status`]
          : lockTakenBy !== undefined ? [`run ${run.runId} was confirmed there and its lock was taken meanwhile by ${lockTakenBy === 'another run' ? lockTakenBy : `run ${lockTakenBy}`} (teqlctl unlock, while this run waited for its peers): it was not undone beneath that run and STAYS CHANGED; \`teqlctl rollback --run ${run.runId}\` undoes it once that run ends`] : undoErrors;
        if (ok && undoErrors.length > 0) run.opts.log.note(`${h}: rolled back; undo commands that found nothing to undo: ${undoErrors.join('; ')}`);
        report.rollback = { ok, residual, errors };
        report.status = ok ? 'rolled back' : 'rollback failed';
        if (!ok) {
          allOk = false;
          throw new Error(`rollback incomplete: ${[...errors, ...residual.missing.map((m) => `missing: ${m}`), ...residual.extra.map((x) => `left over: ${x}`)].join('; ')}`);
        }
        setTitle(`${h}: ${abandoned ? 'the run was abandoned at a restart (nothing undone)' : revertedByDeadman ? 'reverted by its own dead-man timer' : 'rolled back'}, equals its state before the run`);
      } catch (err) {
        if (report.rollback) throw err;
        allOk = false;
        // A host confirmed a moment ago has its timer off: it does not revert by itself, say so.
        const cannot = `cannot reach ${h} to roll it back (${(err as Error).message})`;
        const msg = run.confirmed.has(h)
          ? `${cannot}; it was confirmed, so its dead-man is off and it STAYS CHANGED: \`teqlctl rollback --run ${run.runId}\` undoes it once it answers`
          : run.confirmUnanswered.has(h)
            ? `${cannot}; its confirmation was sent and never answered: it may have been confirmed there (its dead-man off: it STAYS CHANGED) or not (then its dead-man timer reverts it by itself within ${timeout} s of the first change): \`teqlctl status\` says which, and \`teqlctl rollback --run ${run.runId}\` undoes it if it was confirmed`
            // A rollback that reached the router and claimed the run finishes there, unanswered.
            : `${cannot}; its dead-man timer reverts it by itself within ${timeout} s of the first change, unless the rollback sent there claimed the run first and finishes it: \`teqlctl status\` says which`;
        report.rollback = { ok: false, residual: { missing: [], extra: [] }, errors: [msg] };
        report.status = 'rollback failed';
        throw new Error(msg);
      }
    },
  })), run.opts.forks);
  return allOk;
}
