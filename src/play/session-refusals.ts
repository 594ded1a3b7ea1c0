// What refuses a host before its plan, from its facts alone (nothing changed): a session that is
// not root, another run's lock. A run changes links, qdiscs and sysctls and keeps its lock in
// /run: it needs root on the router. A session that is not (a login user without become, or become
// to another user) was seen to fail at the lock ("Permission denied", with a hint about free space
// in /run): refused before any change instead, saying how to become root. A --check only reads,
// and goes on.
import type { Facts } from '../gather/facts.js';
import { RefusedError } from '../errors.js';
import { lockMessage } from '../router/lock.js';

export function refuseSession(host: string, facts: Facts, runId: string, check: boolean): void {
  if (check) return;
  if (facts.uid !== undefined && facts.uid !== 0) {
    throw new RefusedError(
      `${host}: the session on the router runs as uid ${facts.uid}, not root: teqlctl changes links, qdiscs and sysctls and keeps its lock in /run, which needs root; nothing was changed`,
      'log in as root (ansible_user: root), or become root from the login user (ansible_become: true, with sudo or doas; ansible_become_user root, its default)',
    );
  }
  if (facts.lock && facts.lock.run !== runId) throw new RefusedError(lockMessage(host, facts.lock));
}
