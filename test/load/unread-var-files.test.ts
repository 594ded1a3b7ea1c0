// Variable files found beside the inventory or the playbook but read for no host: each kind said
// once, with what to do; what is read says nothing.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { writeCase } from './helpers.js';

const INI = '[routers]\nr01\n[edge]\nr02\n';

describe('variable files that no host reads', () => {
  it('a host_vars name that is no host, a group_vars name that is no group, an extension Ansible skips, a skipped file in a folder', () => {
    const dir = writeCase({
      'hosts.ini': INI,
      'host_vars/r1.yml': 'x: 1\n',
      'host_vars/r01.yml': 'x: 2\n',
      'group_vars/routres.yml': 'y: 1\n',
      'group_vars/edge.YML': 'y: 2\n',
      'group_vars/all/main.yml': 'z: 1\n',
      'group_vars/all/b.txt': 'z: 2\n',
      'group_vars/edge/vars.d/main.yml': 'ansible_user: fromdotd\n',
    });
    const { inventory, notes } = loadInventory(join(dir, 'hosts.ini'));
    // Ansible does not go into a subfolder whose name has an extension: neither does teqlctl, and it says so.
    expect(inventory.hosts.get('r02')!.vars.ansible_user).toBeUndefined();
    expect(inventory.hosts.get('r01')!.vars.x).toBe(2);
    expect(notes).toEqual([
      `not read: ${dir}/group_vars/routres.yml: no group of the inventory has its name (check the spelling; a host_vars name is the inventory's host name, not its address)`,
      `not read: ${dir}/group_vars/edge.YML: Ansible reads group_vars/NAME, NAME.yml, NAME.yaml or NAME.json only (rename it)`,
      `not read: ${dir}/group_vars/all/b.txt, ${dir}/group_vars/edge/vars.d/: in a group_vars folder, only files without an extension or ending in .yml, .yaml or .json, and folders without an extension, are read (rename it)`,
      `not read: ${dir}/host_vars/r1.yml: no host of the inventory has its name (check the spelling; a host_vars name is the inventory's host name, not its address)`,
    ]);
  });

  it('everything read (all, ungrouped, a group, a host, a folder of files, hosts named with dots, a NAME.yml folder): no note', () => {
    const dir = writeCase({
      'hosts.ini': `${INI}r1.example.com\n192.0.2.1\n`,
      'host_vars/r1.example.com': 'x: 3\n',
      'host_vars/192.0.2.1.yml': 'x: 4\n',
      'group_vars/edge.yml/main.yml': 'z: 2\n',
      'host_vars/r01': 'x: 1\n',
      'group_vars/all.yaml': 'y: 1\n',
      'group_vars/ungrouped.yml': 'y: 2\n',
      'group_vars/routers/a.yml': 'z: 1\n',
      'group_vars/routers/b.json': '{"w": 1}\n',
    });
    expect(loadInventory(join(dir, 'hosts.ini')).notes).toEqual([]);
  });

  it('group_vars/ and host_vars/ in a subfolder of an inventory folder: not read, by Ansible either (ansible-inventory 2.14), and said', () => {
    const dir = writeCase({
      'inv/sub/hosts': '[routers]\nr1\n',
      'inv/sub/group_vars/routers.yml': 'teql_device: teql1\n',
      'inv/sub/host_vars/r1.yml': 'teql_device: teql2\n',
      'inv/group_vars/routers.yml': 'teql_mtu: 1400\n',
    });
    const { inventory, notes } = loadInventory(join(dir, 'inv'));
    expect(inventory.hosts.get('r1')!.vars).toMatchObject({ teql_mtu: 1400 });
    expect(inventory.hosts.get('r1')!.vars).not.toHaveProperty('teql_device');
    expect(notes).toEqual([
      `not read: ${join(dir, 'inv/sub/group_vars')}: Ansible reads group_vars/ only beside an inventory given with -i, not in the subfolders of an inventory folder (move it up to that folder, or give -i ${join(dir, 'inv/sub')})`,
      `not read: ${join(dir, 'inv/sub/host_vars')}: Ansible reads host_vars/ only beside an inventory given with -i, not in the subfolders of an inventory folder (move it up to that folder, or give -i ${join(dir, 'inv/sub')})`,
    ]);
    // Given the subfolder itself, they are read, and nothing is said.
    const sub = loadInventory(join(dir, 'inv/sub'));
    expect(sub.inventory.hosts.get('r1')!.vars).toMatchObject({ teql_device: 'teql2' });
    expect(sub.notes).toEqual([]);
  });

  it('a nested group_vars/ that is read all the same (its folder given with -i too, or a link to one that is read) is not said', () => {
    const dir = writeCase({
      'inv/sub/hosts': '[routers]\nr1\n',
      'inv/sub/group_vars/routers.yml': 'teql_device: teql1\n',
      'inv/group_vars/routers.yml': 'teql_mtu: 1400\n',
    });
    const both = loadInventory([join(dir, 'inv'), join(dir, 'inv/sub')]);
    expect(both.inventory.hosts.get('r1')!.vars).toMatchObject({ teql_device: 'teql1', teql_mtu: 1400 });
    expect(both.notes).toEqual([]);
    const linked = writeCase({ 'inv/prod/hosts': '[routers]\nr1\n', 'inv/group_vars/routers.yml': 'teql_mtu: 1400\n' });
    symlinkSync('../group_vars', join(linked, 'inv/prod/group_vars'));
    expect(loadInventory(join(linked, 'inv')).notes).toEqual([]);
  });
});


describe('a group_vars or host_vars that is a file, not a folder', () => {
  it('is said, as Ansible warns of it, and read for no host', () => {
    const dir = writeCase({ 'hosts.ini': INI, group_vars: 'routers:\n  ansible_user: admin\n', host_vars: 'r01:\n  x: 1\n' });
    const { inventory, notes } = loadInventory(join(dir, 'hosts.ini'));
    expect(inventory.hosts.get('r01')!.vars.ansible_user).toBeUndefined();
    expect(notes).toEqual([
      `not read: ${dir}/group_vars is a file: Ansible reads group_vars/ only as a folder (of files named after the groups, e.g. group_vars/routers.yml)`,
      `not read: ${dir}/host_vars is a file: Ansible reads host_vars/ only as a folder (of files named after the hosts, e.g. host_vars/router_a.yml)`,
    ]);
  });
});
