// A pid on a router is a process only for a while: once it is gone, the number is given to another.
// teqlctl keeps its timer's pid with the process's start time (field 22 of /proc/PID/stat, clock
// ticks since boot), and takes the pid for its own only while both match: `status` said a timer
// that had fired was armed when its pid was reused, and disarming would have killed the process
// that got the number. Builtins only (read, set): the confirmation is on a cold apply's path.

/** `tq_started PID` sets `tq_st` to that process's start time, empty when there is none. */
export const PROC_START_FN = `tq_started() { tq_st=; tq_s=; read -r tq_s 2>/dev/null < /proc/$1/stat || return 0; tq_s=\${tq_s##*') '}; set -- $tq_s; tq_st=\${20}; }`;

/**
 * A shell test: the process `pid` (a shell word) is the one recorded with start time `start` (a
 * shell word; empty in an older teqlctl's record, which is trusted as before). Needs PROC_START_FN.
 */
export function sameProcess(pid: string, start: string): string {
  return `{ [ -z "${start}" ] || { tq_started "${pid}"; [ "$tq_st" = "${start}" ]; }; }`;
}
