// The play's hosts without a bundle, as failure units. Until 2026-12-08 they were one unit: one
// unreachable router of a sysctl play over a hundred rolled the other ninety-nine back, and a
// max_fail_percentage read it as all of them failing (a review). Now each is a unit of its own,
// except where the tasks link hosts (both ends of a link configured by hand must take part, as a
// bundle's do): one host's address task on a subnet another's address task is on, or a ping or a
// route's gateway to an address another host's task sets. Linked hosts stay one unit.
import type { LoadedRun, TaskInstance } from '../load/types.js';
import { cidrNetwork, splitCidr } from '../router/ipv4.js';

export const LOOSE_PREFIX = 'hosts without a bundle';

/** What a host's tasks set (its addresses, their subnets) and reach for (pings' targets, gateways). */
function footprint(tasks: readonly TaskInstance[]): { sets: Set<string>; reaches: Set<string> } {
  const sets = new Set<string>();
  const reaches = new Set<string>();
  for (const t of tasks) {
    if (t.module === 'address' && t.args.state === 'present') {
      sets.add(`ip ${splitCidr(t.args.address).ip}`);
      sets.add(`net ${cidrNetwork(t.args.address)}`);
    } else if (t.module === 'ping') reaches.add(`ip ${t.args.to}`);
    else if (t.module === 'route' && t.args.via !== undefined) reaches.add(`ip ${t.args.via}`);
  }
  return { sets, reaches };
}

/** `hosts` (in run order) in groups their tasks link, each in run order, the groups by their first host. */
export function looseGroups(hosts: readonly string[], tasksOf: (host: string) => readonly TaskInstance[]): string[][] {
  const root = new Map(hosts.map((h) => [h, h]));
  const find = (h: string): string => (root.get(h) === h ? h : find(root.get(h)!));
  const setBy = new Map<string, string>();
  const prints = hosts.map((h) => [h, footprint(tasksOf(h))] as const);
  for (const [h, { sets }] of prints) for (const key of sets) if (!setBy.has(key)) setBy.set(key, h);
  for (const [h, { sets, reaches }] of prints) {
    for (const key of [...reaches, ...[...sets].filter((k) => k.startsWith('net '))]) {
      const other = setBy.get(key);
      if (other !== undefined && other !== h) root.set(find(h), find(other));
    }
  }
  const groups = new Map<string, string[]>();
  for (const h of hosts) groups.set(find(h), [...(groups.get(find(h)) ?? []), h]);
  return [...groups.values()].sort((a, b) => hosts.indexOf(a[0]!) - hosts.indexOf(b[0]!));
}

/** A group's unit name: `hosts without a bundle: r1`, or several, linked by their tasks. */
export function looseName(group: readonly string[]): string {
  const named = group.length > 4 ? `${group.slice(0, 3).join(', ')} and ${group.length - 3} more` : group.join(', ');
  return `${LOOSE_PREFIX}: ${named}${group.length > 1 ? ' (linked by their tasks)' : ''}`;
}

/** The grouping of a run's hosts without a bundle, by their tasks in every play (FailureDomains). */
export function looseOfRun(loaded: LoadedRun): (loose: string[]) => string[][] {
  return (loose) => looseGroups(loose, (h) => loaded.plays.flatMap((p) => p.tasks.get(h) ?? []));
}
