// A play's own `hosts:` that changes one end of a bundle while no play of the run changes the
// other (`hosts: hub:branch1` on a hub with a second branch): said as a note before anything
// connects (a review), not refused: a play of one router on purpose is a run of its own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { withHalfBundleNotes } from '../../src/play/half-bundles.js';
import { writeCase } from '../load/helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const HUB = readFileSync(join(import.meta.dirname, 'limit-bundles.test.ts'), 'utf8').match(/const HUB = `([^`]*)`/)![1]!;
const BUNDLES = readFileSync(join(ROOT, 'playbooks/teql-bundles.yml'), 'utf8');
const B2 = 'hub:teql1<->branch2:teql0';

function notes(hosts: string, opts: { limit?: string[]; extraPlay?: string } = {}): string[] {
  const playbook = BUNDLES.replace('  hosts: routers\n', `  hosts: ${hosts}\n`) + (opts.extraPlay ?? '');
  const dir = writeCase({ 'inventory.yml': HUB, 'play.yml': playbook });
  const loaded = loadRun(join(dir, 'inventory.yml'), join(dir, 'play.yml'), opts.limit ? { limit: opts.limit } : {});
  return (withHalfBundleNotes(loaded).notes ?? []).filter((n) => !n.startsWith('--limit'));
}

describe('half bundles', () => {
  it('a play of the hub and one branch is said at its hosts:, naming the bundle and the end left out, once per bundle', () => {
    expect(notes('hub:branch1')).toEqual([
      expect.stringMatching(new RegExp(`play\\.yml:10:10: play "Load sharing over several bundles per router \\(LARTC chapter 10\\)" changes hub's end of bundle ${B2.replace(/[<>]/g, '.')} \\(task "links up \\(eth3\\)" and 7 more\\), and no play of this run changes its other end, branch2: only this end changes \\(a bundle is changed on both of its ends; add branch2 to the play's hosts, or --limit its other ends\\)$`)),
    ]);
  });

  it('a branch alone, without its hub, is said too', () => {
    expect(notes('branch1')).toEqual([expect.stringMatching(/changes branch1's end of bundle hub:teql0<->branch1:teql0 .* changes its other end, hub:/)]);
  });

  it('a later play that only pings the missing end does not make it change the bundle', () => {
    const pingBranch2 = `- name: check branch2\n  hosts: branch2\n  tasks:\n    - ping: { to: 10.0.1.4 }\n`;
    expect(notes('hub:branch1', { extraPlay: pingBranch2 })).toEqual([expect.stringMatching(/changes hub's end of bundle hub:teql1<->branch2:teql0 .* changes its other end, branch2:/)]);
  });

  it('says nothing when every bundle has both ends in the run: all routers, or the hubs and the branches in two plays, or --limit', () => {
    expect(notes('routers')).toEqual([]);
    const branchesPlay = BUNDLES.slice(BUNDLES.indexOf('- name:')).replace('  hosts: routers\n', '  hosts: branch1:branch2\n');
    expect(notes('hub', { extraPlay: branchesPlay })).toEqual([]);
    expect(notes('hub:branch1', { limit: ['branch1'] })).toEqual([]);
  });

  it('a play that only pings one end changes nothing and says nothing', () => {
    const pingOnly = `- name: check the hub\n  hosts: hub\n  tasks:\n    - ping: { to: 10.0.1.5 }\n`;
    const dir = writeCase({ 'inventory.yml': HUB, 'play.yml': pingOnly });
    expect(withHalfBundleNotes(loadRun(join(dir, 'inventory.yml'), join(dir, 'play.yml'))).notes).toBeUndefined();
  });
});
