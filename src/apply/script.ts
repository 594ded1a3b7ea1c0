// One batched script per host per phase. Each step prints its output then a marker with its exit
// code (on a line of its own); the first failure stops the script, so the journal knows exactly which steps ran.
import type { Op } from '../plan/ops.js';
import { baselineRenameProbe, flushBaseline, isBaselineOp, renderOp, type RenderOptions } from './render-op.js';
import { ARM_FAILED_MARKER, STEP_MARKER as STEP } from '../router/markers.js';

export interface StepResult {
  index: number;
  command: string;
  code: number;
  output: string;
}

export interface StepsScriptOptions {
  /** For rollback: every inverse is tried even after one fails. */
  keepGoing?: boolean;
  /** Runs before the steps (the dead-man's lock, run files and timer). */
  before?: string;
  /**
   * Runs before each step (the write-ahead record of the router-side journal): a step whose
   * controller dies while it runs is still known to the dead-man, which undoes every begun step.
   */
  onBegin?: (index: number) => string;
  /** Runs after the steps, in the same round trip (the facts script, to re-read the router). */
  then?: string;
  /**
   * Ends the script with this marker line instead of an exit: the shell, which reads its script
   * from stdin, then waits for more (a staged round trip, see connect/transport.ts). What runs
   * before it reads /dev/null, never the rest of the script.
   */
  barrier?: string;
  /**
   * Per op, the bundle it belongs to alone on a host that runs several (a hub), else undefined.
   * A failed step of a bundle stops that bundle's later steps only: the other bundles' steps go
   * on, so that one broken spoke is undone alone (apply-and-verify.ts) while the rest converges.
   * A failed step without a bundle (the module, shared sysctls, boot files) still stops the script.
   */
  bundles?: ReadonlyArray<string | undefined>;
}

/**
 * A run's forward steps: a baseline entry is not flushed on its own (~30 ms each, 7 in the chapter,
 * issue 17), but once for the batch, after its last step (stepsScript). Its write-ahead record was
 * flushed before it (begunLine: the baseline is a file), so whatever a power cut leaves of it is
 * undone by the revert at boot; a batch that stops at a failed step is undone, and the undo that
 * forgets the entry (baseline-unset) keeps its own flush. The batch's flush is of the baseline's own
 * file system: the confirmation flushes the run folder's, which an operator may have mounted apart.
 * Where renames may reach the disk before the data (XFS, an overlay on flash), each entry is still
 * flushed before its rename (render-op.ts, router/rename-flush.ts): an empty baseline loses every
 * earlier run's originals, which no revert puts back.
 */
const FORWARD: RenderOptions = { syncBaseline: false };

/** A forward step as the apply script runs it (and the plan and the journal show it). */
export function renderStep(op: Op): string {
  return renderOp(op, FORWARD);
}

export function stepsScript(ops: readonly Op[], o: StepsScriptOptions = {}): string {
  // umask 077: the run's files (journal, lock, baseline) are root's alone; boot files set their modes.
  const lines = ['export LANG=C LC_ALL=C', 'umask 077', 'failed=0'];
  if (o.before) lines.push(o.before.trimEnd());
  if (ops.some(isBaselineOp)) lines.push(baselineRenameProbe());
  const groups = [...new Set((o.bundles ?? []).filter((b): b is string => b !== undefined))];
  ops.forEach((op, i) => {
    const bundle = o.bundles?.[i];
    // A shell variable per bundle (skip_0, skip_1...): set once a step of that bundle failed.
    const skip = bundle === undefined || o.keepGoing ? undefined : `skip_${groups.indexOf(bundle)}`;
    if (skip) lines.push(`if [ -z "\${${skip}:-}" ]; then`);
    if (o.onBegin) lines.push(`${o.onBegin(i)} || { echo '${ARM_FAILED_MARKER} step ${i} not started: the run was decided meanwhile (its dead-man fired or a rollback claimed it), or its journal cannot be written'; exit 3; }`);
    // The step's output goes straight out (no $( ) subshell: no process per step beyond its own
    // command); the marker starts on a line of its own even after output without a newline.
    lines.push(`{ ${renderStep(op)} ; } 2>&1; rc=$?`);
    lines.push(`printf '\\n${STEP} %d %d\\n' ${i} "$rc"`);
    lines.push(o.keepGoing ? '[ "$rc" -eq 0 ] || failed=1' : skip ? `[ "$rc" -eq 0 ] || ${skip}=1` : '[ "$rc" -eq 0 ] || exit 1');
    if (skip) lines.push('fi');
  });
  if (ops.some((op) => op.kind === 'baseline-set')) lines.push(flushBaseline());
  const then = o.then ?? '';
  if (then) lines.push(then.trimEnd());
  if (o.barrier === undefined) return [...lines, 'exit $failed'].join('\n') + '\n';
  return ['{', ...lines, `} </dev/null`, `printf '%s\\n' '${o.barrier}'`].join('\n') + '\n';
}

export function parseSteps(ops: readonly Op[], stdout: string): StepResult[] {
  const results: StepResult[] = [];
  let buffer: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${STEP} (\\d+) (\\d+)$`).exec(line);
    if (!m) {
      buffer.push(line);
      continue;
    }
    const index = Number(m[1]);
    results.push({ index, command: renderStep(ops[index]!), code: Number(m[2]), output: buffer.join('\n').trim() });
    buffer = [];
  }
  return results;
}
