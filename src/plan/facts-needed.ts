// What a host's tasks need read besides the fixed facts: the facts script fetches it in the same trip.
import type { TaskInstance } from '../load/types.js';
import { propagatedNames } from './sysctl-propagation.js';
import { qdiscSelector } from '../gather/qdisc-detail.js';

/**
 * Sysctl names the tasks read (every rp_filter is read anyway), and the IPv6 MTU of every link a
 * task may change: the kernel sets it to the link's MTU when that changes or the link comes up,
 * so an undo puts it back (an operator's lower IPv6 MTU, or one sch_teql left behind).
 */
export function sysctlNames(tasks: readonly TaskInstance[]): string[] {
  return [...new Set(tasks.flatMap((t) => {
    // Forwarding: every interface's value too, which the kernel overwrites (sysctl-propagation.ts).
    if (t.module === 'sysctl') return [t.args.name, ...propagatedNames(t.args.name)];
    if (t.module === 'link') return [ipv6MtuName(t.args.dev)];
    // The default qdisc now: a slave's undo (`del root`) gives it that one (teql.ts).
    if (t.module === 'teql') return [ipv6MtuName(t.args.device), 'net.core.default_qdisc'];
    return [];
  }))];
}

export function ipv6MtuName(dev: string): string {
  return `net.ipv6.conf.${dev}.mtu`;
}

/**
 * What the facts read beyond the fixed ones for these tasks, as selectors (gather/route-selectors.ts,
 * gather/qdisc-detail.ts). Of the main table's routes, whoever keeps them (the facts' routes leave a
 * routing daemon's out): the routes at a route task's network (`exact`), which the plan would
 * replace, those giving an address a task removes as their source (`src`), which the kernel
 * removes with it (plan/modules/address.ts refuses that), and those covering a check's target
 * (`match`), by which the plan tells the check's path (plan/planned-egress.ts).
 */
export function heldSelectors(tasks: readonly TaskInstance[]): string[] {
  return [...new Set(tasks.flatMap((t) => {
    if (t.module === 'route') return [`exact ${t.args.to}`];
    if (t.module === 'address' && t.args.state === 'absent') return [`src ${t.args.address.split('/')[0]}`];
    // A check's target, where no device is named: the plan picks the route the kernel will take to it (planned-egress.ts).
    if (t.module === 'ping' && t.args.dev === undefined) return [`match ${t.args.to}`];
    // The root qdisc each slave has, which the plan replaces with teql and whose undo rebuilds it
    // (qdisc-restore.ts), or which a teardown finds there: read in detail for these devices only.
    if (t.module === 'teql') return t.args.slaves.map(qdiscSelector);
    return [];
  }))];
}
