// Who and where the facts script ran: the network stack (router/stack-identity.ts) and the
// session's effective user. teqlctl changes links, qdiscs and sysctls and keeps its lock in /run:
// a session that is not root (no become, or become to another user) failed at the lock with
// "Permission denied" and a hint about free space in /run; it is now refused before any change.
import type { Facts } from './facts.js';
import { stackIdentity } from '../router/stack-identity.js';

/**
 * Shell: `uid=N`, the effective uid from the shell's own /proc/self/status (the redirection is the
 * shell's: no process), the third word of its `Uid:` line (real, effective, saved, fs).
 */
export const UID_LINE = `while read -r tq_k tq_r tq_e tq_x; do if [ "$tq_k" = Uid: ]; then printf 'uid=%s\\n' "$tq_e"; break; fi; done 2>/dev/null < /proc/self/status`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function identityFacts(section: string, links: readonly any[]): Pick<Facts, 'identity' | 'uid'> {
  const identity = stackIdentity(section, links);
  const uid = /^uid=(\d+)$/m.exec(section)?.[1];
  return { ...(identity ? { identity } : {}), ...(uid !== undefined ? { uid: Number(uid) } : {}) };
}
