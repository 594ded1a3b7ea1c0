// A link is the slave of one equalizer, and an equalizer is nobody's slave: refused at load time,
// at the later task, for plain teql tasks (bundles have their own check).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = 'all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n';
const load = (tasks: string) => {
  const dir = writeCase({ 'inventory.yml': INVENTORY, 'playbook.yml': `- hosts: all\n  tasks:\n${tasks}` });
  return { dir, run: () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')) };
};

describe('slaves of the teql tasks of a host', () => {
  it('refuses a link made the slave of two equalizers, at the second task', () => {
    const { dir, run } = load('    - teql: { device: teql0, slaves: [eth1, eth2] }\n    - teql: { device: teql1, slaves: [eth2, eth3] }\n');
    expect(errorsOf(run).map((e) => e.located)).toEqual([
      `${join(dir, 'playbook.yml')}:4:38: task "teql" on r1: eth2 is already a slave of teql0 (at ${join(dir, 'playbook.yml')}:3:38); a link takes one equalizer as its root qdisc`,
    ]);
  });

  it('refuses an equalizer listed as a slave', () => {
    const { run } = load('    - teql: { device: teql0, slaves: [teql0, eth1] }\n');
    expect(errorsOf(run).map((e) => e.message)).toEqual(['task "teql" on r1: teql0 is an equalizer, not a link: it cannot be a slave of teql0']);
  });

  it('accepts links moved to another equalizer once the first is torn down (a migration)', () => {
    expect(() => load('    - teql: { device: teql0, slaves: [eth1, eth2] }\n    - teql: { device: teql0, slaves: [eth1, eth2], state: absent }\n    - teql: { device: teql1, slaves: [eth1, eth2] }\n').run()).not.toThrow();
  });

  it('accepts the same equalizer and slaves written twice, and a teardown of one equalizer beside another', () => {
    expect(() => load('    - teql: { device: teql0, slaves: [eth1, eth2] }\n    - teql: { device: teql0, slaves: [eth1, eth2] }\n').run()).not.toThrow();
    expect(() => load('    - teql: { device: teql0, slaves: [eth1], state: absent }\n    - teql: { device: teql1, slaves: [eth1] }\n').run()).not.toThrow();
  });
});
