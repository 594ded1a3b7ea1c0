// Confirmation, sent over a new SSH connection once verification passed: disarm the timer, record
// the state the run left (so a later `teqlctl rollback` can tell whether the router moved), free the lock.
import { assertSafeRunId, runDir } from '../router/paths.js';
import { releaseLockLine } from '../router/lock.js';
import { CONFIRM_MARKER, REVERTED_MARKER } from '../router/markers.js';
import { decide, DECIDED } from './decision.js';
import { heredoc } from './arm-script.js';
import { syncFs } from '../apply/render-op.js';

function disarm(dir: string): string {
  return [
    `read kind what < ${dir}/timer 2>/dev/null`,
    // The sleeper's shell first, so it cannot go on to the revert when its sleep ends.
    `case "$kind" in systemd) systemctl stop "$what.timer" "$what.service" >/dev/null 2>&1;; pid) kill "$what" 2>/dev/null; [ -f ${dir}/sleeper ] && kill "$(cat ${dir}/sleeper)" 2>/dev/null;; esac`,
  ].join('\n');
}

/** `state`: what the run becomes (a rollback's own run is `rollback-confirmed`, so it is not taken for a run to undo). */
export function confirmScript(runId: string, afterState: string, state = 'confirmed'): string {
  const dir = runDir(assertSafeRunId(runId));
  return [
    'export LANG=C LC_ALL=C',
    'umask 077',
    // Exactly one of confirm and the dead-man's revert wins the run: the one that makes the directory.
    `if ! ${decide(dir, 'confirm')}; then echo "${CONFIRM_MARKER} too-late $(cat ${dir}/state 2>/dev/null) decided-by=$(cat ${dir}/${DECIDED}/by 2>/dev/null)"; exit 1; fi`,
    `echo ${state} > ${dir}/state`,
    disarm(dir),
    `date -u +%Y-%m-%dT%H:%M:%SZ > ${dir}/confirmed_at`,
    heredoc(`${dir}/after-state`, afterState),
    syncFs(dir),
    releaseLockLine(runId),
    `echo "${CONFIRM_MARKER} ok"`,
  ].join('\n') + '\n';
}

/**
 * Before teqlctl rolls a router back itself: claim the run so its dead-man stands down. If the
 * dead-man got there first, wait for it to finish and skip the undo (the router already reverted);
 * `then` (the facts script) still runs, so the result is checked against the snapshot all the same.
 */
export function claimRunScript(runId: string, then: string): string {
  const dir = runDir(assertSafeRunId(runId));
  return [
    // Once claimed, the dead-man stands down: finish even if the SSH session dies meanwhile.
    "trap '' HUP PIPE",
    // Decided here unless the dead-man (then wait for its revert) or a confirmation (a partial
    // confirmation: this host is rolled back all the same, under the lock the run still holds) was first.
    `if ${decide(dir, 'rollback')}; then echo rolling-back > ${dir}/state; fi`,
    `i=0; while [ "$(cat ${dir}/state 2>/dev/null)" = reverting ] && [ $i -lt 60 ]; do sleep 1; i=$((i+1)); done`,
    `if [ "$(cat ${dir}/state 2>/dev/null)" = reverted ]; then echo '${REVERTED_MARKER}'`,
    then.trimEnd(),
    'exit 0; fi',
  ].join('\n');
}

/** After teqlctl rolled back by itself: the run is over, the timer must not fire again. */
export function closeRunScript(runId: string, state: 'rolled-back' | 'failed'): string {
  const dir = runDir(assertSafeRunId(runId));
  return [
    `case "$(cat ${dir}/state 2>/dev/null)" in pending|rolling-back|confirmed) [ -d ${dir} ] && echo ${state} > ${dir}/state;; esac`,
    `[ -d ${dir} ] && { ${disarm(dir).replace(/\n/g, '; ')}; }`,
    releaseLockLine(runId),
    'true',
  ].join('\n');
}
