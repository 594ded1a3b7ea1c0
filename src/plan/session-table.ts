// Whether the main table decides the route of the SSH session's replies, which the guards weigh
// against a new route or address: not where a rule sends them to another table first.
import type { ManagementFact, PolicyRuleFact } from '../gather/facts.js';
import { contains } from '../router/ipv4.js';

const MAIN = new Set(['main', '254']);

function covers(prefix: string | undefined, ip: string): boolean {
  return prefix === undefined || contains(prefix, ip);
}

/**
 * True unless the session's route came from another table (`ip route get` said which) by a rule
 * that surely matches its replies (by their source, the session's own address, and their
 * destination, the client; no other selector) and no rule that may look up main comes before it:
 * an out-of-band port's own table, reached by `from SERVER lookup mgmt`. A rule teqlctl cannot
 * weigh ahead of it (an fwmark, `not`, a goto, a suppressor: wg-quick's `lookup main
 * suppress_prefixlength 0`, under which a more specific main route still takes the session) keeps
 * main weighed, as do rules not read (an older iproute2) and a lookup the rules do not explain.
 * The local table comes before any rule teqlctl reads: the client's own address is refused apart.
 */
export function mainRoutesSession(m: ManagementFact): boolean {
  if (m.table === undefined || MAIN.has(m.table) || !m.rules || !m.serverIp || !m.serverIp.includes('.')) return true;
  const rules = m.rules;
  const at = rules.findIndex((r) => r.table === m.table && !r.other && covers(r.from, m.serverIp!) && covers(r.to, m.clientIp));
  if (at < 0) return true;
  return rules.slice(0, at).some((r) => mayReachMain(r, m));
}

/** A rule ahead that may send the session's replies to main, or elsewhere than its table's plain lookup. */
function mayReachMain(r: PolicyRuleFact, m: ManagementFact): boolean {
  if (r.other || r.table === undefined) return true;
  if (!covers(r.from, m.serverIp!) || !covers(r.to, m.clientIp)) return false;
  return MAIN.has(r.table);
}
