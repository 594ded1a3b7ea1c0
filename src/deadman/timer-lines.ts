// The dead-man's timer: systemd-run's where systemd runs, a sleeper in its own session elsewhere.
import { assertSafeRunId, runDir } from '../router/paths.js';
import { PROC_START_FN } from '../router/proc-start.js';

/**
 * The timer that runs `revert.sh` of `runId` after `timeoutSec`: where systemd runs, a transient
 * service that sleeps, then runs it (it survives the SSH session). Not a transient timer
 * (`systemd-run --on-active`, until 2026-12-06): before systemd 254 a `daemon-reload` restarts an
 * OnActiveSec countdown (timer_coldplug; seen on the lab's 252, Debian 12's: 53 s left became 68 s),
 * and a persisting run reloads systemd itself, as do package installs: the revert came up to twice
 * the window late, or never while something reloaded more often than the window (a review). A
 * service's sleep is not restarted by a reload. Without systemd, a sleeper in a session of its own (so that neither the SSH session's
 * end nor the round trip's `timeout`, which signals its whole process group, stops it): started by
 * setsid, or by start-stop-daemon where BusyBox was built without setsid (OpenWrt's default). /bin/sh
 * by path (BusyBox's setsid runs a bare `sh` as its own ash); the sleep's pid is kept so that
 * confirming can stop it without pkill, which BusyBox builds often lack. `fail` runs when the timer
 * cannot be armed.
 */
/**
 * Opens a subshell that starts the sleeper with the signals' default actions. The arming script
 * ignores HUP, PIPE and TERM until its timer is recorded (a signal between its lock and its timer
 * left a pending run with no timer: a review), and an ignored signal is inherited: the sleeper and
 * its sleep would then ignore the confirmation's TERM and revert a confirmed run. Reset in the
 * subshell only (dash and BusyBox sh reset a signal the script ignored, not one ignored when the
 * shell started), the script itself ignores them throughout.
 */
const DEFAULT_SIGNALS = '( trap - HUP PIPE TERM;';

export function timerLines(runId: string, timeoutSec: number, fail: (what: string) => string = () => 'exit 3'): string[] {
  const dir = runDir(assertSafeRunId(runId));
  const unit = `teqlctl-deadman-${runId}`;
  const sleeper = `'sleep ${timeoutSec} & echo $! > ${dir}/sleeper; wait; exec /bin/sh ${dir}/revert.sh'`;
  // No $ or %: systemd expands both in a command line it is given (the run folder's path has neither).
  const service = `'sleep ${timeoutSec}; exec /bin/sh ${dir}/revert.sh'`;
  return [
    `if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then`,
    `  systemd-run --quiet --unit=${unit} /bin/sh -c ${service} || ${fail('systemd-run could not start the timer')}`,
    `  echo "systemd ${unit}" > ${dir}/timer || { systemctl stop ${unit}.service >/dev/null 2>&1; ${fail(`cannot write ${dir}/timer`)}; }`,
    'else',
    '  tq_pid=',
    '  if command -v setsid >/dev/null 2>&1; then',
    `    ${DEFAULT_SIGNALS} exec setsid /bin/sh -c ${sleeper} </dev/null >/dev/null 2>&1 ) &`,
    '    tq_pid=$!',
    // -b detaches into a session of its own; -m writes the detached pid before it returns; -p a
    // file no process matches yet (else it would find this very shell running /bin/sh and start nothing).
    '  elif command -v start-stop-daemon >/dev/null 2>&1; then',
    `    rm -f ${dir}/timer.pid`,
    `    ${DEFAULT_SIGNALS} exec start-stop-daemon -S -b -m -p ${dir}/timer.pid -x /bin/sh -- -c ${sleeper} </dev/null >/dev/null 2>&1 ) || ${fail('start-stop-daemon could not start the timer')}`,
    `    [ -s ${dir}/timer.pid ] || sleep 1`,
    `    read -r tq_pid < ${dir}/timer.pid || ${fail('start-stop-daemon started the timer but wrote no pid')}`,
    '  else',
    // Without either the sleeper would not start, and nothing would say so (its error goes where
    // its output goes, to /dev/null): refused, before any change.
    `    ${fail('no systemd, no setsid and no start-stop-daemon on this router: the dead-man timer cannot be armed; install setsid (util-linux, or a BusyBox built with it)')}`,
    '  fi',
    // With its start time: a pid alone would name another process once this one is gone.
    `  ${PROC_START_FN}; tq_started $tq_pid`,
    `  echo "pid $tq_pid $tq_st" > ${dir}/timer || { kill $tq_pid 2>/dev/null; ${fail(`cannot write ${dir}/timer`)}; }`,
    'fi',
  ];
}
