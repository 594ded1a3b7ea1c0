// The dead-man (commit-confirmed) on the router: before the first change of a run, the router gets
// a revert script computed from the pre-run snapshot and a timer that runs it unless teqlctl
// confirms in time. The timer lives on the router (systemd-run, else a detached sleeper), so it
// fires even when teqlctl is killed, loses its connection, or its machine goes away.
import { randomBytes } from 'node:crypto';
import { renderOp, syncFs } from '../apply/render-op.js';
import type { Op } from '../plan/ops.js';
import { LOCK_DIR, assertSafeRunId, runDir } from './router-paths.js';

/** Finds the sshd process of this connection: the lock is alive as long as that process is. */
// Builtins only (read), no process per level: comm, then the 4th field of stat is the parent.
const SESSION_PID = `p=$$; while [ "$p" -gt 1 ]; do c=; read c < /proc/$p/comm 2>/dev/null; case "$c" in sshd*) break;; esac; s=; read s < /proc/$p/stat 2>/dev/null || s='x x x 1'; set -- $s; p=\${4:-1}; done`;

export const LOCK_MARKER = '@@teqlctl-lock';

/** Takes the router's lock for this run (mkdir is atomic), or exits 3 naming the holder. */
export function lockScript(runId: string, owner: string): string {
  assertSafeRunId(runId);
  return [
    SESSION_PID,
    `if mkdir ${LOCK_DIR} 2>/dev/null; then`,
    `  printf 'run=%s\\nowner=%s\\nstarted=%s\\npid=%s\\n' ${runId} '${owner.replace(/[^A-Za-z0-9@._-]/g, '_')}' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$p" > ${LOCK_DIR}/owner`,
    `elif ! grep -qx 'run=${runId}' ${LOCK_DIR}/owner 2>/dev/null; then`,
    `  echo '${LOCK_MARKER} held'; cat ${LOCK_DIR}/owner; exit 3`,
    'fi',
  ].join('\n');
}

/**
 * The undo of one apply batch: each step's inverse runs only if that step is recorded as done,
 * last step first. Batches are numbered; the revert runs them last batch first.
 */
export function undoBatchScript(undo: readonly Op[][]): string {
  const lines = ['#!/bin/sh', '# written by teqlctl: inverses of one apply batch, last step first', 'd=$(dirname "$0"); b=$(basename "$0" .sh); b=${b#undo-}'];
  for (let i = undo.length - 1; i >= 0; i--) {
    if (undo[i]!.length === 0) continue;
    lines.push(`if grep -qx ${i} "$d/done-$b"; then`);
    for (const op of undo[i]!) lines.push(`  ${renderOp(op)} || echo "undo step ${i} failed: ${renderOp(op).replace(/["`$\\]/g, '')}" >&2`);
    lines.push('fi');
  }
  return lines.join('\n') + '\n';
}

/**
 * The redo of one apply batch: the steps recorded as done, first step first. `teqlctl rollback`
 * arms a dead-man that runs these, so an undo that cuts the management path is itself undone.
 */
export function redoBatchScript(ops: readonly Op[]): string {
  const lines = ['#!/bin/sh', '# written by teqlctl: the steps of one apply batch that ran, first step first', 'd=$(dirname "$0"); b=$(basename "$0" .sh); b=${b#redo-}'];
  ops.forEach((op, i) => {
    lines.push(`if grep -qx ${i} "$d/done-$b"; then`, `  ${renderOp(op)} || echo "redo step ${i} failed: ${renderOp(op).replace(/["`$\\]/g, '')}" >&2`, 'fi');
  });
  return lines.join('\n') + '\n';
}

/** Runs every batch's undo, newest first, once: records `reverted` and frees the lock. */
export function revertScript(runId: string): string {
  const dir = runDir(assertSafeRunId(runId));
  return `#!/bin/sh
# written by teqlctl: the dead-man's revert of run ${runId}; does nothing once the run is confirmed.
export LANG=C LC_ALL=C
umask 077
d=${dir}
[ "$(cat $d/state 2>/dev/null)" = pending ] || exit 0
echo reverting > $d/state
for f in $(ls $d/undo-*.sh 2>/dev/null | sed 's/.*undo-\\([0-9]*\\)\\.sh/\\1/' | sort -nr); do sh $d/undo-$f.sh >> $d/revert.log 2>&1; done
date -u +%Y-%m-%dT%H:%M:%SZ > $d/reverted_at
echo reverted > $d/state
grep -qx 'run=${runId}' ${LOCK_DIR}/owner 2>/dev/null && rm -rf ${LOCK_DIR}
exit 0
`;
}

