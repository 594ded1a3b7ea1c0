// A SIMULATED hub fleet's facts, from teqlctl's own planner: pristine (the lab's routers, a hub with
// more links), converged (what the hub playbook's plan expects), and a hub's state once the bundles
// of its failing spokes are rolled back and the others kept. Rendered as the facts script prints them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFacts } from '../../src/gather/parse-facts.js';
import type { Facts } from '../../src/gather/facts.js';
import { loadRun } from '../../src/load/index.js';
import { planHost } from '../../src/plan/plan-host.js';
import { goesWith, scopesOf, taskBundles } from '../../src/plan/bundle-scope.js';
import { hubPristine, type HubHost } from './hub-fleet.js';
import { renderFacts } from './render-facts.js';
import type { SimFacts } from './sim-host.js';

export const HUB_PLAYBOOK = join(import.meta.dirname, '..', '..', 'playbooks', 'teql-bundles.yml');
const recorded = (name: string) => parseFacts(name, readFileSync(join(import.meta.dirname, '..', 'fixtures', `${name}.txt`), 'utf8'));

/** `playbook`'s first play must hold every task that configures (a later play may ping). */
export function hubFacts(inventory: string, hosts: readonly HubHost[], extraVars: string[] = [], playbook = HUB_PLAYBOOK): { facts: (host: string, failing?: string[]) => SimFacts } {
  const loaded = loadRun(inventory, playbook, { extraVars });
  const tasks = loaded.plays[0]!.tasks;
  const role = new Map(hosts.map((h) => [h.name, h.role]));
  const [hub, spoke] = [hubPristine(recorded('a-pristine')), recorded('b-pristine')];
  const pristineOf = (h: string): Facts => (role.get(h) === 'hub' ? hub : spoke);
  const converged = new Map<string, string>();
  const applied = new Map<string, string>();
  const convergedOf = (h: string) => {
    if (!converged.has(h)) converged.set(h, renderFacts(planHost(h, tasks.get(h) ?? [], pristineOf(h)).expected));
    return converged.get(h)!;
  };
  const appliedOf = (h: string) => {
    if (!applied.has(h)) applied.set(h, renderFacts(planHost(h, tasks.get(h) ?? [], pristineOf(h), { persistence: false }).expected));
    return applied.get(h)!;
  };
  return {
    facts: (h, failing = []) => {
      // A run that persists writes the boot files in a phase of its own, after every check.
      const persists = (tasks.get(h) ?? []).some((t) => t.persist);
      const out: SimFacts = { pristine: renderFacts(pristineOf(h)), converged: convergedOf(h), ...(persists ? { applied: appliedOf(h) } : {}) };
      if (role.get(h) !== 'hub') return out;
      // The bundles of this hub whose spoke is made to fail.
      const failed = new Set(loaded.bundles.filter((b) => b.ends.some((e) => e.host === h) && b.ends.some((e) => failing.includes(e.host))).map((b) => b.name));
      if (failed.size === 0) return out;
      const scopes = scopesOf(h, loaded.bundles);
      const mine = scopes.map((s) => s.bundle);
      const exclude = (t: Parameters<typeof taskBundles>[0]) => goesWith(taskBundles(t, scopes), failed, mine);
      return {
        ...out,
        partial: renderFacts(planHost(h, tasks.get(h) ?? [], pristineOf(h), { exclude, persistence: false }).expected),
        kept: renderFacts(planHost(h, tasks.get(h) ?? [], pristineOf(h), { exclude }).expected),
      };
    },
  };
}
