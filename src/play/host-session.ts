// One host's side of a run: the remote round trips (facts, apply, checks, rollback), each logged.
import { beforeMarker, stagedOverRun, type CommandResult, type StagedRun, type Transport } from '../connect/transport.js';
import type { Facts } from '../gather/facts.js';
import { factsScript } from '../gather/script.js';
import { parseFacts } from '../gather/parse-facts.js';
import { factsFrom, readFacts } from '../gather/read-facts.js';
import { stepsScript } from '../apply/script.js';
import { checksScript, parseChecks, type CheckResult } from '../verify/ping-script.js';
import { earlyChecksCollect, earlyChecksStart } from '../verify/early-checks.js';
import { armScript, begunLine } from '../deadman/arm-script.js';
import { rollbackScript, undoFailures } from '../deadman/rollback-script.js';
import { forgetApplierLine } from '../deadman/applier.js';
import { partialOutcome, partialUndoScript, type StepToUndo } from '../deadman/partial-undo-script.js';
import { runDir } from '../router/paths.js';
import { readApply, type ApplyResult } from './apply-result.js';
import { ABANDONED_MARKER, BARRIER_MARKER, LOCK_TAKEN_MARKER, REVERT_OWNS_MARKER, REVERTED_MARKER } from '../router/markers.js';
import type { Check, Change } from '../plan/types.js';
import { begunRecords } from '../deadman/begun-records.js';
import type { RunLog } from './run-log.js';
import { runNow } from './run-clock.js';

// The facts re-read after changes (apply, rollback) carry no fingerprint: only a session's first
// apply checks one (batches never go back to 0 once a change was sent), against its initial facts.
const AFTER = { fingerprint: false } as const;

export type { ApplyResult } from './apply-result.js';

export interface DeadmanSettings {
  runId: string;
  owner: string;
  timeoutSec: number;
  /** Fault injection (`--debug-hold step-B.K:S`): the router waits S s inside step K of batch B, after journaling it. */
  holdInStep?: { batch: number; step: number; sec: number };
  /** Fault injection (`--debug-hold rollback:S`): the router waits S s in the rollback, after claiming the run. */
  holdInRollbackSec?: number;
  /** The hosts sharing a bundle with this one in the run: recorded with it for `teqlctl rollback`. */
  peers?: readonly string[];
}

/** An apply in flight, its shell waiting at the barrier once `applied` resolves without a failure. */
export interface ApplyStage {
  applied: Promise<ApplyResult>;
  /** Runs the checks in the waiting shell (none: it just ends). Once per stage. */
  verify(checks: readonly Check[]): Promise<CheckResult[]>;
  /** Lets the shell end without checking (a failed phase, a signal); does not wait. */
  end(): void;
}

/** Checks started beside a facts read (verify/early-checks.ts), collected or ended once. */
export interface EarlyChecks {
  /** Their results, each from one ping (the same promise on every call): every check "not run" if the shell is gone. */
  results(): Promise<CheckResult[]>;
  /** Lets the shell end without collecting (its trap stops the pings); settles once it ended and was logged. */
  end(): Promise<void>;
}

export class HostSession {
  private batches = 0;
  /** Round trips sent that may change the router (applies, rollbacks): early checks are only for a router none changed since. */
  changeRounds = 0;
  /** Epoch ms when the first apply batch was sent: the dead-man's window runs from a little after. */
  armedAt?: number;

  constructor(
    readonly host: string,
    readonly transport: Transport,
    private readonly log: RunLog,
    private readonly sysctls: string[],
    /** The routes its tasks need listed whoever keeps them, a routing daemon too (plan/facts-needed.ts). */
    private readonly held: readonly string[] = [],
  ) {}

  /** Apply batches sent so far: non-zero means the dead-man is armed on this host. */
  get armed(): boolean {
    return this.batches > 0;
  }

  async facts(label = 'facts'): Promise<Facts> {
    return readFacts(this.transport, this.host, this.sysctls, { label, held: this.held, record: (res) => this.log.record(this.host, res) });
  }

