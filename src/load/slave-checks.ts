// A link is the slave of one equalizer: the teql tasks of a host must agree, across tasks and
// plays, before anything connects. (Bundles get the same rule from pair-checks.ts; plain teql tasks
// get it here.) An equalizer is never a slave: the kernel would loop its traffic into itself.
import type { Placed } from './instantiate.js';
import type { Problems } from './problems.js';
import { formatPos } from './scope.js';

export function checkSlaves(placed: readonly Placed[], problems: Problems): void {
  const owner = new Map<string, { device: string; at: string }>();
  for (const p of placed) {
    const t = p.instance;
    if (t.module !== 'teql') continue;
    if (t.args.state !== 'present') {
      // Torn down: its links are free for another equalizer in a later task (a migration).
      for (const slave of t.args.slaves) if (owner.get(`${p.host}\u0000${slave}`)?.device === t.args.device) owner.delete(`${p.host}\u0000${slave}`);
      continue;
    }
    const { pos } = p.argAt(['slaves']);
    for (const slave of t.args.slaves) {
      if (/^teql\d+$/.test(slave)) {
        problems.add(`task "${t.name}" on ${p.host}: ${slave} is an equalizer, not a link: it cannot be a slave of ${t.args.device}`, pos, 'list the physical links: slaves: [eth1, eth2]');
        continue;
      }
      const key = `${p.host}\u0000${slave}`;
      const first = owner.get(key);
      if (!first) owner.set(key, { device: t.args.device, at: formatPos(pos) });
      else if (first.device !== t.args.device) {
        problems.add(`task "${t.name}" on ${p.host}: ${slave} is already a slave of ${first.device} (at ${first.at}); a link takes one equalizer as its root qdisc`, pos, `give ${t.args.device} other links, or move ${slave} to it and out of ${first.device}`);
      }
    }
  }
}
