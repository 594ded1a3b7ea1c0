// One host's side of a run: the remote round trips (facts, apply, checks, rollback), each logged.
import type { Transport } from '../connect/transport.js';
import { FactError } from '../errors.js';
import type { Facts } from '../gather/facts.js';
import { factsScript } from '../gather/script.js';
import { parseFacts } from '../gather/parse-facts.js';
import { parseSteps, stepsScript } from '../apply/script.js';
import { checksScript, parseChecks, type CheckResult } from '../verify/ping-script.js';
import type { Check, Change } from '../plan/types.js';
import type { Op } from '../plan/ops.js';
import type { JournalEntry } from './journal.js';
import type { RunLog } from './run-log.js';

export class HostSession {
  constructor(
    readonly host: string,
    readonly transport: Transport,
    private readonly log: RunLog,
    private readonly sysctls: string[],
  ) {}

  async facts(label = 'facts'): Promise<Facts> {
    const res = await this.transport.run(label, factsScript(this.sysctls));
    this.log.record(this.host, res);
    if (res.code !== 0) throw new FactError(this.host, `reading facts failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim().slice(-300)}`);
    return parseFacts(this.host, res.stdout);
  }

  /**
   * Runs the changes' steps in order, stopping at the first failure; returns what ran and, when
   * everything ran, the facts read right after in the same round trip.
   */
  async apply(changes: readonly Change[]): Promise<{ entries: JournalEntry[]; error?: string; after?: Facts }> {
    const steps = changes.flatMap((c) => c.steps.map((s) => ({ ...s, change: c })));
    const ops = steps.map((s) => s.op);
    const res = await this.transport.run('apply', stepsScript(ops, false, factsScript(this.sysctls)));
    this.log.record(this.host, res);
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

  /** Runs every inverse even when one fails, then reads the facts, in one round trip. */
  async undo(ops: readonly Op[]): Promise<{ errors: string[]; after: Facts }> {
    const res = await this.transport.run('rollback', stepsScript(ops, true, factsScript(this.sysctls)));
    this.log.record(this.host, res);
    const results = parseSteps(ops, res.stdout);
    const errors = results.filter((r) => r.code !== 0).map((r) => `\`${r.command}\` failed (exit ${r.code}): ${r.output}`);
    if (results.length !== ops.length) errors.push(`rollback script ended early (exit ${res.code}): ${res.stderr.trim()}`);
    return { errors, after: parseFacts(this.host, res.stdout) };
  }
}
