import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { expandPath } from '../../src/load/user-home.js';
import { errorsOf, writeCase } from './helpers.js';

const DIR = 'test/load/good/precedence';
const { inventory, layers } = loadInventory(join(DIR, 'inventory.yml'));
const vars = (h: string) => inventory.hosts.get(h)!.vars;

describe('inventory', () => {
  it('lists hosts in file order and groups with all their hosts, ungrouped included', () => {
    expect([...inventory.hosts.keys()]).toEqual(['lonely', 'r1', 'r2', 's1']);
    expect(Object.fromEntries(inventory.groups)).toEqual({
      all: ['lonely', 'r1', 'r2', 's1'],
      site: ['r1', 'r2', 's1'],
      routers: ['r1', 'r2'],
      switches: ['s1'],
      ungrouped: ['lonely'],
    });
    expect(inventory.hosts.get('r1')!.groups).toEqual(['all', 'site', 'routers']);
    expect(inventory.hosts.get('lonely')!.groups).toEqual(['all', 'ungrouped']);
  });

  it('applies the precedence all < parent < child < group_vars < host < host_vars', () => {
    expect(vars('r1')).toMatchObject({
      v_all: 'all',
      v_parent: 'parent',
      v_child: 'child',
      v_gv_all: 'gv_all',
      v_gv_parent: 'gv_parent',
      v_gv_child: 'gv_child',
      v_host: 'host',
      v_hv: 'hv',
    });
    expect(vars('r2')).toMatchObject({ v_host: 'gv_child', v_hv: 'gv_child' });
    expect(vars('s1')).toMatchObject({ v_child: 'parent', v_gv_child: 'gv_parent' });
    expect(vars('lonely')).toMatchObject({ v_parent: 'all', v_gv_all: 'gv_all', v_hv: 'gv_all' });
  });

  it('remembers where each variable was set', () => {
    const origins = layers.get('r1')!.origins;
    expect(origins.get('v_hv')).toEqual({ pos: { file: join(DIR, 'host_vars/r1.yml'), line: 1, col: 1 }, where: 'host_vars/r1' });
    expect(origins.get('v_host')).toEqual({ pos: { file: join(DIR, 'inventory.yml'), line: 39, col: 15 }, where: 'host r1 in the inventory' });
    expect(layers.get('r1')!.values.inventory_hostname).toBe('r1');
    expect(layers.get('r1')!.values.group_names).toEqual(['routers', 'site']);
  });

  it('builds connections: host name as default address, paths relative to the inventory, templates rendered', () => {
    const dir = resolve(DIR);
    expect(inventory.hosts.get('r1')!.connection).toEqual({
      host: 'r1',
      port: 2222,
      user: 'admin',
      privateKeyFile: join(dir, 'keys/site'),
      knownHostsFile: join(dir, 'known_hosts'),
      knownHostsFileAt: expect.objectContaining({ file: expect.stringContaining('precedence') }),
      become: true,
      becomeUser: 'root',
    });
    expect(inventory.hosts.get('s1')!.connection).toEqual({
      host: '192.0.2.50',
      privateKeyFile: '/etc/keys/s1',
      knownHostsFile: join(dir, 'known_hosts'),
      knownHostsFileAt: expect.objectContaining({ file: expect.stringContaining('precedence') }),
      become: false,
      becomeUser: 'netops',
    });
    expect(inventory.hosts.get('lonely')!.connection).toEqual({ host: 'lonely', become: false, becomeUser: 'root' });
  });

  it('takes IPv6 addresses as host names in INI, as Ansible does: the address to connect to, a bracketed port, host_vars by that name', () => {
    const dir = writeCase({
      'hosts.ini': '[routers]\n2001:db8::1\n[2001:db8::2]:2222\n',
      'host_vars/2001:db8::1.yml': 'ansible_user: v6admin\n',
    });
    const { inventory: inv } = loadInventory(join(dir, 'hosts.ini'));
    expect([...inv.hosts.keys()]).toEqual(['2001:db8::1', '2001:db8::2']);
    expect(inv.hosts.get('2001:db8::1')!.connection).toMatchObject({ host: '2001:db8::1', user: 'v6admin' });
    expect(inv.hosts.get('2001:db8::2')!.connection).toMatchObject({ host: '2001:db8::2', port: 2222 });
  });

  it('refuses a host name with a colon that is no IPv6 address, saying how to write one', () => {
    const dir = writeCase({ 'hosts.ini': '[routers]\nr1:edge\n' });
    const [e] = errorsOf(() => loadInventory(join(dir, 'hosts.ini')));
    expect(`${e!.located}\n  hint: ${e!.hint}`).toMatch(/hosts\.ini:2:1: invalid host name 'r1:edge'\n  hint: .*an IPv6 address may be a host name as it is \(2001:db8::1, or \[2001:db8::1\]:2222 with a port\), or give the host a name and set ansible_host/);
  });

  it('expands ~ to the home folder', () => {
    expect(expandPath('~/.ssh/id', '/inv')).toBe(join(homedir(), '.ssh/id'));
    expect(expandPath('~', '/inv')).toBe(homedir());
    expect(expandPath('id', '/inv')).toBe('/inv/id');
  });

  it("orders a host's groups of one depth as Ansible does (by code point, not locale): the later group's group_vars win", () => {
    const dir = writeCase({
      'hosts.ini': '[PAR]\nr1\n[edge]\nr1\n',
      'group_vars/PAR.yml': 'ansible_user: par_admin\n',
      'group_vars/edge.yml': 'ansible_user: edge_admin\n',
    });
    const { inventory: inv } = loadInventory(join(dir, 'hosts.ini'));
    // ansible-inventory 2.14 gives edge_admin: 'PAR' < 'edge' by code point, so edge comes later.
    expect(inv.hosts.get('r1')!.vars.ansible_user).toBe('edge_admin');
    expect(inv.hosts.get('r1')!.groups).toEqual(['all', 'PAR', 'edge']);
  });

  // Each expectation below is what ansible-inventory 2.14 gives for the same files (checked by hand).
  it('ansible_group_priority in the inventory orders groups of one depth before their names: the higher priority wins, group_vars/ included', () => {
    const ini = writeCase({
      'hosts.ini': '[zed]\nr1\n[alpha]\nr1\n[zed:vars]\nansible_user=zeduser\n[alpha:vars]\nansible_user=alphauser\nansible_group_priority=10\n',
      'group_vars/alpha.yml': 'teql_device: teql1\n',
      'group_vars/zed.yml': 'teql_device: teql2\n',
    });
    const r1 = loadInventory(join(ini, 'hosts.ini')).inventory.hosts.get('r1')!;
    expect(r1.groups).toEqual(['all', 'zed', 'alpha']);
    expect(r1.vars.ansible_user).toBe('alphauser');
    expect(r1.vars.teql_device).toBe('teql1');
    // Ansible keeps it out of the variables: it set the priority.
    expect(r1.vars).not.toHaveProperty('ansible_group_priority');
    const yaml = writeCase({ 'inventory.yml': 'all:\n  children:\n    zed:\n      hosts: { r1: {} }\n      vars: { ansible_user: zeduser }\n    alpha:\n      hosts: { r1: {} }\n      vars: { ansible_user: alphauser, ansible_group_priority: "10" }\n' });
    expect(loadInventory(join(yaml, 'inventory.yml')).inventory.hosts.get('r1')!.vars.ansible_user).toBe('alphauser');
  });

  it('ansible_group_priority does not reach over depth: a child group still wins over its higher-priority parent', () => {
    const dir = writeCase({ 'hosts.ini': '[parent:children]\nchild\n[child]\nr1\n[parent:vars]\nansible_user=p\nansible_group_priority=99\n[child:vars]\nansible_user=c\n' });
    expect(loadInventory(join(dir, 'hosts.ini')).inventory.hosts.get('r1')!.vars.ansible_user).toBe('c');
  });

  it('ansible_group_priority where Ansible ignores it (a group_vars/ file) or that is not a whole number: an error at its place, not ignored', () => {
    const located = (dir: string, file: string) => errorsOf(() => loadInventory(join(dir, file))).map((e) => `${e.located}\n  hint: ${e.hint}`);
    const inFile = writeCase({ 'hosts.ini': '[zed]\nr1\n[alpha]\nr1\n', 'group_vars/alpha.yml': 'ansible_group_priority: 10\n' });
    const [misplaced] = located(inFile, 'hosts.ini');
    expect(misplaced).toMatch(/group_vars\/alpha\.yml:1:1: 'ansible_group_priority' has no effect here, in Ansible or teqlctl/);
    expect(misplaced).toContain("hint: move it to the group's variables in the inventory");
    const notWhole = writeCase({ 'hosts.ini': '[zed]\nr1\n[zed:vars]\nansible_group_priority=high\n' });
    expect(located(notWhole, 'hosts.ini')).toEqual([expect.stringMatching(/hosts\.ini:4:1: ansible_group_priority of group 'zed' must be a whole number, not 'high'\n  hint: write e\.g\. ansible_group_priority: 10/)]);
    const list = writeCase({ 'inventory.yml': 'all:\n  children:\n    zed:\n      hosts: { r1: {} }\n      vars: { ansible_group_priority: [2] }\n' });
    expect(located(list, 'inventory.yml')).toEqual([expect.stringMatching(/inventory\.yml:5:\d+: ansible_group_priority of group 'zed' must be a whole number, not \[2\]/)]);
  });

  it('ansible_group_priority read as Python\'s int() reads it: 1.9 is 1, True is 1, "1_0" is 10 (as ansible-inventory 2.14 takes them)', () => {
    const order = (alpha: string) => {
      const dir = writeCase({ 'hosts.ini': `[zed]\nr1\n[alpha]\nr1\n[zed:vars]\nansible_user=zeduser\n[alpha:vars]\nansible_user=alphauser\nansible_group_priority=${alpha}\n` });
      return loadInventory(join(dir, 'hosts.ini')).inventory.hosts.get('r1')!.groups;
    };
    expect(order('1.9')).toEqual(['all', 'alpha', 'zed']); // 1 = zed's default: by name
    expect(order('2.9')).toEqual(['all', 'zed', 'alpha']);
    expect(order('True')).toEqual(['all', 'alpha', 'zed']);
    expect(order('"1_0"')).toEqual(['all', 'zed', 'alpha']);
    expect(order('-3')).toEqual(['all', 'alpha', 'zed']);
  });

  it('reads a YAML group in document order, as Ansible does: a host written under hosts: after a child group takes the later variables', () => {
    const later = writeCase({ 'inventory.yml': 'all:\n  children:\n    routers:\n      hosts:\n        r1: { ansible_host: 10.0.0.1 }\n  hosts:\n    r1: { ansible_host: 10.9.9.9 }\n' });
    expect(loadInventory(join(later, 'inventory.yml')).inventory.hosts.get('r1')!.vars.ansible_host).toBe('10.9.9.9');
    const earlier = writeCase({ 'inventory.yml': 'all:\n  hosts:\n    r1: { ansible_host: 10.9.9.9 }\n  children:\n    routers:\n      hosts:\n        r1: { ansible_host: 10.0.0.1 }\n' });
    expect(loadInventory(join(earlier, 'inventory.yml')).inventory.hosts.get('r1')!.vars.ansible_host).toBe('10.0.0.1');
  });

  it('takes a chain of 4990 nested groups (no recursion to overflow)', () => {
    const n = 4990;
    const ini = Array.from({ length: n - 1 }, (_, i) => `[g${i + 1}:children]\ng${i}\n`).join('') + '[g0]\nr1\n';
    const { inventory: inv } = loadInventory(join(writeCase({ 'hosts.ini': ini }), 'hosts.ini'));
    expect(inv.hosts.get('r1')!.groups).toHaveLength(n + 1);
    expect(inv.hosts.get('r1')!.groups.slice(0, 3)).toEqual(['all', `g${n - 1}`, `g${n - 2}`]);
  }, 30_000); // about 4.5 s alone on 2 cores, over 5 s beside other suites: not a timed test

  it('reports every inventory problem at once', () => {
    const dir = writeCase({
      'inventory.yml': `
all:
  hosts:
    a: { ansible_port: 0, ansible_connection: local }
    b: { 1bad: x }
  children:
    g:
      children:
        h:
          children:
            g:
`,
    });
    const messages = errorsOf(() => loadInventory(join(dir, 'inventory.yml'))).map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`);
    expect(messages).toEqual([
      '3:10 ansible_port of host a must be a port number 1..65535, got 0',
      "3:27 ansible_connection of host a must be 'ssh' (teqlctl only connects over SSH), got \"local\"",
      "4:10 invalid variable name '1bad' in host 'b'",
      // At the entry that closes the loop (g listed under h), not g's own declaration.
      "10:13 group 'g' is its own ancestor: all -> g -> h -> g",
    ]);
  });
});
