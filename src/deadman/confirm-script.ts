// Confirmation, sent over a new SSH connection once verification passed: disarm the timer, record
// the state the run left (so a later `teqlctl rollback` can tell whether the router moved), free the lock.
import { assertSafeRunId, BOOT_SCRIPT, LOCK_DIR, runDir } from '../router/paths.js';
import { releaseLockLine } from '../router/lock.js';
import { PROC_START_FN, sameProcess } from '../router/proc-start.js';
import { CONFIRM_MARKER, RETIRING_MARK } from '../router/markers.js';
import { claimRecords, CONFIRM_PID, decide, DECIDED, RECORDS, reserveFiles, TAKEOVER, takenOverBy, withRoom } from '../router/decision.js';
import { heredoc } from './arm-script.js';
import { syncFs } from '../apply/render-op.js';
import { wholeScript } from '../router/whole-script.js';
import { armedInEarlierBoot, readBootId, readRunBoot } from '../router/boot-id.js';

/** Where `--debug-hold decided:S` writes the held confirmation's pid, on the router. */
export const DECIDED_HOLD_PID_FILE = '/run/teqlctl-debug-decided.pid';

/** Stops the run's timer, whichever kind (exported for its tests). */
export function disarm(dir: string): string {
  return [
    `kind=; what=; start=; read -r kind what start 2>/dev/null < ${dir}/timer`,
    // The sleeper's shell first, so it cannot go on to the revert when its sleep ends; only while
    // that pid is still the timer's (long fired, its number may be another process's now).
    // Its sleep, only while that pid is still the sleeper's child, read before the sleeper is
    // stopped (which orphans it): a sleep long ended left a number another process may have now (a review).
    PROC_START_FN,
    'tq_parent() { tq_pp=; tq_x=; read -r tq_x 2>/dev/null < /proc/$1/stat || return 0; tq_x=${tq_x##*\') \'}; set -- $tq_x; tq_pp=$2; }',
    `case "$kind" in systemd) systemctl stop "$what.timer" "$what.service" >/dev/null 2>&1;; pid) if [ -n "$what" ] && ${sameProcess('$what', '$start')}; then tq_sp=; read -r tq_sp 2>/dev/null < ${dir}/sleeper; tq_pp=; [ -n "$tq_sp" ] && tq_parent "$tq_sp"; kill "$what" 2>/dev/null; [ -n "$tq_sp" ] && [ "$tq_pp" = "$what" ] && kill "$tq_sp" 2>/dev/null; fi;; esac`,
  ].join('\n');
}

/**
 * `state`: what the run becomes (a rollback's own run is `rollback-confirmed`, so it is not taken
 * for a run to undo). `release: false` keeps the lock: a play frees it only once every host is
 * confirmed (releaseScript), so that a partial confirmation rolls a confirmed host back under it.
 */
