// A play's own `hosts:` must not run one end of a bundle while no play of the run runs the other:
// `hosts: hub:branch1` would change the hub's end of its bundle to branch2 alone (a review).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { refuseHalfBundles } from '../../src/play/half-bundles.js';
import { errorsOf, writeCase } from '../load/helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const HUB = readFileSync(join(import.meta.dirname, 'limit-bundles.test.ts'), 'utf8').match(/const HUB = `([^`]*)`/)![1]!;
const BUNDLES = readFileSync(join(ROOT, 'playbooks/teql-bundles.yml'), 'utf8');
const B2 = 'hub:teql1<->branch2:teql0';

function run(hosts: string, opts: { limit?: string[]; extraPlay?: string } = {}) {
  const playbook = BUNDLES.replace('  hosts: routers\n', `  hosts: ${hosts}\n`) + (opts.extraPlay ?? '');
  const dir = writeCase({ 'inventory.yml': HUB, 'play.yml': playbook });
  return () => refuseHalfBundles(loadRun(join(dir, 'inventory.yml'), join(dir, 'play.yml'), opts.limit ? { limit: opts.limit } : {}));
}

describe('half bundles', () => {
  it('a play of the hub and one branch is refused at its hosts:, naming the bundle and the end left out', () => {
    const errs = errorsOf(run('hub:branch1'));
    // One problem per play, host and bundle: the first task and how many more.
    expect(errs.map((e) => e.message)).toEqual([
      `play "Load sharing over several bundles per router (LARTC chapter 10)" runs hub's end of bundle ${B2} (task "links up (eth3)" and 7 more), and no play of this run changes its other end, branch2: a bundle is changed on both of its ends or not at all`,
    ]);
    expect(errs[0]!.pos).toMatchObject({ line: 10, col: 10 });
    expect(errs[0]!.hint).toBe("add branch2 to the play's hosts; to run some of hub's bundles only, name their other ends with --limit (hub then runs those bundles alone)");
  });

  it('a branch alone, without its hub, is refused too', () => {
    const errs = errorsOf(run('branch1'));
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]!.message).toMatch(/runs branch1's end of bundle hub:teql0<->branch1:teql0 .* changes its other end, hub:/);
  });

  it('passes when every bundle has both ends in the run: all routers, or the hubs and the branches in two plays', () => {
    expect(() => run('routers')()).not.toThrow();
    const branchesPlay = BUNDLES.slice(BUNDLES.indexOf('- name:')).replace('  hosts: routers\n', '  hosts: branch1:branch2\n');
    expect(() => run('hub', { extraPlay: branchesPlay })()).not.toThrow();
  });

  it('passes with --limit choosing the bundle: the hub then leaves its other bundle out', () => {
    expect(() => run('hub:branch1', { limit: ['branch1'] })()).not.toThrow();
  });

  it('a later play that only pings the missing end does not make it run the bundle', () => {
    const pingBranch2 = `- name: check branch2\n  hosts: branch2\n  tasks:\n    - ping: { to: 10.0.1.4 }\n`;
    const errs = errorsOf(run('hub:branch1', { extraPlay: pingBranch2 }));
    expect(errs.map((e) => e.message)).toEqual([expect.stringMatching(/runs hub's end of bundle hub:teql1<->branch2:teql0 .* changes its other end, branch2:/)]);
  });

  it('a play that only pings one end changes nothing and passes', () => {
    const pingOnly = `- name: check the hub\n  hosts: hub\n  tasks:\n    - ping: { to: 10.0.1.5 }\n`;
    const dir = writeCase({ 'inventory.yml': HUB, 'play.yml': pingOnly });
    expect(() => refuseHalfBundles(loadRun(join(dir, 'inventory.yml'), join(dir, 'play.yml')))).not.toThrow();
  });
});