/**
 * Writes `body` to `file` with a quoted here-document. The delimiter is random per call and checked
 * against the body's lines, so no interface name or value can end the document early.
 */
export function heredoc(file: string, body: string): string {
  const text = body.endsWith('\n') ? body : `${body}\n`;
  const lines = new Set(text.split('\n'));
  let tag: string;
  do tag = `TEQLCTL_EOF_${randomBytes(8).toString('hex')}`;
  while (lines.has(tag));
  return `cat > ${file} <<'${tag}'\n${text}${tag}`;
}

export interface ArmOptions {
  runId: string;
  owner: string;
  batch: number;
  undo: Op[][];
  timeoutSec: number;
  /** First batch of the run on this host: write the run's files and arm the timer. */
  first: boolean;
  summary: string;
  /** The batch's steps, kept as its redo script for a later `teqlctl rollback`'s dead-man. */
  redo: Op[];
}

/** The timer that runs `dir`/revert.sh after `timeoutSec`: systemd-run's survives the SSH session; without systemd, a sleeper in its own session. */
export function timerLines(runId: string, timeoutSec: number): string[] {
  const dir = runDir(assertSafeRunId(runId));
  const unit = `teqlctl-deadman-${runId}`;
  return [
    `if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then`,
    `  systemd-run --quiet --unit=${unit} --on-active=${timeoutSec} --timer-property=AccuracySec=1s /bin/sh ${dir}/revert.sh || exit 3`,
    `  echo "systemd ${unit}" > ${dir}/timer`,
    'else',
    `  setsid sh -c 'sleep ${timeoutSec}; exec sh ${dir}/revert.sh' </dev/null >/dev/null 2>&1 &`,
    `  echo "pid $!" > ${dir}/timer`,
    'fi',
  ];
}

/** The run's meta file (who, when, how long the timer, what), values reduced to safe characters. */
export function metaLine(runId: string, owner: string, timeoutSec: number, summary: string): string {
  return `printf 'run=%s\\nowner=%s\\nstarted=%s\\ntimeout=%s\\nsummary=%s\\n' ${assertSafeRunId(runId)} '${owner.replace(/[^A-Za-z0-9@._-]/g, '_')}' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" ${timeoutSec} '${summary.replace(/[^A-Za-z0-9 ,.:/_-]/g, '_')}' > ${runDir(runId)}/meta`;
}

/** Prefix of an apply script: lock, run files, this batch's undo, and (first batch) the timer. */
export function armScript(o: ArmOptions): string {
  const dir = runDir(assertSafeRunId(o.runId));
  const lines = [lockScript(o.runId, o.owner), `mkdir -p ${dir} && chmod 700 ${dir} || exit 3`];
  lines.push(heredoc(`${dir}/undo-${o.batch}.sh`, undoBatchScript(o.undo)), heredoc(`${dir}/redo-${o.batch}.sh`, redoBatchScript(o.redo)), `: > ${dir}/done-${o.batch}`);
  if (o.first) {
    lines.push(heredoc(`${dir}/revert.sh`, revertScript(o.runId)), metaLine(o.runId, o.owner, o.timeoutSec, o.summary), `echo pending > ${dir}/state`, ...timerLines(o.runId, o.timeoutSec));
  }
  // The journal of this batch is on disk before its first step runs.
  lines.push(syncFs(dir));
  return lines.join('\n');
}

/** Appended to each successful step of batch `batch`, so the revert knows what really ran. */
export function doneLine(runId: string, batch: number, index: number): string {
  const file = `${runDir(assertSafeRunId(runId))}/done-${batch}`;
  return `{ echo ${index} >> ${file} && ${syncFs(file)}; }`;
}
