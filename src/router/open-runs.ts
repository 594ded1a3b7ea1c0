// A run of this boot that has not ended (pending: its dead-man may still revert it; reverting,
// rolling-back, or a state a power cut emptied: its undo may be running) holds the lock while so.
// `teqlctl unlock --force`, or a second operator's `unlock` of a lock whose holder is gone while its
// revert still undoes, removed that lock all the same: a run that took it then applied, and the
// revert still running undid its changes beneath it, or its pings passed first and it confirmed
// (found by a review, 2026-12-06). So a first arm, and `teqlctl rollback`'s lock, look under the
// lock they just took for such a run, and refuse (nothing changed).
import { BOOT_ID_FILE, BOOT_LOCK_DIR, LOCK_DIR, RUNS_DIR } from './paths.js';
import { PROC_START_FN, sameProcess } from './proc-start.js';
import { shellQuote } from './shell-quote.js';

/**
 * How long after its state was last written a run still counts as open: its undo ends well within
 * this (a revert waits 10 s for a hung apply, then undoes; teqlctl's rollback waits 60 s for one).
 * A pending run has its timer's seconds more. Past it, the run is left as before unless its timer
 * is seen waiting or its undo running (their records, with the process's start time): else none
 * runs any more (a timer killed, a disk that could not record its end), and refusing every later
 * run until a restart would strand the operator.
 */
export const OPEN_RUN_GRACE_SEC = 300;

/**
 * Shell lines that run `found` (with `$tq_ori` the run's id, `$tq_orv` its state) for each run
 * other than `self` armed in this boot that has not ended. Runs of earlier boots, or of an unknown
 * boot (an older teqlctl's), are not open here: no timer outlives a reboot, and the boot script
 * finishes an undo a restart cut. Builtins, and one `find` per open run found (its state's age).
 */
function scanLines(self: string, found: string, runs: string, bootId: string, bootLock: string): string[] {
  return [
    `tq_orb=; read -r tq_orb 2>/dev/null < ${shellQuote(bootId)}`,
    // The boot script of this boot still running (its lock's holder alive): it may be finishing an
    // undo a restart cut, of a run of an earlier boot (OpenRC's local.d and ifupdown's hook run
    // after sshd is up). Said as a run of its own, "(boot)" (a review).
    `${PROC_START_FN}; tq_obh=; tq_obb=; tq_obs=; { read -r tq_obh tq_obb; read -r tq_obs; } 2>/dev/null < ${shellQuote(`${bootLock}/holder`)}`,
    `for tq_obx in 1; do if [ -n "$tq_obh" ] && [ -n "$tq_orb" ] && [ "$tq_obb" = "$tq_orb" ] && [ -d "/proc/$tq_obh" ] && ${sameProcess('$tq_obh', '$tq_obs')}; then tq_ori='(boot)'; tq_orv="the boot script still runs (pid $tq_obh), maybe undoing a run a restart cut"; ${found}; fi; done`,
    `[ -z "$tq_orb" ] || for tq_ors in ${shellQuote(runs)}/*/state; do`,
    `  [ -f "$tq_ors" ] || continue; tq_ord=\${tq_ors%/state}; tq_ori=\${tq_ord##*/}; [ "$tq_ori" = ${shellQuote(self)} ] && continue`,
    `  tq_orv=; read -r tq_orv 2>/dev/null < "$tq_ors"; case $tq_orv in pending|reverting|rolling-back|'') ;; *) continue;; esac`,
    `  tq_orr=; tq_ort=; while IFS= read -r tq_orl || [ -n "$tq_orl" ]; do case $tq_orl in boot=*) tq_orr=\${tq_orl#boot=};; timeout=*) tq_ort=\${tq_orl#timeout=};; esac; done 2>/dev/null < "$tq_ord/meta"`,
    `  [ "$tq_orr" = "$tq_orb" ] || continue`,
    `  case $tq_ort in ''|*[!0-9]*) tq_ort=0;; esac; [ "$tq_orv" = pending ] || tq_ort=0`,
    `  ${writtenWithin('"$tq_ors"', `$(( tq_ort + ${OPEN_RUN_GRACE_SEC} ))`, 'tq_orf')}`,
    // Past the bound, still open while its timer waits or its undo runs: an undo held up longer
    // (a hung command), or a timer a paused VM's monotonic clock kept back while the wall clock
    // stepped on. Read only for such a stale run: builtins, systemctl for a systemd timer.
    `  [ -n "$tq_orf" ] || case $tq_orv in pending) ${timerWaits('"$tq_ord"', 'tq_orf')};; *) ${undoerRuns('"$tq_ord"', 'tq_orf')};; esac; [ -n "$tq_orf" ] || continue`,
    `  ${found}`,
    'done',
  ];
}

/**
 * Shell: sets `$name` non-empty when `file` (a shell word) was written within `sec` seconds (a shell
 * arithmetic word), by find's -mmin (BusyBox's too). Where find fails (a BusyBox built without
 * -mmin), `unknown`: empty by default, the run counts as ended, as before these checks, rather
 * than refuse every run until a restart (unlock, which has --force, takes it as recent).
 */
