// The dead-man's timer: systemd-run's where systemd runs, a sleeper in its own session elsewhere.
import { assertSafeRunId, runDir } from '../router/paths.js';
import { PROC_START_FN } from '../router/proc-start.js';

/**
 * The timer that runs `revert.sh` of `runId` after `timeoutSec`: systemd-run's survives the SSH
 * session; without systemd, a sleeper in its own session. /bin/sh by path (BusyBox's setsid runs a
 * bare `sh` as its own ash); the sleep's pid is kept so that confirming can stop it without pkill,
 * which BusyBox builds often lack. `fail` runs when the timer cannot be armed.
 */
export function timerLines(runId: string, timeoutSec: number, fail: (what: string) => string = () => 'exit 3'): string[] {
  const dir = runDir(assertSafeRunId(runId));
  const unit = `teqlctl-deadman-${runId}`;
  return [
    `if [ -d /run/systemd/system ] && command -v systemd-run >/dev/null 2>&1; then`,
    `  systemd-run --quiet --unit=${unit} --on-active=${timeoutSec} --timer-property=AccuracySec=1s /bin/sh ${dir}/revert.sh || ${fail('systemd-run could not start the timer')}`,
    `  echo "systemd ${unit}" > ${dir}/timer || { systemctl stop ${unit}.timer >/dev/null 2>&1; ${fail(`cannot write ${dir}/timer`)}; }`,
    // Without setsid the sleeper would not start, and nothing would say so (its error goes where
    // its output goes, to /dev/null): refused, before any change (some BusyBox builds leave it out).
    `elif ! command -v setsid >/dev/null 2>&1; then`,
    `  ${fail('no systemd and no setsid on this router: the dead-man timer cannot be armed; install setsid (util-linux, or a BusyBox built with it)')}`,
    'else',
    `  setsid /bin/sh -c 'sleep ${timeoutSec} & echo $! > ${dir}/sleeper; wait; exec /bin/sh ${dir}/revert.sh' </dev/null >/dev/null 2>&1 &`,
    // With its start time: a pid alone would name another process once this one is gone.
    `  ${PROC_START_FN}; tq_started $!`,
    `  echo "pid $! $tq_st" > ${dir}/timer || { kill $! 2>/dev/null; ${fail(`cannot write ${dir}/timer`)}; }`,
    'fi',
  ];
}