export function confirmScript(runId: string, afterState: string, state = 'confirmed', release = true, o: { holdAfterDecisionSec?: number } = {}): string {
  const dir = runDir(assertSafeRunId(runId));
  // Whole: a confirmation cut off after its decision must not leave the run decided and unrecorded.
  return wholeScript([
    'export LANG=C LC_ALL=C',
    'umask 077',
    // A router that restarted since the run was armed lost the run's kernel changes and its timer:
    // confirming would record a configuration it no longer has. Not decided here: the controller
    // rolls the run back (its undo is harmless on what the restart left), or the boot script did.
    readRunBoot(dir, 'tq_rb'),
    readBootId('tq_bn'),
    `if ${armedInEarlierBoot('tq_rb', 'tq_bn')}; then echo "${CONFIRM_MARKER} rebooted $(cat ${dir}/state 2>/dev/null)"; exit 1; fi`,
    // From its decision on it finishes, its records written, whatever becomes of the session: a
    // link lost (HUP), the round trip's bound on the router (TERM). Cut between the decision and
    // the records, the run stayed decided and pending, its timer off and its lock held, with nothing
    // left to settle it but a controller still alive (a review running the scripts, 2026-12-05).
    "trap '' HUP PIPE TERM",
    // Exactly one of confirm and the dead-man's revert wins the run: the one that makes the directory.
    `if ! ${decide(dir, 'confirm')}; then echo "${CONFIRM_MARKER} too-late $(cat ${dir}/state 2>/dev/null) decided-by=$(cat ${dir}/${DECIDED}/by 2>/dev/null)"; exit 1; fi`,
    // Fault injection (`--debug-hold decided:S`): the shell's pid where a test can SIGKILL it.
    ...(o.holdAfterDecisionSec ? [`echo $$ > ${DECIDED_HOLD_PID_FILE}; echo 'holding ${o.holdAfterDecisionSec} s after the decision (--debug-hold)' >&2; sleep ${o.holdAfterDecisionSec}`] : []),
    // The records after the decision are written by one side only: this confirmation, or the
    // dead-man's revert or a rollback that found the run decided by it but not recorded after its
    // wait (a confirmation killed there, or stalled in a sync) and undid it (decision.ts, takeOver).
    // Whoever makes the directory writes them.
    // Not made and not there: a disk too full even for a directory, said as a failed record (exit 3).
    `${claimRecords(dir)} || { [ -d ${dir}/${RECORDS} ] && { echo "${CONFIRM_MARKER} too-late $(cat ${dir}/state 2>/dev/null) decided-by=${takenOverBy(dir)}"; exit 1; }; ${syncFs(dir)}; exit 3; }`,
    // Its shell, for a taker to stop (kill) before it undoes: stalled here a minute (a sync on a
    // full disk), this confirmation would write its records over that undo (decision.ts, takeOver).
    PROC_START_FN,
    `tq_started $$; { echo "$$ $tq_st" > ${dir}/${RECORDS}/${CONFIRM_PID}; } 2>/dev/null || true`,
    // Taken over while this confirmation stalled a minute after its claim: it writes nothing over the undo.
    `if [ -d ${dir}/${TAKEOVER} ]; then echo "${CONFIRM_MARKER} too-late $(cat ${dir}/state 2>/dev/null) decided-by=${takenOverBy(dir)}"; exit 1; fi`,
    // The run's records, with the reserve's room on a disk that filled since arming. Where even that
    // is not enough, they are flushed as far as they got before exit 3 (the controller then rolls
    // this host back; the run is decided here, its timer still armed: whichever comes first takes it over).
    `${withRoom(dir, [`echo ${state} > ${dir}/state`, `date -u +%Y-%m-%dT%H:%M:%SZ > ${dir}/confirmed_at`, heredoc(`${dir}/after-state`, afterState, 'false')])} || { ${syncFs(dir)}; exit 3; }`,
    syncFs(dir),
    // The timer is stopped only now, the records on disk: a confirmation killed between its
    // decision and here (a SIGKILL from the OOM killer, which no trap stops) leaves the timer
    // armed, and its revert takes the unrecorded run over and undoes it (takeOver). Stopped at the
    // decision, the run stayed decided and pending, its lock held, with nothing on the router to
    // end it (a review, 2026-12-05).
    disarm(dir),
    // A teardown's boot script stayed, to revert the run after a restart: confirmed and released, it
    // goes (retireLine). Kept by a lock still held: a peer's confirmation may still fail.
    ...(release ? [retireLine()] : []),
    // Not needed once the run is recorded; removed in the background (a process, on the critical path).
    `rm -f ${reserveFiles(dir)} </dev/null >/dev/null 2>&1 &`,
    ...(release ? [releaseLockLine(runId)] : []),
    // Recorded: the shell may be ended again (its wait at a barrier after this stays bounded by the
    // round trip's `timeout`, as before).
    'trap - HUP PIPE TERM',
    // The client port of this connection: the log shows it is not the run's own.
    `set -- $SSH_CONNECTION; echo "${CONFIRM_MARKER} ok port=\${2:-?}"`,
  ].join('\n'));
}

/**
 * After teqlctl rolled back by itself: the run is over, the timer must not fire again. An empty
 * state is the rollback's own `rolling-back` whose write failed after truncating (a full disk even
 * with the reserve's room): recorded too, or `status` showed the run as unknown (a review).
 */
export function closeRunScript(runId: string, state: 'rolled-back'): string {
  const dir = runDir(assertSafeRunId(runId));
  return wholeScript([
    `case "$(cat ${dir}/state 2>/dev/null)" in pending|rolling-back|confirmed|'') [ -d ${dir} ] && {\n${withRoom(dir, [`echo ${state} > ${dir}/state`])}\n} ;; esac`,
    `[ -d ${dir} ] && { ${disarm(dir).replace(/\n/g, '; ')}; rm -f ${reserveFiles(dir)}; }`,
    releaseLockLine(runId),
    'true',
  ].join('\n'));
}

/** After every host of a play confirmed: the run is over here, its lock is freed. */
export function releaseScript(runId: string): string {
  // Only while the lock is still this run's: another run's retiring script (a teardown that took a
  // lock a second operator's unlock freed) must stay until that run is confirmed (a review).
  return `if grep -qx 'run=${assertSafeRunId(runId)}' ${LOCK_DIR}/owner 2>/dev/null; then\n${retireLine()}\nfi\n${releaseLockLine(runId)}; echo "${CONFIRM_MARKER} released"\n`;
}

/**
 * A teardown's retiring boot script (plan/persist/retiring-script.ts) goes, with what starts it,
 * once the run is over: at the release, when every host confirmed. At the confirmation, a peer's
 * failing after it had the host rolled back with nothing to finish that undo after a restart (a
 * review). Not a failure where it cannot: at the next boot it finds nothing to revert and retires itself.
 */
function retireLine(): string {
  return `if grep -qx '${RETIRING_MARK}' ${BOOT_SCRIPT} 2>/dev/null; then /bin/sh ${BOOT_SCRIPT} retire </dev/null >/dev/null 2>&1 || echo "${CONFIRM_MARKER} retire-failed"; fi`;
}

/**
 * A confirmed host that then undid some of its bundles (a peer's confirmation failed): the state it
 * keeps replaces the one recorded at confirmation, so `teqlctl rollback` does not take it for drift.
 */
export function recordAfterScript(runId: string, afterState: string): string {
  const dir = runDir(assertSafeRunId(runId));
  return wholeScript([`[ -d ${dir} ] || exit 0`, heredoc(`${dir}/after-state`, afterState), syncFs(dir), 'true'].join('\n'));
}
