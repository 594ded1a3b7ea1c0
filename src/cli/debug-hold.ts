// Fault injection for the dead-man's tests and the fault matrix (test/e2e/fault-matrix.test.ts):
// debug options of `play` and `rollback`, hidden from --help, documented in docs/deadman.md, and
// never read from the environment or a file, so nothing but an explicit flag can slow a real run.
import { Option } from 'commander';
import { ConfigError } from '../errors.js';
import type { DebugHolds } from '../play/run-state.js';

export const DEBUG_HOLD_OPTION = () =>
  new Option('--debug-hold-before-confirm <seconds>', 'debug: wait between verifying and confirming (fault injection for tests of the dead-man)').hideHelp();

export const DEBUG_HOLDS_OPTION = () =>
  new Option('--debug-hold <point:seconds>', 'debug: wait at a point of the run (approve, step-B.K, verify, confirm, decided, between-confirms, rollback, partial); repeatable')
    .hideHelp()
    .argParser((v: string, prev: string[] = []) => [...prev, v]);

function seconds(what: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 3600) throw new ConfigError(`${what} must be whole seconds between 0 and 3600, got "${text}"`);
  return n;
}

/** `--debug-hold-before-confirm`, kept for the rollback command and older tests. */
export function debugHold(flags: { debugHoldBeforeConfirm?: string }): number | undefined {
  if (flags.debugHoldBeforeConfirm === undefined) return undefined;
  const n = seconds('--debug-hold-before-confirm', flags.debugHoldBeforeConfirm);
  process.stderr.write(`debug: --debug-hold-before-confirm ${n}: this run waits ${n} s between verifying and confirming\n`);
  return n;
}

/** Every `--debug-hold POINT:SECONDS`, and the legacy option as `confirm`. */
export function debugHolds(flags: { debugHold?: string[]; debugHoldBeforeConfirm?: string }): DebugHolds {
  const holds: DebugHolds = {};
  const legacy = debugHold(flags);
  if (legacy !== undefined) holds.confirmSec = legacy;
  for (const spec of flags.debugHold ?? []) {
    const m = /^(approve|verify|confirm|decided|between-confirms|rollback|partial|step-(\d+)\.(\d+)):(\d+)$/.exec(spec);
    if (!m) throw new ConfigError(`--debug-hold ${JSON.stringify(spec)}: expected POINT:SECONDS, POINT one of approve, step-B.K, verify, confirm, decided, between-confirms, rollback, partial`);
    const sec = seconds(`--debug-hold ${m[1]}`, m[4]!);
    if (m[2] !== undefined) holds.step = { batch: Number(m[2]), step: Number(m[3]), sec };
    else if (m[1] === 'approve') holds.approveSec = sec;
    else if (m[1] === 'verify') holds.verifySec = sec;
    else if (m[1] === 'confirm') holds.confirmSec = sec;
    else if (m[1] === 'decided') holds.decidedSec = sec;
    else if (m[1] === 'between-confirms') holds.betweenConfirmsSec = sec;
    else if (m[1] === 'partial') holds.partialSec = sec;
    else holds.rollbackSec = sec;
    process.stderr.write(`debug: --debug-hold ${spec}: this run waits ${sec} s at ${m[1]}\n`);
  }
  return holds;
}
