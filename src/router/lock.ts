// teqlctl's lock on a router: one directory made atomically by mkdir, an owner file inside
// (run, owner, started, pid of the sshd session that took it). Taking, reading and freeing it.
import { parseKeyValues } from './key-values.js';
import { fromMarkerLine, LOCK_MARKER } from './markers.js';
import { BOOT_ID_FILE, LOCK_DIR, LOCK_OWNER, assertSafeRunId } from './paths.js';
import { PROC_START_FN, sameProcess } from './proc-start.js';
import { laterConfirmedLines } from './later-confirmed.js';

/** Who holds the lock, when a run holds it. */
export interface RouterLock {
  run: string;
  owner: string;
  started: string;
  /** The SSH session that took the lock still exists: its run is (probably) still going. */
  alive: boolean;
}

/**
 * Finds the SSH server's process of this connection (OpenSSH's sshd, or Dropbear's, as on OpenWrt
 * and many BusyBox routers): the lock is alive as long as that process is.
 */
// Builtins only (read), no process per level: comm, then the parent from stat, the field after the
// state that follows comm's last ") " (a comm may hold spaces and parentheses: "node (vitest 1)").
const SESSION_PID = `p=$$; while [ "$p" -gt 1 ]; do c=; read c < /proc/$p/comm 2>/dev/null; case "$c" in sshd*|dropbear*) break;; esac; s=; read s < /proc/$p/stat 2>/dev/null || s='1 (x) S 1'; s=\${s##*') '}; set -- $s; p=\${2:-1}; done`;

/** Owners are written into a shell string and a key=value file: only plain characters survive. */
export function safeOwner(owner: string): string {
  return owner.replace(/[^A-Za-z0-9@._-]/g, '_');
}

/** The router's time now, as the run files record it: a shell word (one `date` process). */
export const ROUTER_NOW = '"$(date -u +%Y-%m-%dT%H:%M:%SZ)"';

/**
 * Takes the router's lock for this run (mkdir is atomic), or exits 3 naming the holder. `now`: the
 * shell word for the time it was taken (a variable set once, where the run's files record it too).
 */
export function takeLockScript(runId: string, owner: string, now = ROUTER_NOW): string {
  assertSafeRunId(runId);
  return [
    SESSION_PID,
    // With its start time: once the session is gone its pid goes to another process, which kept a
    // dead run's lock looking alive (a review; as the timer's and the applier's records).
    `${PROC_START_FN}; tq_started "$p"`,
    `if mkdir ${LOCK_DIR} 2>/dev/null; then`,
    // The boot it was taken in (the shell's read, no process): see BOOT_ID_FILE.
    `  tq_bi=; read -r tq_bi 2>/dev/null < ${BOOT_ID_FILE}`,
    // An owner that cannot be written (a full /run) would leave a lock no run names: given back.
    `  printf 'run=%s\\nowner=%s\\nstarted=%s\\npid=%s\\nboot=%s\\nstart=%s\\n' ${runId} '${safeOwner(owner)}' ${now} "$p" "$tq_bi" "$tq_st" > ${LOCK_OWNER} || { rm -rf ${LOCK_DIR}; echo '${LOCK_MARKER} unusable'; echo 'cannot write ${LOCK_OWNER} (is /run full?)'; exit 3; }; tq_newlock=1`,
    // Not made, and not there: no /run (an OpenWrt before 24.10), or one that is read-only. mkdir
    // again, on this path only, for its own words.
    `elif [ ! -d ${LOCK_DIR} ]; then`,
    // (Made this time: another run freed it meanwhile; given back, and this run refused all the same.)
    `  echo '${LOCK_MARKER} unusable'; if mkdir ${LOCK_DIR} 2>&1; then rmdir ${LOCK_DIR}; echo 'the lock was freed meanwhile by another run: run again'; fi; exit 3`,
    `elif ! grep -qx 'run=${runId}' ${LOCK_OWNER} 2>/dev/null; then`,
    `  echo '${LOCK_MARKER} held'; cat ${LOCK_OWNER} 2>/dev/null; exit 3`,
    'fi',
  ].join('\n');
}

/** Did the apply script stop because another run holds the lock? Then the rest names the holder. */
export function lockHeldBy(output: string): string | undefined {
  const stdout = fromMarkerLine(output, `${LOCK_MARKER} held`);
  if (stdout === undefined) return undefined;
  const holder = stdout.split('\n').slice(1).join(' ').trim();
  // A lock whose owner file is empty or gone: taken by a run that could not record itself.
  return holder !== '' ? holder : `a lock that names no run yet (${LOCK_OWNER} is empty or missing: another run taking it this very moment, or one that could not write it); run again, and if it stays, \`teqlctl unlock\` removes it`;
}

