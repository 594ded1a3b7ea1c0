// A play's vars may not set what a bundle is made of or derives: the bundle comes from the
// inventory, once, and a play's value would move its tasks away from it without a word.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const withPlayVars = (vars: string) => readFileSync('playbooks/teql.yml', 'utf8').replace('  hosts: routers\n', `  hosts: routers\n  vars:\n${vars}`);
const load = (inventory: string, vars: string, playbook = withPlayVars(vars)) => {
  const dir = writeCase({ 'inventory.yml': inventory, 'playbook.yml': playbook });
  return { dir, run: () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')) };
};
const EXAMPLE = readFileSync('inventories/example.yml', 'utf8');
const NO_BUNDLE = 'all:\n  children:\n    routers:\n      hosts:\n        r1: { ansible_host: 127.0.0.1, peer_addresses: [10.0.0.1], link_addresses: [{ dev: eth1, address: 10.0.0.0/31 }] }\n';

describe('bundle variables in a play\'s vars', () => {
  it('teql_slaves for hosts in a bundle: refused at the variable', () => {
    const { dir, run } = load(EXAMPLE, '    teql_slaves: [eth3, eth4]\n');
    const errors = errorsOf(run);
    expect(errors.map((e) => e.located)).toEqual([
      `${join(dir, 'playbook.yml')}:13:5: teql_slaves in play vars: bundles are read from the inventory and -e, the same for every play: router_a, router_b are in a bundle made from the inventory; a play's value would change its tasks and not the bundle`,
    ]);
    expect(errors[0]!.hint).toBe('set teql_slaves in the inventory (host or group vars, group_vars/host_vars) or with -e');
  });

  it('a derived variable (peer_addresses) for hosts in a bundle: refused too', () => {
    expect(errorsOf(load(EXAMPLE, '    peer_addresses: [10.0.0.9]\n').run)[0]!.message).toMatch(/^peer_addresses in play vars: bundles are read from the inventory/);
  });

  it('teql_peer is refused even where no host is in a bundle', () => {
    expect(errorsOf(load(NO_BUNDLE, '    teql_peer: r2\n').run)[0]!.message).toMatch(/^teql_peer in play vars: bundles are read from the inventory and -e, the same for every play; /);
  });

  it('other variables, and teql_slaves where no host is in a bundle, are a play\'s to set', () => {
    expect(() => load(EXAMPLE, '    teql_persist: false\n').run()).not.toThrow();
    const plain = `- hosts: routers\n  vars:\n    teql_slaves: [eth1]\n  tasks:\n    - teql: { slaves: "{{ teql_slaves }}" }\n`;
    expect(() => load(NO_BUNDLE, '', plain).run()).not.toThrow();
  });
});
