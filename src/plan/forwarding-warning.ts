// A route task on a router that does not forward: the run converges and its pings pass (the router's
// own traffic), but the hosts of the networks behind it do not get through: the chapter's very
// purpose, which nothing else would tell (the wizard says it; a play said nothing).
import type { Facts } from '../gather/facts.js';
import type { TaskInstance } from '../load/types.js';

export const IP_FORWARD = 'net.ipv4.ip_forward';

/** The warning where the router ends with forwarding off (as read, Facts.ipForward, or as a task leaves it) and a task routes a network. */
export function forwardingWarnings(tasks: readonly TaskInstance[], after: Facts): string[] {
  // A task's value where the play sets it (then read and simulated), else the value read apart.
  if ((after.sysctls[IP_FORWARD] ?? after.ipForward) !== '0') return [];
  const routed = [...new Set(tasks.flatMap((t) => (t.module === 'route' && t.args.state !== 'absent' ? [t.args.to] : [])))];
  if (routed.length === 0) return [];
  return [`${IP_FORWARD} is 0: the route${routed.length > 1 ? 's' : ''} to ${routed.join(', ')} carr${routed.length > 1 ? 'y' : 'ies'} this router's own traffic only; hosts of the networks behind it will not get through until forwarding is on (a sysctl task, net.ipv4.ip_forward: 1, which teqlctl records and \`state: absent\` puts back)`];
}
