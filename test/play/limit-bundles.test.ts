// --limit never runs half a bundle: a spoke brings its hub, and the hub runs that bundle's tasks
// only (and what its bundles share), not its bundle to the other spoke.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { FailureDomains } from '../../src/play/failure-domains.js';
import { excludeFor } from '../../src/play/unit-failures.js';
import type { RunState } from '../../src/play/run-state.js';
import { errorsOf, writeCase } from '../load/helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const HUB = `all:
  children:
    routers:
      hosts:
        hub:
          teql_bundles:
            - { peer: branch1, device: teql0, slaves: [eth1, eth2], address: 10.0.0.4/31,
                link_addresses: [{ dev: eth1, address: 10.0.0.0/31 }, { dev: eth2, address: 10.0.0.2/31 }] }
            - { peer: branch2, device: teql1, slaves: [eth3, eth4], address: 10.0.1.4/31,
                link_addresses: [{ dev: eth3, address: 10.0.1.0/31 }, { dev: eth4, address: 10.0.1.2/31 }] }
        branch1:
          teql_peer: hub
          teql_slaves: [eth1, eth2]
          link_addresses: [{ dev: eth1, address: 10.0.0.1/31 }, { dev: eth2, address: 10.0.0.3/31 }]
          teql_address: 10.0.0.5/31
        branch2:
          teql_peer: hub
          teql_slaves: [eth1, eth2]
          link_addresses: [{ dev: eth1, address: 10.0.1.1/31 }, { dev: eth2, address: 10.0.1.3/31 }]
          teql_address: 10.0.1.5/31
      vars: { ansible_user: root }
`;
const B1 = 'hub:teql0<->branch1:teql0';
const B2 = 'hub:teql1<->branch2:teql0';

function load(limit?: string[]) {
  const dir = writeCase({ 'inventory.yml': HUB });
  return loadRun(join(dir, 'inventory.yml'), join(ROOT, 'playbooks/teql-bundles.yml'), limit ? { limit } : {});
}

describe('--limit and bundles', () => {
  it('a spoke selects its bundle and brings the hub, with a note; the other spoke stays out', () => {
    const run = load(['branch1']);
    expect(run.plays[0]!.hosts).toEqual(['hub', 'branch1']);
    expect(run.selectedBundles).toEqual([B1]);
    expect(run.notes).toEqual([`--limit: hub added, the other end of bundle ${B1} (a bundle is changed on both of its ends or not at all)`]);
  });

  it('the hub then leaves out the tasks of its bundle to the other spoke, and keeps what its bundles share', () => {
    const run = load(['branch1']);
    const domains = new FailureDomains(run.bundles, run.plays[0]!.hosts, run.selectedBundles);
    expect(domains.units.map((u) => [u.name, u.hosts])).toEqual([[B1, ['hub', 'branch1']]]);
    const exclude = excludeFor({ domains } as unknown as RunState, 'hub')!;
    const kept = run.plays[0]!.tasks.get('hub')!.filter((t) => !exclude(t)).map((t) => t.name);
    expect(kept).toContain('links up (eth1)');
    expect(kept).toContain('equalize each bundle over its links (teql0)');
    expect(kept).toContain('verify over each equalizer (teql0)');
    expect(kept.filter((n) => /eth3|eth4|teql1/.test(n))).toEqual([]);
    expect(excludeFor({ domains } as unknown as RunState, 'branch1')).toBeUndefined();
  });

  it('the hub named selects all of its bundles, both spokes included', () => {
    const run = load(['hub']);
    expect(run.plays[0]!.hosts).toEqual(['hub', 'branch1', 'branch2']);
    expect(run.selectedBundles).toEqual([B1, B2]);
  });

  it('a spoke excluded with ! is never added back: its bundle is left out, the hub runs its other bundle only', () => {
    for (const limit of [['all:!branch2'], ['hub:!branch2'], ['all', '!branch2']]) {
      const run = load(limit);
      expect(run.plays[0]!.hosts).toEqual(['hub', 'branch1']);
      expect(run.selectedBundles).toEqual([B1]);
      expect(run.notes![0]).toBe(`--limit: bundle ${B2} left out, on both of its ends: branch2 is excluded (a bundle is changed on both of its ends or not at all)`);
      // hub:!branch2 names the hub alone: branch1 comes in as its bundle's other end, said so.
      expect(run.notes!.slice(1)).toEqual(limit[0] === 'hub:!branch2' ? [`--limit: branch1 added, the other end of bundle ${B1} (a bundle is changed on both of its ends or not at all)`] : []);
      const domains = new FailureDomains(run.bundles, run.plays[0]!.hosts, run.selectedBundles);
      const exclude = excludeFor({ domains } as unknown as RunState, 'hub')!;
      expect(run.plays[0]!.tasks.get('hub')!.filter((t) => !exclude(t)).map((t) => t.name).filter((n) => /eth3|eth4|teql1/.test(n))).toEqual([]);
    }
  });

  it('a hub excluded with ! leaves out every one of its bundles, even those a spoke selects: nothing is left, refused', () => {
    const errs = errorsOf(() => load(['branch1:!hub']));
    expect(errs.map((e) => e.message)).toEqual([
      `--limit branch1:!hub leaves no host to run: --limit: bundle ${B1} left out, on both of its ends: hub is excluded (a bundle is changed on both of its ends or not at all); --limit: branch1 left out: each of its bundles has an excluded end`,
    ]);
  });

  it('without --limit every bundle runs and nothing is noted', () => {
    const run = load();
    expect(run.selectedBundles).toBeUndefined();
    expect(run.notes).toBeUndefined();
  });
});

describe('--limit and the boot configuration', () => {
  it('refuses a run that would write a hub\'s boot files for some of its bundles only, at the task', () => {
    const dir = writeCase({ 'inventory.yml': HUB });
    const [err] = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(ROOT, 'playbooks/teql-bundles.yml'), { limit: ['branch1'], extraVars: ['teql_persist=true'] }));
    expect(err!.message).toMatch(/^--limit runs hub for some of its bundles only \(not hub:teql1<->branch2:teql0\), and task "links up \(eth1\)" writes its boot configuration/);
    expect(err!.pos!.line).toBe(13);
    expect(err!.hint).toContain('add the other ends to --limit');
    expect(() => loadRun(join(dir, 'inventory.yml'), join(ROOT, 'playbooks/teql-bundles.yml'), { limit: ['hub'], extraVars: ['teql_persist=true'] })).not.toThrow();
  });

  it('refuses a --limit that leaves every bundle out: a --check would pass having checked nothing', () => {
    for (const limit of [['!hub'], ['all:!hub']]) {
      const errs = errorsOf(() => load(limit));
      expect(errs.map((e) => e.message), limit.join()).toEqual([expect.stringMatching(/^--limit .* leaves no host to run: --limit: bundle .* left out, on both of its ends: hub is excluded/)]);
    }
    expect(load(['branch1']).plays[0]!.hosts).toEqual(['hub', 'branch1']);
  });
});
