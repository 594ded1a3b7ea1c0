// Confirmation, sent over a new SSH connection once verification passed: disarm the timer, record
// the state the run left (so a later `teqlctl rollback` can tell whether the router moved), free the lock.
import { LOCK_DIR, assertSafeRunId, runDir } from './router-paths.js';

export const CONFIRM_MARKER = '@@teqlctl-confirm';

function disarm(dir: string): string {
  return [
    `read kind what < ${dir}/timer 2>/dev/null`,
    `case "$kind" in systemd) systemctl stop "$what.timer" "$what.service" >/dev/null 2>&1;; pid) pkill -P "$what" sleep 2>/dev/null; kill "$what" 2>/dev/null;; esac`,
  ].join('\n');
}

export function confirmScript(runId: string, afterState: string): string {
  const dir = runDir(assertSafeRunId(runId));
  return [
    'export LANG=C LC_ALL=C',
    `state=$(cat ${dir}/state 2>/dev/null)`,
    `if [ "$state" != pending ]; then echo "${CONFIRM_MARKER} too-late $state"; exit 1; fi`,
    `echo confirmed > ${dir}/state`,
    disarm(dir),
    `date -u +%Y-%m-%dT%H:%M:%SZ > ${dir}/confirmed_at`,
    `cat > ${dir}/after-state <<'TEQLCTL_EOF'\n${afterState.replace(/TEQLCTL_EOF/g, '')}\nTEQLCTL_EOF`,
    `grep -qx 'run=${runId}' ${LOCK_DIR}/owner 2>/dev/null && rm -rf ${LOCK_DIR}`,
    `echo "${CONFIRM_MARKER} ok"`,
  ].join('\n') + '\n';
}

/** After teqlctl rolled back by itself: the run is over, the timer must not fire again. */
export function closeRunScript(runId: string, state: 'rolled-back' | 'failed'): string {
  const dir = runDir(assertSafeRunId(runId));
  return [
    `if [ -d ${dir} ] && [ "$(cat ${dir}/state 2>/dev/null)" = pending ]; then echo ${state} > ${dir}/state; fi`,
    `[ -d ${dir} ] && { ${disarm(dir).replace(/\n/g, '; ')}; }`,
    `grep -qx 'run=${runId}' ${LOCK_DIR}/owner 2>/dev/null && rm -rf ${LOCK_DIR}`,
    'true',
  ].join('\n');
}
