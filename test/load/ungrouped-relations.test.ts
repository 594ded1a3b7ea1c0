// `ungrouped` made a child of a group, or given children, against ansible-inventory 2.14.18: its
// reconcile_inventory then drops hosts or takes ungrouped out of their groups. Refused, at the entry.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

function refusal(files: Record<string, string>, inventory: string): string[] {
  const dir = writeCase(files);
  return errorsOf(() => loadInventory(join(dir, inventory))).map((e) => e.located.replace(`${dir}/`, ''));
}

describe('ungrouped in a children entry', () => {
  it('as a child of a group (YAML): Ansible drops its hosts from the inventory', () => {
    // k: {children: {ungrouped: {hosts: {r1: , r2: }}}, hosts: {r3: }}
    // ansible-inventory --list: hostvars {}, k {children: [ungrouped], hosts: [r3]}, ungrouped with no
    // host; `ansible all --list-hosts`: r3 alone (teqlctl read r1, r2 and r3)
    const yml = 'k:\n  children:\n    ungrouped:\n      hosts:\n        r1:\n        r2:\n  hosts:\n    r3:\n';
    expect(refusal({ 'hosts.yml': yml }, 'hosts.yml')).toEqual([
      expect.stringMatching(/^hosts\.yml:3:5: 'ungrouped' is listed as a child of group 'k': Ansible then drops its hosts/),
    ]);
  });

  it('as a child of a group (INI), whichever section comes first', () => {
    // [k:children] / ungrouped / [ungrouped] / r1 / [k] / r3     ansible all --list-hosts: r3 alone
    expect(refusal({ 'hosts.ini': '[k:children]\nungrouped\n[ungrouped]\nr1\n[k]\nr3\n' }, 'hosts.ini')).toEqual([
      expect.stringMatching(/^hosts\.ini:2:1: 'ungrouped' is listed as a child of group 'k'/),
    ]);
  });

  it('given children: a host both in ungrouped and in a child loses ungrouped and its variables in Ansible', () => {
    // [ungrouped:children] / h / [h] / r1 / [ungrouped] / r1 / r2 / [ungrouped:vars] / x=1
    // ansible-inventory --host r1: {} (teqlctl: {"x": 1}, r1 in ungrouped)
    expect(refusal({ 'hosts.ini': '[ungrouped:children]\nh\n[h]\nr1\n[ungrouped]\nr1\nr2\n[ungrouped:vars]\nx=1\n' }, 'hosts.ini')).toEqual([
      expect.stringMatching(/^hosts\.ini:2:1: 'ungrouped' is given the child group 'h'/),
    ]);
  });

  it('all: children: ungrouped is the usual form and passes', () => {
    const dir = writeCase({ 'hosts.yml': 'all:\n  children:\n    ungrouped:\n      hosts:\n        r1:\n' });
    expect([...loadInventory(join(dir, 'hosts.yml')).inventory.hosts.keys()]).toEqual(['r1']);
  });
});