export function writtenWithin(file: string, sec: string, name: string, unknown = ''): string {
  // Not in the future (`! -mmin -0`, GNU's and BusyBox's find): a file stamped while the clock was
  // ahead (a wrong RTC that NTP then stepped back) counted as just written, and every run was
  // refused until the clock caught up (a review); its age unknown, the run's timer or undo, seen
  // alive or not, tells.
  return `${name}=$(find ${file} -mmin -$(( (${sec} + 59) / 60 )) ! -mmin -0 2>/dev/null) || ${name}=${unknown}`;
}

/** The shell undoing a run (the dead-man's revert, a rollback's redo, teqlctl rollback's undo): "pid start". */
export const UNDOER_FILE = 'undoer';

/**
 * Shell: records this shell as the undo of the run in `dir` (a shell word), before its first change.
 * A disk too full for it leaves the 300 s bound alone to tell the undo is over.
 */
export function recordUndoerLine(dir: string): string {
  return `{ ${PROC_START_FN}; tq_started $$; echo "$$ $tq_st" > ${dir}/${UNDOER_FILE}; } 2>/dev/null || true`;
}

/** Shell (needs PROC_START_FN): sets `$name` to live when the undo recorded in `dir` still runs. */
export function undoerRuns(dir: string, name: string): string {
  return `{ tq_oup=; tq_ous=; read -r tq_oup tq_ous 2>/dev/null < ${dir}/${UNDOER_FILE}; if [ -n "$tq_oup" ] && [ -d "/proc/$tq_oup" ] && ${sameProcess('$tq_oup', '$tq_ous')}; then ${name}=live; fi; }`;
}

/**
 * Shell (needs PROC_START_FN): sets `$name` to live when the run's dead-man timer in `dir` still
 * waits: its sleeper (a pid, or a systemd service sleeping), or an older teqlctl's systemd timer.
 */
function timerWaits(dir: string, name: string): string {
  return `{ tq_otk=; tq_otp=; tq_ots=; read -r tq_otk tq_otp tq_ots 2>/dev/null < ${dir}/timer; case $tq_otk in pid) if [ -n "$tq_otp" ] && [ -d "/proc/$tq_otp" ] && ${sameProcess('$tq_otp', '$tq_ots')}; then ${name}=live; fi;; systemd) case "$(systemctl show -p SubState "$tq_otp.service" "$tq_otp.timer" 2>/dev/null)" in *SubState=running*|*SubState=waiting*) ${name}=live;; esac;; esac; }`;
}

/** What a run is told while the boot script of this boot still runs (`state`: its words, as listed). */
export function bootScriptWords(state: string): string {
  return `${state}: run again once it ends (a boot script waits at most 300 s for another)`;
}

/** What an open run's state is said as (an empty one: a power cut between its truncation and its write). */
const STATE_WORDS = `\${tq_orv:-emptied}`;

/** Said on the line that refuses a run for another run of this boot not ended, with why. */
export const OPEN_RUN_MARKER = '@@teqlctl-open-run';

/**
 * Shell: refuses (OPEN_RUN_MARKER and why, then `release`, exit 3) when another run of this boot has
 * not ended. `runs` and `bootId`: for tests only.
 */
export function refuseOpenRunLines(self: string, release: string, runs = RUNS_DIR, bootId = BOOT_ID_FILE, bootLock = BOOT_LOCK_DIR): string {
  return [
    'tq_orn=',
    ...scanLines(self, `tq_orn="$tq_ori ${STATE_WORDS}"; break`, runs, bootId, bootLock).map((l) => (l.startsWith('[ -z "$tq_orb" ] ||') ? `[ -n "$tq_orn" ] || ${l}` : l)),
    `if [ -n "$tq_orn" ]; then ${release}; case $tq_orn in '(boot) '*) echo "${OPEN_RUN_MARKER} ${bootScriptWords('${tq_orn#* }')}";; *) echo "${OPEN_RUN_MARKER} ${openRunWords('${tq_orn%% *}', '${tq_orn#* }')}";; esac; exit 3; fi`,
  ].join('\n');
}

/**
 * Shell: prints `<id> <state>` for each run of this boot that has not ended (the facts' section),
 * but `self`: a run's own re-read after its changes skips itself (pending, it cost a `find` of its
 * state's age, ~50 ms of an emulated router's time, for a line every reader drops).
 */
export function listOpenRunsLines(runs = RUNS_DIR, bootId = BOOT_ID_FILE, bootLock = BOOT_LOCK_DIR, self = ''): string {
  return scanLines(self, `printf '%s %s\\n' "$tq_ori" "${STATE_WORDS}"`, runs, bootId, bootLock).join('\n');
}

/**
 * What a run is told of a router where another run has not ended (`id`, `state`: words, or shell
 * expansions inside double quotes: the rest holds no character the shell would expand there).
 */
export function openRunWords(id: string, state: string): string {
  return `run ${id} is not ended here: ${state} (its dead-man may still revert it, or its undo still run, though its lock ${LOCK_DIR} is gone: removed by teqlctl unlock, or freed by an undo that could not record its end); wait until teqlctl status shows it ended, or ${OPEN_RUN_GRACE_SEC} s after its state was last written (a pending one: its timer's seconds more), then run again`;
}
