// Several -i, inventory folders, and group_vars/host_vars beside each source and beside the playbook.
import { chmodSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { loadInventory } from '../../src/load/inventory.js';
import { ignoredInDirectory } from '../../src/load/inventory-sources.js';
import { errorsOf, writeCase } from './helpers.js';

const PLAY = '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n';

describe('several -i, merged in order', () => {
  // "Managing inventory variable load order": -i staging -i production gives production's myvar.
  const dir = writeCase({ staging: '[web]\nw1\n[all:vars]\nmyvar = 1\n', production: '[web]\nw2\n[all:vars]\nmyvar = 2\n' });
  const myvar = (...files: string[]) => loadInventory(files.map((f) => join(dir, f))).inventory.hosts.get('w1')!.vars.myvar;

  it('a later source overrides a variable of an earlier one, and adds its hosts', () => {
    expect(myvar('staging', 'production')).toBe(2);
    expect(myvar('production', 'staging')).toBe(1);
    expect(loadInventory([join(dir, 'staging'), join(dir, 'production')]).inventory.groups.get('web')).toEqual(['w1', 'w2']);
  });

  it('refuses a host list (-i a,b,) instead of looking for a file of that name', () => {
    const [e] = errorsOf(() => loadInventory(['r1,r2,']));
    expect(e!.message).toBe("cannot read inventory 'r1,r2,': no such file");
    expect(e!.hint).toContain('comma-separated host list');
  });
});

describe('an inventory folder', () => {
  it('reads its files in code-point order, recursing, and skips what Ansible skips', () => {
    const dir = writeCase({
      'inv/10-hosts.yml': 'routers:\n  hosts:\n    r1:\n  vars:\n    myvar: yaml\n',
      'inv/2-more': '[routers]\nr2\n[routers:vars]\nmyvar=ini\n',
      'inv/Z-upper': '[routers:vars]\nmyvar=upper\n[routers]\n',
      'inv/sub/a.yaml': 'all:\n  hosts:\n    r3:\n',
      // Each of these would be a problem if it were read.
      'inv/README.md': '# not an inventory',
      'inv/old.ini': '[broken',
      'inv/hosts.retry': 'r9',
      'inv/hosts~': '[broken',
      'inv/.hidden.yml': ': :',
      'inv/group_vars/routers.yml': 'from_group_vars: yes\n',
    });
    const { inventory } = loadInventory(join(dir, 'inv'));
    expect([...inventory.hosts.keys()]).toEqual(['r1', 'r2', 'r3']);
    // 10-hosts.yml < 2-more < Z-upper < sub/: "1" < "2" < "Z" < "s", as Python's sorted().
    expect(inventory.hosts.get('r1')!.vars).toMatchObject({ myvar: 'upper', from_group_vars: 'yes' });
  });

  it('names the ignored extensions of INVENTORY_IGNORE_EXTS, and no others', () => {
    const skipped = ['a.pyc', 'a.pyo', 'a.swp', 'a.bak', 'a~', 'a.rpm', 'a.md', 'a.txt', 'a.rst', 'a.orig', 'a.ini', 'a.cfg', 'a.retry', '.git', 'group_vars', 'host_vars', 'vars_plugins'];
    expect(skipped.filter((n) => !ignoredInDirectory(n))).toEqual([]);
    expect(['hosts', 'a.yml', 'a.yaml', 'a.json', 'prod', 'a.py'].filter(ignoredInDirectory)).toEqual([]);
  });

  it('of files it skips only (hosts.ini) says which and why, instead of "lists no hosts" alone', () => {
    const dir = writeCase({ 'inv/hosts.ini': '[routers]\nr1\n', 'inv/group_vars/routers.yml': 'x: 1\n' });
    const errors = errorsOf(() => loadInventory(join(dir, 'inv')));
    expect(errors.map((e) => e.message)).toEqual([`inventory folder '${join(dir, 'inv')}' holds no file teqlctl reads: ${join(dir, 'inv', 'hosts.ini')} is skipped, as Ansible skips .ini, .cfg, .retry and the like in inventory folders`]);
    expect(errors[0]!.hint).toBe('rename the file (hosts, hosts.yml), or give the file itself with -i');
  });

  it('beside files it reads, a skipped hosts.ini or .cfg is said in a note (Ansible skips it without a word); a README is not', () => {
    const dir = writeCase({ 'inv/prod.yml': 'all:\n  hosts:\n    r1:\n', 'inv/hosts.ini': '[all:vars]\nansible_user=admin\nr2\n', 'inv/README.md': '# notes\n' });
    const { inventory, notes } = loadInventory(join(dir, 'inv'));
    expect([...inventory.hosts.keys()]).toEqual(['r1']);
    expect(notes).toEqual([`not read: ${join(dir, 'inv', 'hosts.ini')}: Ansible skips .ini and .cfg files in an inventory folder (rename it, e.g. hosts, or give it with its own -i)`]);
  });

  it('a file without an extension is YAML when it parses as a YAML mapping (Ansible tries its yaml plugin first), else INI', () => {
    const dir = writeCase({ 'yaml/hosts': '# YAML, with no .yml\nall:\n  hosts:\n    router_a:\n      ansible_host: 127.0.0.1\n', 'ini/hosts': '[routers]\nr1 ansible_host=127.0.0.1\n', 'bare/hosts': 'r1\nr2\n' });
    const yaml = loadInventory(join(dir, 'yaml/hosts')).inventory;
    expect(yaml.hosts.get('router_a')!.connection.host).toBe('127.0.0.1');
    expect(loadInventory(join(dir, 'ini/hosts')).inventory.hosts.get('r1')!.groups).toContain('routers');
    expect([...loadInventory(join(dir, 'bare/hosts')).inventory.hosts.keys()]).toEqual(['r1', 'r2']);
  });

  it('a file without an extension that starts as YAML does, with a mistake in it, is refused with the YAML error at its place, not as INI on every line', () => {
    const dir = writeCase({ hosts: 'all:\n  children:\n    routers:\n      hosts:\n        r1:\n          ansible_host: 192.0.2.1\n         ansible_user: admin\n' });
    const errors = errorsOf(() => loadInventory(join(dir, 'hosts')));
    expect(errors).toHaveLength(1);
    expect(`${errors[0]!.pos?.line} ${errors[0]!.message}`).toMatch(/^7 invalid YAML/);
  });

  it('an INI inventory under a YAML name (hosts.yml holding [routers]) is read as INI, as Ansible\'s ini plugin reads it after its yaml plugin fails', () => {
    const dir = writeCase({ 'hosts.yml': '# routers\n[routers]\nr1 ansible_host=192.0.2.1\nr2 ansible_host=192.0.2.2\n' });
    const inv = loadInventory([join(dir, 'hosts.yml')]).inventory;
    expect(inv.groups.get('routers')).toEqual(['r1', 'r2']);
    expect(inv.hosts.get('r1')!.connection.host).toBe('192.0.2.1');
    // Starting with an ungrouped host line, or a section with a comment: INI too, as for Ansible.
    const more = writeCase({ 'a.yml': 'r0 ansible_host=192.0.2.9\n[routers]\nr1\n', 'b.yaml': '[routers] # core\nr1 ansible_host=192.0.2.1\n' });
    expect([...loadInventory([join(more, 'a.yml')]).inventory.hosts.keys()]).toEqual(['r0', 'r1']);
    expect(loadInventory([join(more, 'b.yaml')]).inventory.groups.get('routers')).toEqual(['r1']);
  });

  it('an empty or comment-only YAML file in a folder is skipped, as Ansible skips it; given alone with -i, it is refused as empty', () => {
    const dir = writeCase({ 'inv/a.yml': 'all:\n  hosts:\n    r1:\n', 'inv/b.yml': '# nothing here yet\n---\n', 'inv/c.yaml': '' });
    expect([...loadInventory([join(dir, 'inv')]).inventory.hosts.keys()]).toEqual(['r1']);
    expect(errorsOf(() => loadInventory([join(dir, 'inv', 'b.yml')]))[0]!.message).toBe('the inventory is empty');
  });

  it('reads an executable text file without #! as a static inventory, as Ansible ends up doing', () => {
    const dir = writeCase({ hosts: '[routers]\nr1\n' });
    chmodSync(join(dir, 'hosts'), 0o755);
    expect([...loadInventory(join(dir, 'hosts')).inventory.hosts.keys()]).toEqual(['r1']);
  });
});

describe("groups['g'] in Ansible's order", () => {
  it("a group's own hosts in its order, then its children's: groups['core'][0] is the host listed first under core", () => {
    const dir = writeCase({ hosts: '[edge]\ne2\ne1\n[core]\nc1\ne1\n[routers:children]\ncore\nedge\n' });
    const { groups } = loadInventory([join(dir, 'hosts')]).inventory;
    // As ansible-core 2.14's InventoryManager gives them (get_groups_dict).
    expect(groups.get('core')).toEqual(['c1', 'e1']);
    expect(groups.get('edge')).toEqual(['e2', 'e1']);
    expect(groups.get('routers')).toEqual(['c1', 'e1', 'e2']);
    // Deeper groups level by level, as Group.get_hosts walks them (ansible-core 2.14's API: r1,c1,e1,s1).
    const deep = writeCase({ hosts: '[core_sub]\ns1\n[core]\nc1\n[core:children]\ncore_sub\n[edge]\ne1\n[routers]\nr1\n[routers:children]\ncore\nedge\n' });
    expect(loadInventory([join(deep, 'hosts')]).inventory.groups.get('routers')).toEqual(['r1', 'c1', 'e1', 's1']);
  });
});

describe('group_vars and host_vars', () => {
  it('finds NAME, NAME.yml, NAME.yaml, NAME.json and NAME/ (its files in order)', () => {
    const dir = writeCase({
      'hosts.ini': '[a]\nh1\n[b]\nh1\n[c]\nh1\n[d]\nh1\n',
      'group_vars/a': 'va: plain\n',
      'group_vars/b.json': '{"vb": "json"}\n',
      'group_vars/c.yaml': 'vc: yaml\n',
      'group_vars/d/1-first.yml': 'vd: first\nvd1: one\n',
      'group_vars/d/2-second': 'vd: second\n',
      'group_vars/d/notes.md': 'vd: never read\n',
      'host_vars/h1': 'vh: plain\n',
    });
    expect(loadInventory(join(dir, 'hosts.ini')).inventory.hosts.get('h1')!.vars).toMatchObject({ va: 'plain', vb: 'json', vc: 'yaml', vd: 'second', vd1: 'one', vh: 'plain' });
  });

  it('beside the playbook they override the inventory\'s, in Ansible\'s order', () => {
    const dir = writeCase({
      'inv/hosts.ini': '[routers]\nr1 v_host=inventory\n',
      'inv/group_vars/all.yml': 'v_all: inventory\nv_order: inventory all\n',
      'inv/group_vars/routers.yml': 'v_group: inventory\nv_order: inventory routers\nv_kept: inventory\n',
      'inv/host_vars/r1.yml': 'v_hv: inventory\n',
      'play/playbook.yml': PLAY,
      'play/group_vars/all.yml': 'v_all: playbook\nv_order: playbook all\n',
      'play/group_vars/routers': 'v_group: playbook\n',
      'play/host_vars/r1.json': '{"v_hv": "playbook", "v_host": "playbook"}',
    });
    const run = loadRun(join(dir, 'inv/hosts.ini'), join(dir, 'play/playbook.yml'));
    expect(run.inventory.hosts.get('r1')!.vars).toMatchObject({
      v_all: 'playbook',
      v_group: 'playbook',
      v_kept: 'inventory',
      // group_vars/<group> beside the inventory outranks group_vars/all beside the playbook.
      v_order: 'inventory routers',
      v_hv: 'playbook',
      v_host: 'playbook',
    });
    // Without a playbook (status, rollback, unlock) only the inventory's are read, as `ansible` does.
    expect(loadInventory(join(dir, 'inv/hosts.ini')).inventory.hosts.get('r1')!.vars).toMatchObject({ v_group: 'inventory', v_hv: 'inventory' });
  });

  it('the playbook\'s folder that is also the first of several -i: its files win over the later source\'s, as Ansible\'s second reading of it (ansible-playbook -i hosts -i overrides/lab.yml)', () => {
    const dir = writeCase({
      'hosts': '[routers]\nr1\n',
      'group_vars/all.yml': 'ansible_user: from_root\nansible_port: 22\n',
      'overrides/lab.yml': 'all:\n  hosts:\n    r1:\n',
      'overrides/group_vars/all.yml': 'ansible_user: from_overrides\nansible_port: 2222\n',
      'playbook.yml': PLAY,
    });
    const run = loadRun([join(dir, 'hosts'), join(dir, 'overrides/lab.yml')], join(dir, 'playbook.yml'));
    expect(run.inventory.hosts.get('r1')!.connection).toMatchObject({ user: 'from_root', port: 22 });
  });
});

describe('an inventory folder that cannot be read as it is', () => {
  it('reports a broken link and a link back up the tree instead of skipping or looping', () => {
    const dir = writeCase({ 'inv/hosts.yml': 'all:\n  hosts:\n    r1:\n' });
    symlinkSync(join(dir, 'missing'), join(dir, 'inv/dangling'));
    symlinkSync(join(dir, 'inv'), join(dir, 'inv/loop'));
    const messages = errorsOf(() => loadInventory(join(dir, 'inv'))).map((e) => e.message);
    expect(messages).toEqual([`cannot read inventory '${join(dir, 'inv/dangling')}': a broken symbolic link`, `inventory folder '${join(dir, 'inv/loop')}' links back to a folder above it`]);
  });
});

describe('the extension as Ansible compares it: case-sensitively', () => {
  it('a YAML inventory named hosts.YML is read as INI (Ansible\'s ini plugin reads it, fails, and runs nothing): refused at its first line, saying why', () => {
    const dir = writeCase({ 'hosts.YML': 'routers:\n  hosts:\n    r1:\n      ansible_host: 192.0.2.10\n' });
    const [first] = errorsOf(() => loadInventory(join(dir, 'hosts.YML')));
    expect(first!.located).toBe(`${dir}/hosts.YML:1:1: invalid INI inventory: 'routers:' is not a host`);
    expect(first!.hint).toContain('name a YAML inventory *.yml or *.yaml, in lower case as Ansible compares it');
  });

  it('an INI inventory named hosts.YAML, in a folder too, is read as INI', () => {
    const dir = writeCase({ 'inv/hosts.YAML': '[routers]\nr1 ansible_host=192.0.2.10\n' });
    expect([...loadInventory(join(dir, 'inv')).inventory.hosts.keys()]).toEqual(['r1']);
  });
});

describe("an inventory folder with ansible.cfg's or the environment's ignore settings (hard-coded until 2026-12-06, a review)", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['ANSIBLE_CONFIG', 'ANSIBLE_INVENTORY_IGNORE', 'ANSIBLE_INVENTORY_IGNORE_REGEX']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });
  const INV = { 'inv/routers.yml': 'all:\n  hosts:\n    r1:\n      ansible_host: 192.0.2.1\n', 'inv/routers_old.yml': 'all:\n  hosts:\n    r1:\n      ansible_host: 192.0.2.99\n' };
  const address = (dir: string) => loadInventory(join(dir, 'inv')).inventory.hosts.get('r1')!.connection.host;

  it('skips what ignore_patterns matches (a regex searched in the name), as Ansible: routers_old.yml was read and its address reached', () => {
    const dir = writeCase({ 'ansible.cfg': '[inventory]\nignore_patterns = _old\n', ...INV });
    process.env.ANSIBLE_CONFIG = join(dir, 'ansible.cfg');
    expect(address(dir)).toBe('192.0.2.1');
    // [defaults]' name, [DEFAULT]'s, and the environment's.
    for (const cfg of ['[defaults]\ninventory_ignore_patterns = ^routers_o\n', '[DEFAULT]\ninventory_ignore_patterns = "x", old\n[defaults]\n']) {
      const other = writeCase({ 'ansible.cfg': cfg, ...INV });
      process.env.ANSIBLE_CONFIG = join(other, 'ansible.cfg');
      expect(address(other), cfg).toBe('192.0.2.1');
    }
    delete process.env.ANSIBLE_CONFIG;
    process.env.ANSIBLE_INVENTORY_IGNORE_REGEX = 'nothing,_old$|_old\\.yml$';
    expect(address(writeCase(INV))).toBe('192.0.2.1');
  });

  it('takes ignore_extensions instead of Ansible\'s default list: a hosts.ini is then read, a .yml.old not', () => {
    const dir = writeCase({ 'ansible.cfg': '[defaults]\ninventory_ignore_extensions = .old, .bak\n', 'inv/a.yml': 'all:\n  hosts:\n    r1:\n', 'inv/hosts.ini': '[routers]\nr2\n', 'inv/b.yml.old': 'all:\n  hosts:\n    r9:\n' });
    process.env.ANSIBLE_CONFIG = join(dir, 'ansible.cfg');
    expect([...loadInventory(join(dir, 'inv')).inventory.hosts.keys()]).toEqual(['r1', 'r2']);
    process.env.ANSIBLE_INVENTORY_IGNORE = '.ini,.old';
    expect([...loadInventory(join(dir, 'inv')).inventory.hosts.keys()]).toEqual(['r1']);
  });

  it('a folder whose files the settings all skip says which setting; a pattern only Python reads is refused at its line', () => {
    const dir = writeCase({ 'ansible.cfg': '[inventory]\nignore_patterns = routers\n', ...INV });
    process.env.ANSIBLE_CONFIG = join(dir, 'ansible.cfg');
    expect(errorsOf(() => loadInventory(join(dir, 'inv'))).map((e) => e.message)).toEqual([`inventory folder '${join(dir, 'inv')}' holds no file teqlctl reads: ${join(dir, 'inv', 'routers.yml')}, ${join(dir, 'inv', 'routers_old.yml')} are skipped, as Ansible skips them: ${join(dir, 'ansible.cfg')} sets ignore_patterns in [inventory] ("routers")`]);
    const bad = writeCase({ 'ansible.cfg': '[inventory]\nignore_patterns = (?P<n>_old)\n', ...INV });
    process.env.ANSIBLE_CONFIG = join(bad, 'ansible.cfg');
    const [e] = errorsOf(() => loadInventory(join(bad, 'inv')));
    expect(e!.located).toMatch(new RegExp(`^${join(bad, 'ansible.cfg')}:2:1: ${join(bad, 'ansible.cfg')} sets ignore_patterns in \\[inventory\\] \\("\\(\\?P<n>_old\\)"\\): not a regular expression teqlctl reads as Python's re does`));
  });
});
