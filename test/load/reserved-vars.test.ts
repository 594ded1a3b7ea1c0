// Ansible's magic variables (inventory_hostname, groups, item, playbook_dir, ...) set by a user are
// refused where they are set: Ansible ignores such a value ("Found variable using reserved name"),
// and teqlctl would either ignore it too or read it where Ansible reads its own.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

const PLAY = '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n';
const MESSAGE = 'is a reserved name: Ansible sets this magic variable itself and ignores a value set here';

function refused(files: Record<string, string>, inventory: string, extraVars: string[] = []): string[] {
  const dir = writeCase({ 'playbook.yml': PLAY, ...files });
  return errorsOf(() => loadRun(join(dir, inventory), join(dir, 'playbook.yml'), { extraVars })).map((e) => `${e.located.replace(`${dir}/`, '')} | ${e.hint}`);
}

describe('reserved variable names', () => {
  it('in an INI inventory: on a host line and in [group:vars], though teqlctl puts its own value over them', () => {
    expect(refused({ 'hosts.ini': '[routers]\nr1 inventory_hostname=x ansible_play_hosts=y\n\n[routers:vars]\ngroup_names=z\n' }, 'hosts.ini')).toEqual([
      `hosts.ini:2:4: 'inventory_hostname' ${MESSAGE} | rename the variable, e.g. my_inventory_hostname; teqlctl provides inventory_hostname itself, as Ansible does`,
      `hosts.ini:2:25: 'ansible_play_hosts' ${MESSAGE} | rename the variable, e.g. my_ansible_play_hosts`,
      `hosts.ini:5:1: 'group_names' ${MESSAGE} | rename the variable, e.g. my_group_names; teqlctl provides group_names itself, as Ansible does`,
    ]);
  });

  it('in a YAML inventory and in group_vars/ and host_vars/ files', () => {
    const files = {
      'inventory.yml': 'all:\n  vars:\n    groups: {}\n  hosts:\n    r1:\n      inventory_hostname_short: r\n',
      'group_vars/all.yml': 'playbook_dir: /srv\n',
      'host_vars/r1.yml': 'omit: 1\ninventory_dir: /x\n',
    };
    expect(refused(files, 'inventory.yml')).toEqual([
      `group_vars/all.yml:1:1: 'playbook_dir' ${MESSAGE} | rename the variable, e.g. my_playbook_dir`,
      `host_vars/r1.yml:1:1: 'omit' ${MESSAGE} | rename the variable, e.g. my_omit`,
      `host_vars/r1.yml:2:1: 'inventory_dir' ${MESSAGE} | rename the variable, e.g. my_inventory_dir`,
      `inventory.yml:3:5: 'groups' ${MESSAGE} | rename the variable, e.g. my_groups; teqlctl provides groups itself, as Ansible does`,
      `inventory.yml:6:7: 'inventory_hostname_short' ${MESSAGE} | rename the variable, e.g. my_inventory_hostname_short; teqlctl provides inventory_hostname_short itself, as Ansible does`,
    ]);
  });

  it("in a play's vars and in -e (name=value and @FILE), where they would win over teqlctl's own", () => {
    const files = { 'inventory.yml': 'all:\n  hosts:\n    r1:\n', 'play.yml': '- hosts: all\n  vars:\n    hostvars: {}\n  tasks:\n    - ping: { to: 192.0.2.1 }\n' };
    const dir = writeCase(files);
    const play = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'play.yml'))).map((e) => e.located);
    expect(play).toEqual([`${join(dir, 'play.yml')}:3:5: 'hostvars' ${MESSAGE}`]);
    expect(refused({ 'inventory.yml': 'all:\n  hosts:\n    r1:\n' }, 'inventory.yml', ['item=1'])).toEqual([
      "(command line):1:1: 'item' is a reserved name: a task's loop sets it, over a value set here | rename the variable, e.g. my_item; teqlctl provides item itself, as Ansible does",
    ]);
    const extra = writeCase({ 'inventory.yml': 'all:\n  hosts:\n    r1:\n', 'extra.yml': 'role_path: /r\n', 'playbook.yml': PLAY });
    const fromFile = errorsOf(() => loadRun(join(extra, 'inventory.yml'), join(extra, 'playbook.yml'), { extraVars: [`@${join(extra, 'extra.yml')}`] }));
    expect(fromFile.map((e) => e.located)).toEqual([`${join(extra, 'extra.yml')}:1:1: 'role_path' ${MESSAGE}`]);
  });

  it("teqlctl's own values, seen with the host's when its connection is built, are not refused", () => {
    const dir = writeCase({ 'inventory.yml': 'routers:\n  hosts:\n    r1.example.net:\n', 'playbook.yml': PLAY });
    const run = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
    expect(run.plays[0]!.hosts).toEqual(['r1.example.net']);
    const { layers } = loadInventory(join(dir, 'inventory.yml'));
    expect(layers.get('r1.example.net')!.values).toMatchObject({ inventory_hostname: 'r1.example.net', inventory_hostname_short: 'r1', group_names: ['routers'] });
  });
});
