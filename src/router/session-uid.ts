// The session's effective user on the router. teqlctl changes links, qdiscs and sysctls and keeps
// its lock in /run and its records in /var/lib/teqlctl (0700): all root's. A session that is not
// root (no become, or become to another user) is refused before anything, saying so: it failed at
// the lock ("Permission denied", with a hint about free space in /run), and `rollback` and `status`
// found no run at all (the records unreadable).

/**
 * Shell: `uid=N`, the effective uid from the shell's own /proc/self/status (the redirection is the
 * shell's: no process), the third word of its `Uid:` line (real, effective, saved, fs).
 */
export const UID_LINE = `while read -r tq_k tq_r tq_e tq_x; do if [ "$tq_k" = Uid: ]; then printf 'uid=%s\\n' "$tq_e"; break; fi; done 2>/dev/null < /proc/self/status`;

/** The uid UID_LINE printed in `stdout`; undefined where it printed none (an older teqlctl, no /proc). */
export function uidIn(stdout: string): number | undefined {
  const uid = /^uid=(\d+)$/m.exec(stdout)?.[1];
  return uid === undefined ? undefined : Number(uid);
}

/** Why a session of `uid` is refused, or undefined for root (or a uid not known). */
export function notRootWords(uid: number | undefined): string | undefined {
  return uid === undefined || uid === 0 ? undefined : `the session on the router runs as uid ${uid}, not root: teqlctl changes links, qdiscs and sysctls and keeps its lock and records, which needs root`;
}

export const ROOT_HINT = 'log in as root (ansible_user: root), or become root from the login user (ansible_become: true, with sudo or doas; ansible_become_user root, its default)';
