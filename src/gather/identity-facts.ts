// Who and where the facts script ran: the network stack (router/stack-identity.ts), the
// session's effective user (router/session-uid.ts: a session that is not root is refused), and
// whether the router forwards (plan/forwarding-warning.ts), and which firewall reverse-path matches
// its kernel has loaded (plan/firewall-rpfilter.ts).
import type { Facts } from './facts.js';
import { stackIdentity } from '../router/stack-identity.js';
import { uidIn } from '../router/session-uid.js';

/** The modules of a firewall's reverse-path match (nftables' fib expression, iptables' rpfilter), looked for in /sys/module. */
export const RPFILTER_MODULES = ['nft_fib_ipv4', 'ipt_rpfilter'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function identityFacts(section: string, links: readonly any[]): Pick<Facts, 'identity' | 'uid' | 'ipForward' | 'rpFilterModules'> {
  const identity = stackIdentity(section, links);
  const uid = uidIn(section);
  const forward = /^forward=(\d+)$/m.exec(section)?.[1];
  const rpf = /^rpfilter-modules=(.*)$/m.exec(section)?.[1]?.split(' ').filter(Boolean);
  return { ...(identity ? { identity } : {}), ...(uid !== undefined ? { uid } : {}), ...(forward !== undefined ? { ipForward: forward } : {}), ...(rpf && rpf.length > 0 ? { rpFilterModules: rpf } : {}) };
}
