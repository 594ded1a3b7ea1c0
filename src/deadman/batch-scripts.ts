// The scripts of one apply batch that a run writes beside its revert: the batch's undo (its steps'
// inverses, last first) and its redo (its steps again, for a rollback's dead-man), and the lines
// that run every batch's undo into a log that cannot stop them.
import { baselineRenameProbe, isBaselineOp, renderOp } from '../apply/render-op.js';
import { IPROUTE2_PREAMBLE } from '../router/iproute2.js';
import type { Op } from '../plan/ops.js';

/**
 * The script's folder and batch number from its own path ($0: /var/lib/.../undo-3.sh), and
 * `tq_begun N`: is step N in the batch's journal. Shell builtins only: on a BusyBox built without
 * dirname or basename the folder came out empty, no journal was found, every step was skipped, and
 * the revert recorded `reverted` having undone nothing (a review); grep's error read as "not begun".
 */
function batchPreamble(kind: 'undo' | 'redo'): string {
  return `case $0 in */*) d=\${0%/*};; *) d=.;; esac; b=\${0##*/}; b=\${b%.sh}; b=\${b#${kind}-}
tq_begun() { while IFS= read -r tq_l || [ -n "$tq_l" ]; do [ "$tq_l" = "$1" ] && return 0; done < "$d/begun-$b"; return 1; }`;
}

/**
 * Shell: runs `body` for each batch script `kind`-N.sh in `dir` (a shell word), `$v` set to N,
 * newest or oldest first. Builtins and arithmetic only, no ls, sed or sort (a minimal BusyBox may
 * lack one; the pipe then gave no batch, and nothing was undone).
 */
export function eachBatchLine(dir: string, kind: 'undo' | 'redo', order: 'newest' | 'oldest', v: string, body: string): string {
  const scan = `tq_bmax=-1; for tq_bf in ${dir}/${kind}-*.sh; do tq_bn=\${tq_bf##*/${kind}-}; tq_bn=\${tq_bn%.sh}; case $tq_bn in ''|*[!0-9]*) continue;; esac; [ -f "$tq_bf" ] && [ "$tq_bn" -gt "$tq_bmax" ] && tq_bmax=$tq_bn; done`;
  const loop = order === 'newest'
    ? `${v}=$tq_bmax; while [ "$${v}" -ge 0 ]; do if [ -f ${dir}/${kind}-$${v}.sh ]; then ${body}; fi; ${v}=$(($${v} - 1)); done`
    : `${v}=0; while [ "$${v}" -le "$tq_bmax" ]; do if [ -f ${dir}/${kind}-$${v}.sh ]; then ${body}; fi; ${v}=$(($${v} + 1)); done`;
  return `${scan}; ${loop}`;
}

/**
 * The undo of one apply batch: each step's inverse runs only if that step is recorded as done,
 * last step first. Batches are numbered; the revert runs them last batch first.
 */
export function undoBatchScript(undo: readonly Op[][]): string {
  const lines = ['#!/bin/sh', '# written by teqlctl: inverses of one apply batch, last step first', IPROUTE2_PREAMBLE, batchPreamble('undo')];
  if (undo.flat().some(isBaselineOp)) lines.push(baselineRenameProbe());
  for (let i = undo.length - 1; i >= 0; i--) {
    if (undo[i]!.length === 0) continue;
    lines.push(`if tq_begun ${i}; then`);
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
  const lines = ['#!/bin/sh', '# written by teqlctl: the steps of one apply batch that ran, first step first', IPROUTE2_PREAMBLE, batchPreamble('redo')];
  if (ops.some(isBaselineOp)) lines.push(baselineRenameProbe());
  ops.forEach((op, i) => {
    lines.push(`if tq_begun ${i}; then`, orSay(renderOp(op), `redo step ${i}`), 'fi');
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
${eachBatchLine(dir, 'undo', 'newest', 'f', `/bin/sh ${dir}/undo-$f.sh >> "$tq_ul" 2>&1`)}`;
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
