// The play's hosts without a bundle, as failure units. Until 2026-12-08 they were one unit: one
// unreachable router of a sysctl play over a hundred rolled the other ninety-nine back, and a
// max_fail_percentage read it as all of them failing (a review). Now each is a unit of its own,
// except where their tasks configure two ends of one link by hand (address tasks, present or
// absent, with different addresses of one subnet): those must take part together, as a bundle's
// ends do. Not by a ping or a gateway to another's address: that host's failure fails the check
// anyway, and a hub every site pings would join them all again. Nor by one address every site
// sets (a NAT'd LAN's 192.168.1.1/24 on each branch): that is no link between them (a review).
import type { LoadedRun, TaskInstance } from '../load/types.js';
import { cidrNetwork, splitCidr } from '../router/ipv4.js';

export const LOOSE_PREFIX = 'hosts without a bundle';

/** `hosts` (in run order) in groups their tasks link, each in run order, the groups by their first host. */
export function looseGroups(hosts: readonly string[], tasksOf: (host: string) => readonly TaskInstance[]): string[][] {
  const parent = new Map(hosts.map((h) => [h, h]));
  // Iterative, halving the path: a fleet of thousands links in long chains (a recursion overflowed).
  const find = (h: string): string => {
    let r = h;
    while (parent.get(r) !== r) {
      parent.set(r, parent.get(parent.get(r)!)!);
      r = parent.get(r)!;
    }
    return r;
  };
  const onNet = new Map<string, { hosts: string[]; ips: Set<string> }>();
  for (const h of hosts) {
    for (const t of tasksOf(h)) {
      if (t.module !== 'address') continue;
      const net = cidrNetwork(t.args.address);
      const seen = onNet.get(net) ?? onNet.set(net, { hosts: [], ips: new Set() }).get(net)!;
      seen.hosts.push(h);
      seen.ips.add(splitCidr(t.args.address).ip);
    }
  }
  for (const { hosts: on, ips } of onNet.values()) {
    if (ips.size < 2) continue;
    for (const h of on.slice(1)) parent.set(find(h), find(on[0]!));
  }
  const groups = new Map<string, string[]>();
  for (const h of hosts) groups.set(find(h), [...(groups.get(find(h)) ?? []), h]);
  // In the order of their first hosts: a Map keeps the order its keys came in, the first host's.
  return [...groups.values()];
}

/** A group's unit name: `hosts without a bundle: r1`, or several, linked by their tasks. */
export function looseName(group: readonly string[]): string {
  const named = group.length > 4 ? `${group.slice(0, 3).join(', ')} and ${group.length - 3} more` : group.join(', ');
  return `${LOOSE_PREFIX}: ${named}${group.length > 1 ? ' (linked by their tasks)' : ''}`;
}

/** The grouping of a run's hosts without a bundle, by their tasks in every play (FailureDomains, sitesOf). */
export function looseOfRun(loaded: LoadedRun): (loose: string[]) => string[][] {
  return (loose) => looseGroups(loose, (h) => loaded.plays.flatMap((p) => p.tasks.get(h) ?? []));
}
