// The inventories of Ansible's documentation (test/load/ansible-docs/README.md says where each comes
// from), read as Ansible reads them: the expected groups and values are the ones the documentation states.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf } from './helpers.js';

const DOCS = 'test/load/ansible-docs';
const load = (...files: string[]) => loadInventory(files.map((f) => join(DOCS, f))).inventory;
const groups = (...files: string[]) => {
  const g = load(...files).groups;
  return Object.fromEntries([...g].map(([name, hosts]) => [name, [...hosts].sort()]));
};

describe('inventories from "How to build your inventory"', () => {
  it('reads the basic INI file and its YAML twin as the same groups', () => {
    const want = {
      all: ['bar.example.com', 'foo.example.com', 'mail.example.com', 'one.example.com', 'three.example.com', 'two.example.com'],
      ungrouped: ['mail.example.com'],
      webservers: ['bar.example.com', 'foo.example.com'],
      dbservers: ['one.example.com', 'three.example.com', 'two.example.com'],
    };
    expect(groups('basic.ini')).toEqual(want);
    expect(groups('basic.yml')).toEqual(want);
    expect(load('basic.ini').hosts.get('mail.example.com')!.groups).toEqual(['all', 'ungrouped']);
  });

  it('puts the hosts of child groups into their parents (prod: east, test: west)', () => {
    const g = groups('parent-groups.yml');
    expect(g.prod).toEqual(['foo.example.com', 'one.example.com', 'two.example.com']);
    expect(g.test).toEqual(['bar.example.com', 'three.example.com']);
    expect(load('parent-groups.yml').hosts.get('one.example.com')!.groups).toEqual(['all', 'dbservers', 'prod', 'east']);
  });

  it('expands numeric, zero-padded, strided and alphabetic ranges', () => {
    const www = Array.from({ length: 50 }, (_, i) => `www${String(i + 1).padStart(2, '0')}.example.com`);
    expect(groups('ranges.ini').webservers).toEqual(www);
    expect(groups('ranges.yml').webservers).toEqual(www);
    expect(groups('ranges.ini').databases).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((c) => `db-${c}.example.com`));
    const odd = groups('stride.ini').webservers!;
    expect(odd).toHaveLength(25);
    expect([odd[0], odd[1], odd.at(-1)]).toEqual(['www01.example.com', 'www03.example.com', 'www49.example.com']);
  });

  it('reads host variables of a host line as Python literals: the same numbers as the YAML', () => {
    for (const file of ['host-vars.ini', 'host-vars.yml']) {
      const hosts = load(file).hosts;
      expect(hosts.get('host1')!.vars).toMatchObject({ http_port: 80, maxRequestsPerChild: 808 });
      expect(hosts.get('host2')!.vars).toMatchObject({ http_port: 303, maxRequestsPerChild: 909 });
    }
  });

  it('connects to an alias through ansible_host and a port written as host:port', () => {
    const hosts = load('aliases.ini').hosts;
    expect(hosts.get('jumper')!.connection).toMatchObject({ host: '192.0.2.50', port: 5555 });
    expect(hosts.get('badwolf.example.com')!.connection).toMatchObject({ host: 'badwolf.example.com', port: 5309 });
  });

  it('gives [atlanta:vars] to every host of atlanta, as the YAML vars: does', () => {
    for (const file of ['group-vars.ini', 'group-vars.yml']) {
      expect(load(file).hosts.get('host2')!.vars).toMatchObject({ ntp_server: 'ntp.atlanta.example.com', proxy: 'proxy.atlanta.example.com' });
    }
  });

  it('reads the groups-of-groups YAML, and refuses its INI twin where Ansible does: undeclared child groups', () => {
    const inventory = load('southeast.yml');
    expect(inventory.hosts.get('host3')!.vars).toMatchObject({ some_server: 'foo.southeast.example.com', halon_system_timeout: 30, escape_pods: 2 });
    expect(inventory.hosts.get('host1')!.groups).toEqual(['all', 'usa', 'southeast', 'atlanta']);
    // ansible-inventory -i southeast.ini: "Section [usa:children] includes undefined group 'northeast'".
    const errors = errorsOf(() => load('southeast.ini'));
    expect(errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual([
      "21:1 invalid INI inventory: section [usa:children] lists group 'northeast', which no section declares",
      "22:1 invalid INI inventory: section [usa:children] lists group 'southwest', which no section declares",
      "23:1 invalid INI inventory: section [usa:children] lists group 'northwest', which no section declares",
    ]);
    expect(errors[0]!.hint).toContain('[northeast]');
  });

  it('reads the behavioral parameters of the INI example; the interpreters, which change nothing teqlctl does (it runs POSIX sh), are not refused (a run notes them)', () => {
    expect(() => load('behavioral.ini')).not.toThrow();
  });

  it('merges several -i in order: -i inventory_test -i inventory_staging has both environments', () => {
    const g = groups('inventory_test', 'inventory_staging');
    expect(g.appservers).toHaveLength(6);
    expect(g.dbservers).toEqual(['db01.staging.example.com', 'db01.test.example.com', 'db02.staging.example.com', 'db02.test.example.com']);
  });

  it('refuses the folder that mixes a plugin, a script and static hosts, naming each file it cannot read', () => {
    const errors = errorsOf(() => load('directory'));
    expect(errors.map((e) => `${e.pos?.file}:${e.pos?.line}:${e.pos?.col}`)).toEqual([join(DOCS, 'directory/01-openstack.yml:1:1'), join(DOCS, 'directory/02-dynamic-inventory.py:1:1')]);
    expect(errors[0]!.message).toContain("inventory plugin 'openstack.cloud.openstack' is not supported");
    expect(errors[1]!.message).toContain('dynamic inventory script');
    expect(errors.every((e) => e.hint?.includes('ansible-inventory'))).toBe(true);
  });
});

describe('the EXAMPLES of the ini inventory plugin', () => {
  it('example 1: comments after values, :vars values as literals, quoting that keeps a string', () => {
    const hosts = load('ini-plugin-example-1').hosts;
    expect(hosts.get('host2')!.connection.port).toBe(222);
    // literal_eval skips the comment: 8080 and 23 are numbers, True and False booleans.
    expect(hosts.get('host1')!.vars).toMatchObject({ http_port: 8080, myvar: 23, has_java: false });
    expect(hosts.get('tomcat2')!.vars).toMatchObject({ myvar: 34, http_port: 8080 });
    expect(hosts.get('tomcat3')!.vars.mysecret).toBe('03#pa33w0rd');
    expect(hosts.get('jenkins1')!.vars.has_java).toBe(true);
    expect(hosts.get('jenkins1')!.groups).toEqual(['all', 'web', 'nginx']);
  });

  it('example 2: ungrouped hosts, and a host in two groups', () => {
    const g = groups('ini-plugin-example-2');
    expect(g.ungrouped).toEqual(['host1', 'host2', 'host3']);
    expect([g.g1, g.g2]).toEqual([['host4'], ['host4']]);
    expect(load('ini-plugin-example-2').hosts.get('host3')!.connection).toMatchObject({ host: '127.0.0.1', port: 45 });
  });
});
