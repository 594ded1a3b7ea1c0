// INI inventories: a variable set twice where Ansible would keep the last without a word is refused;
// a # inside a word, which Ansible also takes for a comment, is kept but said.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

const located = (file: string) => errorsOf(() => loadInventory(file)).map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message} | ${e.hint}`);

describe('INI inventory: a variable set twice', () => {
  it('on one host line is refused at the second one', () => {
    const dir = writeCase({ 'hosts.ini': '[routers]\nrouter_a ansible_host=127.0.0.1 ansible_port=1 ansible_port=2\n' });
    expect(located(join(dir, 'hosts.ini'))).toEqual([
      "2:48 invalid INI inventory: 'ansible_port' is set twice for host 'router_a' (first at column 33); Ansible would take the last one without a word | keep one ansible_port=... on the line",
    ]);
  });

  it('in one [group:vars] section is refused at the second one', () => {
    const dir = writeCase({ 'hosts.ini': '[routers]\nr1\n\n[routers:vars]\nansible_user=a\n  teql_mtu = 1400\nansible_user=b\n' });
    expect(located(join(dir, 'hosts.ini'))).toEqual([
      "7:1 invalid INI inventory: 'ansible_user' is set twice in [routers:vars] (first on line 5); Ansible would take the last one without a word | keep one ansible_user=... line",
    ]);
  });

  it('in two sections, or on two lines of one host, merges as in Ansible (the later wins)', () => {
    const dir = writeCase({ 'hosts.ini': '[routers]\nr1 teql_mtu=1400\nr1 teql_mtu=1500\n\n[routers:vars]\nansible_user=a\n\n[routers:vars]\nansible_user=b\n' });
    const { inventory } = loadInventory(join(dir, 'hosts.ini'));
    expect(inventory.hosts.get('r1')!.vars).toMatchObject({ teql_mtu: 1500, ansible_user: 'b' });
  });
});

describe('INI inventory: a # inside a word', () => {
  it('cuts the rest of the host line, as in Ansible, and a note names the line and what was cut', () => {
    const dir = writeCase({ 'hosts.ini': '[routers]\nrouter_b ansible_host=127.0.0.2 x=y#z ansible_port=99\n' });
    const file = join(dir, 'hosts.ini');
    const { inventory, notes } = loadInventory(file);
    expect(inventory.hosts.get('router_b')!.vars).toMatchObject({ x: 'y' });
    expect(inventory.hosts.get('router_b')!.vars).not.toHaveProperty('ansible_port');
    expect(notes).toEqual([
      `not read: ${file}:2:36: '#z ansible_port=99', on the line of host 'router_b': a # inside a word starts a comment, as in Ansible (quote the value if the # belongs to it: key="a#b")`,
    ]);
  });

  it('says nothing of a comment after a blank, or of a # in quotes or escaped', () => {
    const dir = writeCase({ 'hosts.ini': '[routers]\nr1 a="q#r" b=\'s#t\' c=u\\#v # a comment\nr2 # another\n' });
    const { inventory, notes } = loadInventory(join(dir, 'hosts.ini'));
    expect(inventory.hosts.get('r1')!.vars).toMatchObject({ a: 'q#r', b: 's#t', c: 'u#v' });
    expect(notes).toEqual([]);
  });
});