/** Could the lock not be taken at all (no /run, a full or read-only one)? Then why, and what to do. */
export function lockUnusable(output: string): string | undefined {
  const stdout = fromMarkerLine(output, `${LOCK_MARKER} unusable`);
  if (stdout === undefined) return undefined;
  const why = stdout.split('\n').slice(1).join(' ').trim() || 'no reason given';
  const hint = /no such file/i.test(why)
    ? 'teqlctl keeps its lock in /run, a tmpfs: an OpenWrt before 24.10 has none, `ln -s /tmp/run /run` there gives it one'
    : /permission denied/i.test(why)
      ? 'the session on the router is not root: log in as root (ansible_user: root), or become root (ansible_become: true)'
      : 'free space in /run (`df /run`), or make it writable';
  return `cannot take teqlctl's lock ${LOCK_DIR}: ${why}; nothing was changed (${hint})`;
}

/**
 * Prints the owner file's key=value lines and `alive=0|1`, nothing when there is no lock. The
 * shell's own `read`, not `cat` and `sed`: it runs in every facts read, and an emulated router
 * starts a process in ~30 ms (issue 17). Its own names: the facts script uses short ones. A lock
 * taken in an earlier boot (a /run kept across reboots) is never alive, whatever its pid is now,
 * nor one whose pid is another process now (its start time differs; an older lock without one is
 * judged by its pid, as before).
 */
export const READ_LOCK = `${PROC_START_FN}; if [ -f ${LOCK_OWNER} ]; then tq_lp=; tq_lb=; tq_ls=; while IFS= read -r tq_l || [ -n "$tq_l" ]; do printf '%s\\n' "$tq_l"; case $tq_l in pid=*) tq_lp=\${tq_l#pid=};; boot=*) tq_lb=\${tq_l#boot=};; start=*) tq_ls=\${tq_l#start=};; esac; done < ${LOCK_OWNER}; tq_bn=; [ -z "$tq_lb" ] || read -r tq_bn 2>/dev/null < ${BOOT_ID_FILE}; if [ -n "$tq_lp" ] && [ -d /proc/$tq_lp ] && ${sameProcess('$tq_lp', '$tq_ls')} && { [ -z "$tq_lb" ] || [ -z "$tq_bn" ] || [ "$tq_lb" = "$tq_bn" ]; }; then echo alive=1; else echo alive=0; fi; fi`;

/** Parses what READ_LOCK printed (key=value lines, in any order). */
export function parseLock(text: string): RouterLock | undefined {
  const kv = parseKeyValues(text);
  if (!kv.has('run')) return undefined;
  return { run: kv.get('run')!, owner: kv.get('owner') ?? '?', started: kv.get('started') ?? '?', alive: kv.get('alive') === '1' };
}

/**
 * Shell: takes the lock again for `runId` when there is none (mkdir is atomic), before an undo of a
 * run that was confirmed and waits for its peers. Such a run has no process on the router; a second
 * operator's `teqlctl unlock` may remove its lock. Checked and then undone, a run taking the lock
 * between the check and the undo was undone beneath (check then act, a review); taken back, that
 * run finds it held. The owner is the run's own (its meta), the session this script's. A lock that
 * cannot be recorded is given back. Needs `d`, the run's folder.
 */
export function retakeLockLine(runId: string): string {
  // Taken back, it is given back again when a run was armed and confirmed here after this one: that
  // run took the freed lock and freed it again, and this undo would go beneath it (a review). Then
  // `$tq_lt` names it (the caller says the lock was taken, and undoes nothing).
  return `tq_lt=; [ -d ${LOCK_DIR} ] || ! mkdir ${LOCK_DIR} 2>/dev/null || { ${SESSION_PID}; ${PROC_START_FN}; tq_started "$p"; tq_bi=; read -r tq_bi 2>/dev/null < ${BOOT_ID_FILE}; printf 'run=%s\\nowner=%s\\nstarted=%s\\npid=%s\\nboot=%s\\nstart=%s\\n' ${assertSafeRunId(runId)} "$(sed -n 's/^owner=//p' $d/meta 2>/dev/null)" ${ROUTER_NOW} "$p" "$tq_bi" "$tq_st" > ${LOCK_OWNER} || rm -rf ${LOCK_DIR}
${laterConfirmedLines('$d', 'tq_lt')}
[ -z "$tq_lt" ] || rm -rf ${LOCK_DIR}; }`;
}

/** Shell condition (after retakeLockLine): the run's lock is another run's, or was while this run waited. */
export function lockTakenTest(runId: string): string {
  return `{ [ -n "$tq_lt" ] || { [ -d ${LOCK_DIR} ] && ! grep -qx 'run=${assertSafeRunId(runId)}' ${LOCK_OWNER} 2>/dev/null; }; }`;
}

/** Frees the lock only if this run holds it (a line to end a confirm, revert or rollback with). */
export function releaseLockLine(runId: string): string {
  return `grep -qx 'run=${assertSafeRunId(runId)}' ${LOCK_OWNER} 2>/dev/null && rm -rf ${LOCK_DIR}`;
}

/** What a run is told of a router another run holds (`h`: the router's inventory name). */
export function lockMessage(h: string, lock: RouterLock): string {
  return `${h} is locked by run ${lock.run} of ${lock.owner}, started ${lock.started}` +
    (lock.alive ? ' (still running)' : ' (its SSH session is gone: a dead run; `teqlctl status` shows whether its dead-man revert is pending, `teqlctl unlock` clears the lock)');
}
