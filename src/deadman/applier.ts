// The apply script in flight on a router. Whoever decides a run (the dead-man's revert, teqlctl's
// rollback) stops it first: otherwise an apply script held up in a step (a hung command, a
// controller that died while the router kept running it) could run that step, or the next ones,
// after the revert undid them, and leave the router half-configured.
import { napLine } from '../router/nap.js';
import { PROC_START_FN, sameProcess } from '../router/proc-start.js';

/**
 * The apply script records its shell's pid, so a revert can stop it; removed when it ends. With
 * the shell's start time: a record left behind (an apply that stopped early, or was killed) must
 * not name whatever process has that pid when the dead-man fires, minutes later.
 */
export function recordApplierLine(dir: string): string {
  return `{ ${PROC_START_FN}; tq_started $$; echo "$$ $tq_st" > ${dir}/applier; }`;
}

export function forgetApplierLine(dir: string): string {
  return `rm -f ${dir}/applier`;
}

/**
 * Stops the run's apply script if it still runs: its whole process group (the step's command in
 * flight, the session's shell, sudo) gets SIGTERM, then this waits (at most 10 s) until it is gone.
 * Only the shell recorded is stopped (same start time, and a shell: a pid reused by another
 * process is left alone), never our own group.
 * Every later step also checks that the run is undecided before it starts (see begunLine).
 */
export function stopApplierLines(dir: string): string {
  return [
    PROC_START_FN,
    // An older teqlctl's record holds the pid alone: trusted as before (sameProcess).
    // Braced: a redirection's own "cannot open" (no apply running, the usual case) is not shown.
    `a=; as=; { read -r a as < ${dir}/applier; } 2>/dev/null`,
    `if [ -n "$a" ] && [ "$a" != "$$" ] && [ -r /proc/$a/stat ] && ${sameProcess('$a', '$as')}; then`,
    '  c=; read -r c < /proc/$a/comm',
    '  case "$c" in',
    '    sh|ash|dash|bash|busybox)',
    '      read -r s < /proc/$a/stat; set -- $s; g=$5',
    '      read -r s < /proc/$$/stat; set -- $s',
    '      if [ -n "$g" ] && [ "$g" != "$5" ] && [ "$g" -gt 1 ]; then kill -TERM -"$g" 2>/dev/null || kill -TERM "$a" 2>/dev/null; else kill -TERM "$a" 2>/dev/null; fi',
    `      i=0; while [ -d /proc/$a ] && [ $i -lt 100 ]; do ${napLine(2)}; i=$((i+tq_dt)); done;;`,
    '  esac',
    'fi',
  ].join('\n');
}