  /**
   * The facts, with `checks` started beside them in the same round trip: the shell then waits at a
   * barrier until the checks are collected or it is told to end. Without checks, or on a transport
   * that cannot hold a shell open between two parts, the plain facts round trip.
   */
  factsWithEarlyChecks({ checks, needs }: { checks: readonly Check[]; needs?: readonly string[] }): { facts: Promise<Facts>; early?: EarlyChecks } {
    if (checks.length === 0 || !this.transport.runStaged) return { facts: this.facts() };
    const script = `export LANG=C LC_ALL=C\n${earlyChecksStart(checks, needs)}{\n${factsScript(this.sysctls, { held: this.held })}} </dev/null\nprintf '%s\\n' '${BARRIER_MARKER}'\n`;
    // The shell waits while the other hosts' facts are read and planned: past this bound it ends,
    // and the checks run in a round trip of their own (their results here read as not run).
    // Its finish alone is kept by the closures below: the staged run's answer (the output before
    // the barrier) is let go once read, while the shell waits for the checks.
    const { reached, finish: finishStaged } = stagedOverRun(this.transport, 'facts', script, BARRIER_MARKER, 120 + checksTimeoutSec(checks));
    this.log.sent(this.host, 'facts', script);
    let finished: Promise<CommandResult> | undefined;
    const finish = (rest: string) =>
      (finished ??= finishStaged(rest).then((r) => {
        this.log.record(this.host, r);
        return r;
      }));
    const facts = reached.then(async ({ stdout, ended }) =>
      // Ended before its barrier (an error): its whole output is the answer.
      ended ? factsFrom(this.host, await finish('')) : parseFacts(this.host, beforeMarker(stdout, BARRIER_MARKER)!));
    let results: Promise<CheckResult[]> | undefined;
    return {
      facts,
      early: {
        results: () => (results ??= facts.then(() => finish(earlyChecksCollect(checks))).then(
          (r) => {
            const head = beforeMarker(r.stdout, BARRIER_MARKER);
            return parseChecks(checks, head === undefined ? '' : r.stdout.slice(head.length + BARRIER_MARKER.length + 1));
          },
          () => parseChecks(checks, ''),
        )),
        end: () => finish('').then(() => undefined, () => undefined),
      },
    };
  }

  /**
   * Takes the lock, arms the dead-man (first batch), runs the steps in order, stopping at the first
   * failure, and reads the facts right after; then the router's shell waits at the barrier, in the
   * same round trip, until the controller sends the phase's checks (`verify`, once every host
   * applied) or nothing (`end`). Apply and verify are one round trip, and a ping still runs only
   * after both ends applied. `waitSec`: how long the barrier and the checks may take. `bundleOf`:
   * on a hub, the bundle a change belongs to alone: a failed step of it stops that bundle only.
   */
  apply(changes: readonly Change[], deadman: DeadmanSettings, planned: Facts, waitSec = 0, bundleOf?: (change: Change) => string | undefined): ApplyStage {
    const steps = changes.flatMap((c) => c.steps.map((s) => ({ ...s, change: c })));
    const ops = steps.map((s) => s.op);
    const bundles = bundleOf ? steps.map((s) => bundleOf(s.change)) : [];
    const batch = this.batches;
    // The first batch checks the plan's facts under the lock: they must be a read with a fingerprint.
    if (batch === 0 && planned.fingerprint === undefined) throw new Error(`${this.host}: internal: a first apply planned from facts without a fingerprint (a re-read after changes)`);
    if (batch === 0 && planned.fingerprint === '') this.log.note(`${this.host}: no md5sum, sha256sum or cksum there to fingerprint its state: a change made on it by someone else between the facts read and this apply cannot be seen (the stale check passes)`);
    const before = armScript({
      ...deadman, batch, first: batch === 0, undo: steps.map((s) => s.undo), redo: ops, summary: `${changes.length} change(s)`,
      fingerprint: planned.fingerprint, sysctls: this.sysctls, held: this.held,
    });
    const hold = deadman.holdInStep?.batch === batch ? deadman.holdInStep : undefined;
    const records = begunRecords(ops, bundles);
    const onBegin = (i: number) => begunLine(deadman.runId, batch, i, records[i]!.durable, records[i]!.ahead) + (hold?.step === i ? ` && { echo 'holding ${hold.sec} s in step ${i} (--debug-hold)' >&2; sleep ${hold.sec}; }` : '');
    // Counted before sending: if the connection dies mid-trip, the router may be armed and changed.
    this.batches++;
    this.changeRounds++;
    this.armedAt ??= runNow();
    const then = `${forgetApplierLine(runDir(deadman.runId))}\n${factsScript(this.sysctls, { ...AFTER, self: deadman.runId, held: this.held })}`;
    const script = stepsScript(ops, { before, onBegin, then, barrier: BARRIER_MARKER, bundles });
    // The shell may wait at its barrier while later --forks groups apply: bounded by the dead-man's
    // window (past it the run is reverted anyway), not by this host's own apply time.
    const staged = stagedOverRun(this.transport, 'apply', script, BARRIER_MARKER, Math.max(120 + (hold?.sec ?? 0), deadman.timeoutSec) + waitSec);
    // Its finish alone is kept (the answer before the barrier is let go once read, as above).
    let finishStaged: StagedRun['finish'] | undefined = staged.finish;
    this.log.sent(this.host, 'apply', script);
    // The round trip's output after the barrier: the checks'. Once logged, the rest (the script,
    // ~50 KB with its undo and redo files, and the steps' output) is let go: a fleet's run keeps its
    // stages to the end, and 500 hosts held ~60 MB of it (the fleet bench's heap).
    let finished: Promise<string> | undefined;
    const finish = (rest: string) =>
      (finished ??= finishStaged!(rest).then((r) => {
        this.log.record(this.host, r);
        finishStaged = undefined;
        const head = beforeMarker(r.stdout, BARRIER_MARKER);
        // A copy, not a slice: V8's slice would keep the whole output alive.
        return head === undefined ? r.stdout : Buffer.from(r.stdout.slice(head.length + BARRIER_MARKER.length + 1)).toString();
      }));
    const applied = staged.reached.then(({ stdout, ended }) => {
      const result = readApply(this.host, batch, ops, steps, ended ?? { code: 0, stdout: beforeMarker(stdout, BARRIER_MARKER)!, stderr: '' }, bundles);
      // Not armed by this batch: counted back. Armed with no step begun (armedNotStarted) stays counted:
      // its rollback claims the run, stops the timer and frees the lock, undoing nothing.
      if (result.locked !== undefined || result.stale || (result.armFailed && result.entries.length === 0 && !result.armedNotStarted)) this.batches--;
      return result;
    });
    return {
      applied,
      verify: async (checks) => parseChecks(checks, await finish(checks.length > 0 ? checksScript(checks) : '')),
      end: () => void finish('').catch(() => undefined),
    };
  }

