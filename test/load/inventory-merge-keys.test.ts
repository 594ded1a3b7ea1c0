// YAML merge keys and non-string keys where an inventory names hosts and groups (a review, checked
// against ansible-inventory 2.14: `<<` brings in the merged hosts; 010 or ~ as a name is refused).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

describe('a merge key (<<) in an inventory', () => {
  it('under hosts: brings in the merged hosts, its own entries winning; no host named "<<"', () => {
    const dir = writeCase({
      'hosts.yml': `
routers:
  hosts: &rh
    r1: {ansible_host: 192.0.2.1}
    r2: {ansible_host: 192.0.2.2}
backup:
  hosts:
    <<: *rh
    r2: {ansible_host: 192.0.2.22}
    r3: {ansible_host: 192.0.2.3}
`,
    });
    const { inventory } = loadInventory(join(dir, 'hosts.yml'));
    expect([...inventory.hosts.keys()].sort()).toEqual(['r1', 'r2', 'r3']);
    expect([...inventory.groups.get('backup')!].sort()).toEqual(['r1', 'r2', 'r3']);
    expect(inventory.hosts.get('r2')!.vars.ansible_host).toBe('192.0.2.22');
  });

  it('under children and in a group\'s own mapping, as well', () => {
    const dir = writeCase({
      'hosts.yml': `
all:
  children: &kids
    a: {hosts: {r1: {}}}
site:
  <<: {vars: {v: 1}}
  children:
    <<: *kids
    b: {hosts: {r2: {}}}
`,
    });
    const { inventory } = loadInventory(join(dir, 'hosts.yml'));
    expect([...inventory.groups.get('site')!].sort()).toEqual(['r1', 'r2']);
    expect(inventory.hosts.get('r2')!.vars.v).toBe(1);
    expect(inventory.groups.has('<<')).toBe(false);
  });
});

describe('a host or group name that YAML reads as no string', () => {
  it('is refused at its place (Ansible refuses it), not renamed (010 -> 10, ~ -> null)', () => {
    const dir = writeCase({ 'hosts.yml': 'routers:\n  hosts:\n    010: {}\n    r1: {}\n~:\n  hosts: {r2: {}}\n' });
    const errors = errorsOf(() => loadInventory(join(dir, 'hosts.yml')));
    expect(errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual([
      "3:5 host name '010' is not a string: YAML reads it as the number 10",
      "5:1 group name '~' is not a string: YAML reads it as null",
    ]);
    expect(errors[0]!.hint).toMatch(/quote it: "010":/);
  });

  it('is refused where YAML 1.1 (Ansible) reads no string though YAML 1.2 reads text: on, yes, 1_0, and 1:20 (not host 1 on port 20)', () => {
    const dir = writeCase({ 'hosts.yml': 'routers:\n  hosts:\n    on: {}\n    "off": {}\n    1_0: {}\n    1:20: {}\n    r1: {}\nyes:\n  hosts: {r2: {}}\n' });
    const errors = errorsOf(() => loadInventory(join(dir, 'hosts.yml')));
    expect(errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual([
      "3:5 host name 'on' is not a string to Ansible: YAML 1.1 reads it as the boolean true",
      "5:5 host name '1_0' is not a string to Ansible: YAML 1.1 reads it as the number 10",
      "6:5 host name '1:20' is not a string to Ansible: YAML 1.1 reads it as the number 80",
      "8:1 group name 'yes' is not a string to Ansible: YAML 1.1 reads it as the boolean true",
    ]);
    expect(errors[0]!.hint).toBe('quote it: "on": (Ansible refuses it unquoted)');
    // A date is a date to PyYAML: ansible-inventory refuses it as a group name ("got datetime.date").
    const date = writeCase({ 'hosts.yml': '2024-05-01:\n  hosts: {r1: {}}\n' });
    expect(errorsOf(() => loadInventory(join(date, 'hosts.yml'))).map((e) => e.message)).toEqual(["group name '2024-05-01' is not a string to Ansible: YAML 1.1 reads it as a date"]);
    // Quoted, both read text.
    const ok = writeCase({ 'hosts.yml': 'routers:\n  hosts:\n    "on": {}\n    !!str 1_0: {}\n' });
    expect([...loadInventory(join(ok, 'hosts.yml')).inventory.hosts.keys()]).toEqual(['on', '1_0']);
  });
});

describe('a host listed again with host:port', () => {
  it('a different port after the host\'s first entry is refused (Ansible would ignore it); the same port, or none, is fine', () => {
    const dir = writeCase({ 'hosts.ini': '[a]\nr1 ansible_port=2200 ansible_host=192.0.2.1\nr2:2222\n[b]\nr1:3333\nr2:2222\n[c]\nr2\n' });
    const errors = errorsOf(() => loadInventory(join(dir, 'hosts.ini')));
    expect(errors.map((e) => `${e.pos?.line} ${e.message}`)).toEqual([
      `5 host 'r1' is given port 3333 here, after its first entry at ${join(dir, 'hosts.ini')}:2:1: Ansible takes a host's port from its first entry only, and would ignore this one`,
    ]);
    const ok = writeCase({ 'hosts.ini': '[a]\nr2:2222\n[b]\nr2:2222\n[c]\nr2\n' });
    expect(loadInventory(join(ok, 'hosts.ini')).inventory.hosts.get('r2')!.vars.ansible_port).toBe(2222);
  });
});

describe('ansible_become as Ansible reads it (its boolean(), not the | bool filter)', () => {
  it('trimmed, any case, with y/t/n/f: "yes " and T are true, " N" false; anything else refused at its place', () => {
    const dir = writeCase({ 'hosts.yml': 'all:\n  hosts:\n    r1: { ansible_become: "yes " }\n    r2: { ansible_become: T }\n    r3: { ansible_become: " N" }\n' });
    const { inventory } = loadInventory(join(dir, 'hosts.yml'));
    expect(['r1', 'r2', 'r3'].map((h) => inventory.hosts.get(h)!.connection.become)).toEqual([true, true, false]);
    const bad = writeCase({ 'hosts.yml': 'all:\n  hosts:\n    r1: { ansible_become: maybe }\n' });
    expect(errorsOf(() => loadInventory(join(bad, 'hosts.yml'))).map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message.split(',')[0]}`)).toEqual(['3:11 ansible_become of host r1 must be true or false']);
  });
});
