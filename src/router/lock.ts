// teqlctl's lock on a router: one directory made atomically by mkdir, an owner file inside
// (run, owner, started, pid of the sshd session that took it). Taking, reading and freeing it.
import { parseKeyValues } from './key-values.js';
import { LOCK_MARKER } from './markers.js';
import { LOCK_DIR, LOCK_OWNER, assertSafeRunId } from './paths.js';

/** Who holds the lock, when a run holds it. */
export interface RouterLock {
  run: string;
  owner: string;
  started: string;
  /** The SSH session that took the lock still exists: its run is (probably) still going. */
  alive: boolean;
}

/** Finds the sshd process of this connection: the lock is alive as long as that process is. */
// Builtins only (read), no process per level: comm, then the 4th field of stat is the parent.
const SESSION_PID = `p=$$; while [ "$p" -gt 1 ]; do c=; read c < /proc/$p/comm 2>/dev/null; case "$c" in sshd*) break;; esac; s=; read s < /proc/$p/stat 2>/dev/null || s='x x x 1'; set -- $s; p=\${4:-1}; done`;

/** Owners are written into a shell string and a key=value file: only plain characters survive. */
export function safeOwner(owner: string): string {
  return owner.replace(/[^A-Za-z0-9@._-]/g, '_');
}

/** Takes the router's lock for this run (mkdir is atomic), or exits 3 naming the holder. */
export function takeLockScript(runId: string, owner: string): string {
  assertSafeRunId(runId);
  return [
    SESSION_PID,
    `if mkdir ${LOCK_DIR} 2>/dev/null; then`,
    `  printf 'run=%s\\nowner=%s\\nstarted=%s\\npid=%s\\n' ${runId} '${safeOwner(owner)}' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$p" > ${LOCK_OWNER}`,
    `elif ! grep -qx 'run=${runId}' ${LOCK_OWNER} 2>/dev/null; then`,
    `  echo '${LOCK_MARKER} held'; cat ${LOCK_OWNER}; exit 3`,
    'fi',
  ].join('\n');
}

/** Did the apply script stop because another run holds the lock? Then the rest names the holder. */
export function lockHeldBy(stdout: string): string | undefined {
  return stdout.startsWith(`${LOCK_MARKER} held`) ? stdout.split('\n').slice(1).join(' ').trim() : undefined;
}

/** Prints the owner file's key=value lines and `alive=0|1`, nothing when there is no lock. */
export const READ_LOCK = `if [ -f ${LOCK_OWNER} ]; then cat ${LOCK_OWNER}; p=$(sed -n 's/^pid=//p' ${LOCK_OWNER}); if [ -n "$p" ] && [ -d /proc/$p ]; then echo alive=1; else echo alive=0; fi; fi`;

/** Parses what READ_LOCK printed (key=value lines, in any order). */
export function parseLock(text: string): RouterLock | undefined {
  const kv = parseKeyValues(text);
  if (!kv.has('run')) return undefined;
  return { run: kv.get('run')!, owner: kv.get('owner') ?? '?', started: kv.get('started') ?? '?', alive: kv.get('alive') === '1' };
}

/** Frees the lock only if this run holds it (a line to end a confirm, revert or rollback with). */
export function releaseLockLine(runId: string): string {
  return `grep -qx 'run=${assertSafeRunId(runId)}' ${LOCK_OWNER} 2>/dev/null && rm -rf ${LOCK_DIR}`;
}
