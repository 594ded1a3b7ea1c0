// Who and where the facts script ran: the network stack (router/stack-identity.ts), the
// session's effective user (router/session-uid.ts: a session that is not root is refused), and
// whether the router forwards (plan/forwarding-warning.ts).
import type { Facts } from './facts.js';
import { stackIdentity } from '../router/stack-identity.js';
import { uidIn } from '../router/session-uid.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function identityFacts(section: string, links: readonly any[]): Pick<Facts, 'identity' | 'uid' | 'ipForward'> {
  const identity = stackIdentity(section, links);
  const uid = uidIn(section);
  const forward = /^forward=(\d+)$/m.exec(section)?.[1];
  return { ...(identity ? { identity } : {}), ...(uid !== undefined ? { uid } : {}), ...(forward !== undefined ? { ipForward: forward } : {}) };
}
