// One router reached under two names in one run: 127.0.0.1 and localhost, an address and its DNS
// name, two forwarded ports or jump hosts that end at one sshd. The inventory check compares what is
// written (load/same-target.ts); this compares what answered, before anything changes. Both names
// would take the router's lock as the same run, plan from the same facts and change it twice at
// once, each with a dead-man of its own: refused, both names, their bundles with them.
import type { RunState } from './run-state.js';
import type { PlannedHost } from '../plan/plan-host.js';
import { failUnits } from './unit-failures.js';
import type { Facts } from '../gather/facts.js';

/** Pure: the hosts that share an identity (Facts.identity), two or more per group, in the order given. */
export function sameRouterGroups(identities: Iterable<[string, string | undefined]>): string[][] {
  const byIdentity = new Map<string, string[]>();
  for (const [host, id] of identities) {
    if (id === undefined) continue;
    byIdentity.set(id, [...(byIdentity.get(id) ?? []), host]);
  }
  return [...byIdentity.values()].filter((g) => g.length > 1);
}

/** What the run says of a group: every name, how they were told apart from two routers, what to do. */
export function sameRouterMessage(group: readonly string[], what = 'planned and changed'): string {
  const names = group.length === 2 ? group.join(' and ') : `${group.slice(0, -1).join(', ')} and ${group.at(-1)}`;
  return `${names} are one router (one kernel boot and the same links answered ${group.length === 2 ? 'both' : 'all'} names): refused, so that it is not ${what} ${group.length === 2 ? 'twice' : `${group.length} times`} at once`;
}

/**
 * What to do. `-l` one name only where that leaves the other out: --limit adds the other end of a
 * bundle it selects, so two ends of one bundle are told to fix the entry that leads elsewhere.
 */
export function sameRouterHint(oneBundle: boolean): string {
  const fix = 'give each router one name in the inventory: fix the address, port or ssh_config alias of the name that was meant for another router';
  return oneBundle ? fix : `${fix}, or leave all but one of them out with -l`;
}

/**
 * A host read earlier in this run that answered as `facts` did: the same router. The later name is
 * not planned (its plan, from the other name's facts, could only refuse for reasons that mislead).
 */
export function twinOf(run: RunState, host: string, facts: Facts): string | undefined {
  if (facts.identity === undefined) return undefined;
  for (const [h, f] of run.latest) if (h !== host && f.identity === facts.identity) return h;
  const before = run.opts.batchIdentities?.get(facts.identity);
  return before !== host ? before : undefined;
}

/**
 * Refuses every group of hosts read in this run (or an earlier `serial:` batch: opts.batchIdentities)
 * that are one router, where one of them was read in this round (`hosts`): this run's names leave
 * its plan, their bundles fail as refused (exit 8; 10 where other bundles converge); an earlier
 * batch's stays as that batch ended. Called before the round's other failures are told, so that this
 * cause is the one said. Hosts in run order, so the message is the same from run to run.
 */
export function refuseSameRouter(run: RunState, hosts: readonly string[], planned: Map<string, PlannedHost>): void {
  const earlier = run.opts.batchIdentities ?? new Map<string, string>();
  const read = [...run.reports.keys()].filter((h) => run.latest.has(h));
  const entries: Array<[string, string | undefined]> = [...[...earlier].filter(([, h]) => !run.reports.has(h)).map(([id, h]): [string, string] => [h, id]), ...read.map((h): [string, string | undefined] => [h, run.latest.get(h)!.identity])];
  for (const group of sameRouterGroups(entries)) {
    if (!group.some((h) => hosts.includes(h))) continue;
    const mine = group.filter((h) => run.reports.has(h));
    const before = group.filter((h) => !run.reports.has(h));
    const message = sameRouterMessage([...mine, ...before]) + (before.length > 0 ? `; ${before.join(', ')} ran in an earlier batch and stays as that batch ended` : '');
    const units = [...new Set(mine.flatMap((h) => run.domains.unitsOf(h)))];
    const hint = sameRouterHint(run.domains.units.some((u) => u.bundle && u.hosts.filter((h) => group.includes(h)).length > 1));
    for (const h of mine) {
      planned.delete(h);
      const report = run.reports.get(h)!;
      report.status = 'refused';
      report.error = `${message} (hint: ${hint})`;
    }
    // Said once, for the whole group: the message names every host (its first one first).
    failUnits(run, 'refused', '', [{ host: mine[0]!, message: `${message}\n  hint: ${hint}`, units }]);
  }
  // What this batch read, for the batches after it.
  if (run.opts.batchIdentities) for (const h of read) ((id) => id !== undefined && !earlier.has(id) && earlier.set(id, h))(run.latest.get(h)!.identity);
}
