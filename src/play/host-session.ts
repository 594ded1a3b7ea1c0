// One host's side of a run: the remote round trips (facts, apply, checks, rollback), each logged.
import type { Transport } from '../connect/transport.js';
import type { Facts } from '../gather/facts.js';
import { factsScript } from '../gather/script.js';
import { parseFacts } from '../gather/parse-facts.js';
import { readFacts } from '../gather/read-facts.js';
import { parseSteps, stepsScript } from '../apply/script.js';
import { checksScript, parseChecks, type CheckResult } from '../verify/ping-script.js';
import { armScript, begunLine } from '../deadman/arm-script.js';
import { claimRunScript, closeRunScript } from '../deadman/confirm-script.js';
import { lockHeldBy } from '../router/lock.js';
import { ARM_FAILED_MARKER, REVERTED_MARKER } from '../router/markers.js';
import type { Check, Change } from '../plan/types.js';
import type { Op } from '../plan/ops.js';
import type { JournalEntry } from '../rollback/journal.js';
import type { RunLog } from './run-log.js';

export interface DeadmanSettings {
  runId: string;
  owner: string;
  timeoutSec: number;
}

export class HostSession {
  private batches = 0;

  constructor(
    readonly host: string,
    readonly transport: Transport,
    private readonly log: RunLog,
    private readonly sysctls: string[],
  ) {}

  /** Apply batches sent so far: non-zero means the dead-man is armed on this host. */
  get armed(): boolean {
    return this.batches > 0;
  }

  async facts(label = 'facts'): Promise<Facts> {
    return readFacts(this.transport, this.host, this.sysctls, { label, record: (res) => this.log.record(this.host, res) });
  }

  /**
   * Takes the lock, arms the dead-man (first batch), then runs the steps in order, stopping at the
   * first failure. Returns what ran and, when everything ran, the facts read right after, all in
   * one round trip.
   */
  async apply(changes: readonly Change[], deadman: DeadmanSettings): Promise<{ entries: JournalEntry[]; error?: string; locked?: string; armFailed?: string; after?: Facts }> {
    const steps = changes.flatMap((c) => c.steps.map((s) => ({ ...s, change: c })));
    const ops = steps.map((s) => s.op);
    const batch = this.batches;
    const before = armScript({ ...deadman, batch, first: batch === 0, undo: steps.map((s) => s.undo), redo: ops, summary: `${changes.length} change(s)` });
    // Counted before sending: if the connection dies mid-trip, the router may be armed and changed.
    this.batches++;
    const res = await this.transport.run('apply', stepsScript(ops, { before, onBegin: (i) => begunLine(deadman.runId, batch, i), then: factsScript(this.sysctls) }));
    this.log.record(this.host, res);
    const locked = lockHeldBy(res.stdout);
    if (locked !== undefined) {
      this.batches--;
      return { entries: [], locked };
    }
    const armFailed = new RegExp(`^${ARM_FAILED_MARKER} (.*)$`, 'm').exec(res.stdout)?.[1];
    if (armFailed !== undefined && parseSteps(ops, res.stdout).length === 0) {
      // Stopped before its first step: on a first batch the router is as it was (run folder removed, lock freed).
      this.batches--;
      return { entries: [], armFailed: `cannot arm the dead-man: ${armFailed} (is /var/lib/teqlctl full or read-only?)` };
    }
    const results = parseSteps(ops, res.stdout);
    const entries = results.map((r) => {
      const s = steps[r.index]!;
      return { resource: s.change.resource, task: s.change.task, op: s.op, undo: s.undo, command: r.command, code: r.code, output: r.output };
    });
    const failed = entries.find((e) => e.code !== 0);
    if (failed) return { entries, error: `\`${failed.command}\` failed (exit ${failed.code}): ${failed.output || 'no output'}` };
    if (res.code !== 0 || entries.length !== ops.length) {
      return { entries, error: `apply script ended early (exit ${res.code}): ${res.stderr.trim() || 'no output'}` };
    }
    return { entries, after: parseFacts(this.host, res.stdout) };
  }

  async checks(checks: readonly Check[]): Promise<CheckResult[]> {
    if (checks.length === 0) return [];
    const timeout = checks.reduce((t, c) => t + 3 * (c.count * c.timeout + 2), 30);
    const res = await this.transport.run('verify', checksScript(checks), timeout);
    this.log.record(this.host, res);
    return parseChecks(checks, res.stdout);
  }

  /**
   * Claims the run from the router's dead-man (or finds it already reverted), runs every inverse
   * even when one fails, closes the run (disarms the timer) and reads the facts, in one round trip.
   */
  async undo(ops: readonly Op[], runId: string): Promise<{ errors: string[]; after: Facts; revertedByDeadman: boolean }> {
    const facts = factsScript(this.sysctls);
    const script = stepsScript(ops, { keepGoing: true, before: claimRunScript(runId, facts), then: closeRunScript(runId, 'rolled-back') + '\n' + facts });
    const res = await this.transport.run('rollback', script);
    this.log.record(this.host, res);
    if (res.stdout.includes(REVERTED_MARKER)) return { errors: [], after: parseFacts(this.host, res.stdout), revertedByDeadman: true };
    const results = parseSteps(ops, res.stdout);
    const errors = results.filter((r) => r.code !== 0).map((r) => `\`${r.command}\` failed (exit ${r.code}): ${r.output}`);
    if (results.length !== ops.length) errors.push(`rollback script ended early (exit ${res.code}): ${res.stderr.trim()}`);
    return { errors, after: parseFacts(this.host, res.stdout), revertedByDeadman: false };
  }
}