  async checks(checks: readonly Check[]): Promise<CheckResult[]> {
    if (checks.length === 0) return [];
    const res = await this.transport.run('verify', checksScript(checks), checksTimeoutSec(checks));
    this.log.record(this.host, res);
    return parseChecks(checks, res.stdout);
  }

  /**
   * Claims the run from the router's dead-man (or finds it already reverted), stops an apply still
   * running there, undoes every step the router's journal says began (see rollback-script.ts),
   * closes the run (timer off, lock freed) and reads the facts, in one round trip. `undoErrors` are
   * the undo commands that failed: harmless when the facts equal the snapshot (the undo of a step
   * that never took effect), the reason when they do not. `abandoned`: the router restarted during
   * the run and a later run came after (its boot script decided so): nothing was undone there.
   */
  async undo(runId: string, holdSec?: number): Promise<{ undoErrors: string[]; after: Facts; revertedByDeadman: boolean; abandoned: boolean; revertOwns?: string; lockTakenBy?: string }> {
    const script = rollbackScript(runId, { then: factsScript(this.sysctls, { ...AFTER, held: this.held }), ...(holdSec ? { holdSec } : {}) });
    this.changeRounds++;
    const res = await this.transport.run('rollback', script, holdSec ? holdSec + 120 : undefined);
    this.log.record(this.host, res);
    return { undoErrors: undoFailures(res.stdout), after: parseFacts(this.host, res.stdout), revertedByDeadman: res.stdout.includes(REVERTED_MARKER), abandoned: res.stdout.includes(ABANDONED_MARKER), ...revertOwns(res.stdout), ...lockTaken(res.stdout) };
  }

  /**
   * Undoes some of the run's steps (a hub's failed bundles) and reads the facts, in one round trip;
   * the run stays open, to be confirmed with what is left. `decided`: the run was no longer open
   * (its dead-man or a rollback decided it), nothing was undone here.
   */
  async undoSome(runId: string, steps: readonly StepToUndo[], holdSec?: number, keptPeers?: readonly string[]): Promise<{ undoErrors: string[]; after: Facts; decided?: string }> {
    this.changeRounds++;
    const res = await this.transport.run('partial-rollback', partialUndoScript(runId, steps, factsScript(this.sysctls, { ...AFTER, self: runId, held: this.held }), holdSec, keptPeers));
    this.log.record(this.host, res);
    const outcome = partialOutcome(res.stdout);
    return { undoErrors: undoFailures(res.stdout), after: parseFacts(this.host, res.stdout), ...(outcome.ok ? {} : { decided: outcome.state }) };
  }
}

/** How long a phase's pings may take: every check in parallel, each with its attempts. */
export function checksTimeoutSec(checks: readonly Check[]): number {
  return checks.reduce((t, c) => t + 3 * (c.count * c.timeout + 2), 30);
}

/** The run holding the lock a confirmed run had lost, when the rollback left it for that (rollback-script.ts). */
function lockTaken(stdout: string): { lockTakenBy?: string } {
  const m = new RegExp(`^${LOCK_TAKEN_MARKER} ?(.*)$`, 'm').exec(stdout);
  return m ? { lockTakenBy: m[1]!.trim() || 'another run' } : {};
}

/** The state in which a rollback left the undo to the run's revert (rollback-script.ts), if it did. */
function revertOwns(stdout: string): { revertOwns?: string } {
  const m = new RegExp(`^${REVERT_OWNS_MARKER} state=(.*)$`, 'm').exec(stdout);
  return m ? { revertOwns: m[1]!.trim() || 'none' } : {};
}
