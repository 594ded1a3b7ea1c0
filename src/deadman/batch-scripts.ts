// The scripts of one apply batch that a run writes beside its revert: the batch's undo (its steps'
// inverses, last first) and its redo (its steps again, for a rollback's dead-man), and the lines
// that run every batch's undo into a log that cannot stop them.
import { baselineRenameProbe, isBaselineOp, renderOp } from '../apply/render-op.js';
import { IPROUTE2_PREAMBLE } from '../router/iproute2.js';
import type { Op } from '../plan/ops.js';

/**
 * The undo of one apply batch: each step's inverse runs only if that step is recorded as done,
 * last step first. Batches are numbered; the revert runs them last batch first.
 */
export function undoBatchScript(undo: readonly Op[][]): string {
  const lines = ['#!/bin/sh', '# written by teqlctl: inverses of one apply batch, last step first', IPROUTE2_PREAMBLE, 'd=$(dirname "$0"); b=$(basename "$0" .sh); b=${b#undo-}'];
  if (undo.flat().some(isBaselineOp)) lines.push(baselineRenameProbe());
  for (let i = undo.length - 1; i >= 0; i--) {
    if (undo[i]!.length === 0) continue;
    lines.push(`if grep -qx ${i} "$d/begun-$b"; then`);
    for (const op of undo[i]!) lines.push(orSay(renderOp(op), `undo step ${i}`));
    lines.push('fi');
  }
  return lines.join('\n') + '\n';
}

/**
 * The redo of one apply batch: the steps recorded as begun, first step first. `teqlctl rollback`
 * arms a dead-man that runs these, so an undo that cuts the management path is itself undone.
 * Only a confirmed run is rolled back this way, and its batches ran to their end: the baseline
 * entries journaled ahead (begun-records.ts) all ran too, but a hub's skipped bundle's, which its
 * partial rollback drops (settle.ts, run.skipped). A redo of a batch that stopped half-way would
 * also record them (harmless: each holds the value read before the run, the setting's still).
 */
export function redoBatchScript(ops: readonly Op[]): string {
  const lines = ['#!/bin/sh', '# written by teqlctl: the steps of one apply batch that ran, first step first', IPROUTE2_PREAMBLE, 'd=$(dirname "$0"); b=$(basename "$0" .sh); b=${b#redo-}'];
  if (ops.some(isBaselineOp)) lines.push(baselineRenameProbe());
  ops.forEach((op, i) => {
    lines.push(`if grep -qx ${i} "$d/begun-$b"; then`, orSay(renderOp(op), `redo step ${i}`), 'fi');
  });
  return lines.join('\n') + '\n';
}

/** An undo or redo script's line: the command, and what failed said on stderr (for its log). */
function orSay(command: string, what: string): string {
  return `  ${command} || echo "${what} failed: ${command.replace(/["`$\\]/g, '')}" >&2`;
}

/** Runs every batch's undo script, newest batch first, appending what they print to `log` (see undoLogLine). */
export function undoAllLine(dir: string, log: string, o: { fresh?: boolean } = {}): string {
  return `${undoLogLine(dir, log, o)}
for f in $(ls ${dir}/undo-*.sh 2>/dev/null | sed 's/.*undo-\\([0-9]*\\)\\.sh/\\1/' | sort -nr); do /bin/sh ${dir}/undo-$f.sh >> "$tq_ul" 2>&1; done`;
}

/**
 * Sets `tq_ul` to the file an undo's or redo's output goes to: `log` in the run's folder (emptied
 * first when `fresh`), else a file in /run, else /dev/null. A command whose redirection fails is not
 * run at all: on a file system out of inodes (the reserve's one freed inode taken by the decision's
 * mkdir) the log could not be made, and a revert recorded `reverted` having undone nothing (found by
 * a review). `true`, not `:`, opens it: a special builtin's failed redirection ends the script.
 */
export function undoLogLine(dir: string, log: string, { fresh = false }: { fresh?: boolean } = {}): string {
  const open = fresh ? '>' : '>>';
  return `tq_ul=${dir}/${log}; true 2>/dev/null ${open} "$tq_ul" || { tq_ul=${dir}; tq_ul=/run/teqlctl-\${tq_ul##*/}-${log}; true 2>/dev/null ${open} "$tq_ul"; } || tq_ul=/dev/null`;
}
