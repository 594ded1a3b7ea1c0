// How each host is reached, as an operator with Ansible habits writes it: templates in connection
// variables read -e and refuse play vars (Ansible would connect elsewhere), an ansible_host that is
// not a host, the two names of the key file, paths given with -e, a known_hosts file that is not there.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun, refuseMissingKnownHosts } from '../../src/load/index.js';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

const PING = '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n';
const inventoryOf = (hostVars: string) => `all:\n  vars: { mgmt_port: 2201, mgmt_user: invuser }\n  hosts:\n    h1:\n${hostVars}`;
const TEMPLATED = '      ansible_host: 127.0.0.1\n      ansible_port: "{{ mgmt_port }}"\n      ansible_user: "{{ mgmt_user }}"\n';

describe('connection variables', () => {
  it('a template reads -e, as Ansible renders it: -e mgmt_user=... changes the user even when no connection variable is named', () => {
    const dir = writeCase({ 'inv.yml': inventoryOf(TEMPLATED), 'pb.yml': PING });
    const plain = loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'));
    expect(plain.inventory.hosts.get('h1')!.connection).toMatchObject({ host: '127.0.0.1', port: 2201, user: 'invuser' });
    const run = loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'), { extraVars: ['mgmt_user=cliuser', 'mgmt_port=39999'] });
    expect(run.inventory.hosts.get('h1')!.connection).toMatchObject({ host: '127.0.0.1', port: 39999, user: 'cliuser' });
  });

  it('a play var that a connection template reads is refused at the variable (teqlctl connects once, before any play)', () => {
    const dir = writeCase({ 'inv.yml': inventoryOf(TEMPLATED), 'pb.yml': `- hosts: all\n  vars:\n    unrelated: 1\n    mgmt_user: playuser\n  tasks:\n    - ping: { to: 192.0.2.1 }\n` });
    const errors = errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml')));
    expect(errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual([
      '4:5 mgmt_user in play vars changes how host h1 is reached (user "invuser" -> "playuser") through a connection variable\'s template; teqlctl connects to each host once, before any play, with the inventory\'s and -e\'s variables',
    ]);
    expect(errors[0]!.hint).toBe('set mgmt_user in the inventory (host or group vars, group_vars/host_vars) or with -e');
    // The same play vars with -e on top of them: -e wins in Ansible too, the connection is unchanged.
    expect(errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'), { extraVars: ['mgmt_user=invuser'] }))).toEqual([]);
  });

  it.each([
    ['127.0.0.1:2222', 'is not an IPv6 address; a port goes in ansible_port'],
    ['r1.example.com:22', 'is not an IPv6 address; a port goes in ansible_port'],
    ['[::1]', 'is in brackets: give the address alone'],
    ['10.0.0.1/32', 'holds a prefix length: give the address alone'],
    // ssh would log in as admin where Ansible hands it this host (a review).
    ['admin@127.0.0.1', 'holds a user (user@host): give the host alone, and the user in ansible_user'],
  ])('ansible_host %s is refused at load, before any name is resolved', (host, why) => {
    const dir = writeCase({ 'inv.yml': inventoryOf(`      ansible_host: "${host}"\n`), 'pb.yml': PING });
    const errors = errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml')));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain(why);
    expect(errors[0]!.pos).toMatchObject({ line: 5, col: 7 });
  });

  it.each([['0x7f.1'], ['127.1'], ['2130706433']])('ansible_host %s, an address a resolver reads otherwise than it looks, is refused', (host) => {
    const dir = writeCase({ 'inv.yml': inventoryOf(`      ansible_host: "${host}"\n`), 'pb.yml': PING });
    expect(errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'))).map((e) => e.message)).toEqual([`ansible_host of host h1: '${host}' is not an IPv4 address (four numbers 0..255 without leading zeros)`]);
  });

  it.each([
    ['010.0.0.1', 'is not an IPv4 address (four numbers 0..255 without leading zeros)'],
    ['127.1', 'is not an IPv4 address (four numbers 0..255 without leading zeros)'],
    ['admin@r1', 'holds a user (user@host): give the host alone, and the user in ansible_user'],
  ])('an INI host named %s, its own address without ansible_host, is refused at its line as ansible_host would be (it passed, a review)', (name, why) => {
    const dir = writeCase({ 'hosts.ini': `[web]\n${name}\n`, 'pb.yml': PING });
    const errors = errorsOf(() => loadRun(join(dir, 'hosts.ini'), join(dir, 'pb.yml')));
    expect(errors.map((e) => [e.message, e.pos?.line])).toEqual([[expect.stringMatching(new RegExp(`^host ${name.replace(/\./g, '\\.')}, its own address without ansible_host: .*${why.replace(/[()]/g, '\\$&')}$`)), 2]]);
    // With an address of its own, the name is only a name.
    const named = writeCase({ 'hosts.ini': `[web]\n${name} ansible_host=10.0.0.1\n`, 'pb.yml': PING });
    expect(loadRun(join(named, 'hosts.ini'), join(named, 'pb.yml')).inventory.hosts.get(name)!.connection.host).toBe('10.0.0.1');
  });

  it('an IPv6 address, a name and an alias are hosts', () => {
    for (const host of ['2001:db8::1', 'fe80::1%eth0', 'r1.example.com', 'r1']) {
      const dir = writeCase({ 'inv.yml': inventoryOf(`      ansible_host: "${host}"\n`), 'pb.yml': PING });
      expect(loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml')).inventory.hosts.get('h1')!.connection.host).toBe(host);
    }
  });

  it('the key file under both its names with different values is refused, as ansible_user and ansible_ssh_user are', () => {
    const dir = writeCase({ 'inv.yml': `all:\n  vars:\n    ansible_ssh_private_key_file: keys/group_key\n  hosts:\n    h1:\n      ansible_private_key_file: keys/host_key\n`, 'pb.yml': PING });
    const errors = errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml')));
    expect(errors.map((e) => e.message)).toEqual(['host h1 has both ansible_private_key_file and its older name ansible_ssh_private_key_file, with different values']);
    const same = writeCase({ 'inv.yml': `all:\n  vars:\n    ansible_ssh_private_key_file: keys/k\n  hosts:\n    h1:\n      ansible_private_key_file: keys/k\n`, 'pb.yml': PING });
    expect(loadRun(join(same, 'inv.yml'), join(same, 'pb.yml')).inventory.hosts.get('h1')!.connection.privateKeyFile).toBe(join(same, 'keys/k'));
  });

  it('a relative key path is the inventory folder\'s when the inventory sets it, the working folder\'s when -e does (as ssh reads it for Ansible)', () => {
    const dir = writeCase({ 'inv/inv.yml': inventoryOf('      ansible_ssh_private_key_file: keys/k\n'), 'pb.yml': PING });
    expect(loadRun(join(dir, 'inv/inv.yml'), join(dir, 'pb.yml')).inventory.hosts.get('h1')!.connection.privateKeyFile).toBe(join(dir, 'inv/keys/k'));
    const fromE = loadRun(join(dir, 'inv/inv.yml'), join(dir, 'pb.yml'), { extraVars: ['ansible_ssh_private_key_file=./mykey'] });
    expect(fromE.inventory.hosts.get('h1')!.connection.privateKeyFile).toBe(join(process.cwd(), 'mykey'));
  });

  it('connection variables templated from -e (ansible_host: "{{ mgmt_ip }}" with -e mgmt_ip=...), as Ansible renders them; without the -e, refused at their place', () => {
    const dir = writeCase({ 'inv.yml': inventoryOf('      ansible_host: "{{ mgmt_ip }}"\n      ansible_port: "{{ mgmt_port }}"\n'), 'pb.yml': PING });
    const run = loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'), { extraVars: ['mgmt_ip=192.0.2.9', 'mgmt_port=2222'] });
    expect(run.inventory.hosts.get('h1')!.connection).toMatchObject({ host: '192.0.2.9', port: 2222 });
    expect(errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'))).map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/mgmt_ip/)]));
  });

  it("a relative key path that is not in the inventory's folder but is in the working folder is the working folder's, as ssh reads it for Ansible (keys/ at a repository's root)", () => {
    // package.json is in the working folder (the repository), not beside the inventory.
    const dir = writeCase({ 'inv/inv.yml': inventoryOf('      ansible_ssh_private_key_file: package.json\n'), 'both/inv.yml': inventoryOf('      ansible_ssh_private_key_file: package.json\n'), 'both/package.json': '{}', 'pb.yml': PING });
    expect(loadRun(join(dir, 'inv/inv.yml'), join(dir, 'pb.yml')).inventory.hosts.get('h1')!.connection.privateKeyFile).toBe(join(process.cwd(), 'package.json'));
  });

  it('a relative key path (or -i, -F) naming two files, beside the inventory and in the working folder, is refused at its place: teqlctl read the first, Ansible\'s ssh the second (a review)', () => {
    const dir = writeCase({ 'both/inv.yml': inventoryOf('      ansible_ssh_private_key_file: package.json\n'), 'both/package.json': '{}', 'args/inv.yml': inventoryOf('      ansible_ssh_common_args: -i package.json\n'), 'args/package.json': '{}', 'pb.yml': PING });
    const [key] = errorsOf(() => loadRun(join(dir, 'both/inv.yml'), join(dir, 'pb.yml')));
    expect(`${key!.pos?.file}:${key!.pos?.line} ${key!.message}`).toBe(`${join(dir, 'both/inv.yml')}:5 the key file of host h1: package.json names two files: ${join(dir, 'both/package.json')} (beside the inventory, which teqlctl reads) and ${join(process.cwd(), 'package.json')} (in the current folder, which Ansible's ssh reads)`);
    expect(key!.hint).toBe('write its absolute path (or ~/...), so that teqlctl and Ansible read the same file');
    expect(errorsOf(() => loadRun(join(dir, 'args/inv.yml'), join(dir, 'pb.yml'))).map((e) => e.message)).toEqual([`ssh arguments of host h1: package.json names two files: ${join(dir, 'args/package.json')} (beside the inventory, which teqlctl reads) and ${join(process.cwd(), 'package.json')} (in the current folder, which Ansible's ssh reads)`]);
  });

  it('a teqlctl_known_hosts_file that is not there is refused at its place before connecting (the keys pinned in it would not be checked); loading alone (--list-hosts) does not need it', () => {
    const dir = writeCase({ 'inv.yml': inventoryOf('      teqlctl_known_hosts_file: kh/nope\n'), 'pb.yml': PING });
    const run = loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'));
    expect(run.inventory.hosts.get('h1')!.connection.knownHostsFile).toBe(join(dir, 'kh/nope'));
    const errors = errorsOf(() => refuseMissingKnownHosts(run.inventory, ['h1']));
    expect(errors.map((e) => `${e.pos?.file}:${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual([`${join(dir, 'inv.yml')}:5:7 teqlctl_known_hosts_file of host h1: ${join(dir, 'kh/nope')} does not exist`]);
    mkdirSync(join(dir, 'kh'));
    writeFileSync(join(dir, 'kh/nope'), '');
    expect(errorsOf(() => refuseMissingKnownHosts(run.inventory, ['h1']))).toEqual([]);
  });

  it('a teqlctl_known_hosts_file that is a folder, a named pipe or a device is refused at its place before connecting (a pipe waited forever, /dev/zero filled the memory)', () => {
    const dir = writeCase({ 'pb.yml': PING });
    mkdirSync(join(dir, 'folder'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    for (const kh of [join(dir, 'folder'), join(dir, 'fifo'), '/dev/zero']) {
      writeFileSync(join(dir, 'inv.yml'), inventoryOf(`      teqlctl_known_hosts_file: ${kh}\n`));
      const run = loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'));
      const errors = errorsOf(() => refuseMissingKnownHosts(run.inventory, ['h1']));
      expect(errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual([`5:7 teqlctl_known_hosts_file of host h1: ${kh} is not a file (a folder, a pipe or a device)`]);
    }
  });
});

describe('key and config paths as ssh reads them', () => {
  it('~user/ is that user\'s home folder (from /etc/passwd), not a folder named ~user beside the inventory', () => {
    const dir = writeCase({ 'inv.yml': inventoryOf('      ansible_host: 127.0.0.1\n      ansible_ssh_private_key_file: ~root/.ssh/id_ed25519\n'), 'pb.yml': PING });
    const run = loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'));
    expect(run.inventory.hosts.get('h1')!.connection.privateKeyFile).toBe('/root/.ssh/id_ed25519');
  });

  it('a ~user teqlctl cannot find, or an ssh % token, is refused where it is written, not read as a path beside the inventory', () => {
    const dir = writeCase({ 'inv.yml': inventoryOf('      ansible_host: 127.0.0.1\n      ansible_ssh_private_key_file: ~nosuchuser-teqlctl/k\n      ansible_ssh_common_args: "-i %d/.ssh/k2"\n'), 'pb.yml': PING });
    const errors = errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml')));
    expect(errors.map((e) => `${e.pos?.line} ${e.message}`).join('\n')).toMatch(/6 .*the user nosuchuser-teqlctl of ~nosuchuser-teqlctl\/k is not in \/etc\/passwd/);
    expect(errors.map((e) => `${e.pos?.line} ${e.message}`).join('\n')).toMatch(/7 ssh arguments of host h1: %d\/.ssh\/k2 holds a token \(%d\) that ssh expands and teqlctl does not/);
  });
});

describe('${NAME} in a key path, as ssh expands it (Ansible hands the path to ssh as written)', () => {
  it('is the environment\'s value, in ansible_ssh_private_key_file and in -o IdentityFile / -i; not in -F\'s file', () => {
    process.env.TEQLCTL_TEST_KEYS = '/srv/keys';
    try {
      const dir = writeCase({ 'inv.yml': inventoryOf('      ansible_host: 127.0.0.1\n      ansible_ssh_private_key_file: ${TEQLCTL_TEST_KEYS}/k\n      ansible_ssh_common_args: "-o IdentityFile=${TEQLCTL_TEST_KEYS}/k2 -i ${TEQLCTL_TEST_KEYS}/k3"\n'), 'pb.yml': PING });
      const spec = loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml')).inventory.hosts.get('h1')!.connection;
      expect([spec.privateKeyFile, spec.argIdentityFiles]).toEqual(['/srv/keys/k', ['/srv/keys/k2', '/srv/keys/k3']]);
    } finally {
      delete process.env.TEQLCTL_TEST_KEYS;
    }
  });

  it("a name of Object.prototype is no variable of the environment; -F's file is not expanded, as ssh does not", () => {
    const dir = writeCase({ 'inv.yml': inventoryOf('      ansible_host: 127.0.0.1\n      ansible_ssh_private_key_file: ${constructor}/k\n'), 'pb.yml': PING });
    expect(errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml'))).map((e) => e.message).join('\n')).toContain('names the environment variable ${constructor}, which is not set here');
    const f = writeCase({ 'inv.yml': inventoryOf('      ansible_host: 127.0.0.1\n      ansible_ssh_common_args: "-F ${TEQLCTL_TEST_UNSET}/cfg"\n'), 'pb.yml': PING });
    expect(errorsOf(() => loadRun(join(f, 'inv.yml'), join(f, 'pb.yml'))).map((e) => e.message).join('\n')).not.toContain('environment variable');
  });

  it('one not set is refused where it is written (it was read as a folder named ${HOME} beside the inventory)', () => {
    const dir = writeCase({ 'inv.yml': inventoryOf('      ansible_host: 127.0.0.1\n      ansible_ssh_private_key_file: ${TEQLCTL_TEST_UNSET}/k\n'), 'pb.yml': PING });
    const errors = errorsOf(() => loadRun(join(dir, 'inv.yml'), join(dir, 'pb.yml')));
    expect(errors.map((e) => `${e.pos?.line} ${e.message}`).join('\n')).toMatch(/^6 .*\$\{TEQLCTL_TEST_UNSET\}\/k names the environment variable \$\{TEQLCTL_TEST_UNSET\}, which is not set here \(ssh would refuse it\)/m);
  });
});

describe('an ansible_host read as a number', () => {
  it("says how to quote it in INI too, where shlex takes a value's outer quotes off ('127.1' is the float 127.1 there)", () => {
    const dir = writeCase({ hosts: "[g]\nr1 ansible_host='127.1'\n" });
    const [e] = errorsOf(() => loadInventory(join(dir, 'hosts')));
    expect(e!.message).toBe('ansible_host of host r1 must be a host name or address in text, got 127.1');
    expect(e!.hint).toBe(`quote it (YAML: ansible_host: "127.1"; an INI line: ansible_host="'127.1'", quotes inside quotes, as shlex takes the outer ones off)`);
  });
});

describe('another text variable read as a number (a review)', () => {
  it("ansible_user=1000 on an INI line: said as a number, with how to write it as text", () => {
    const dir = writeCase({ hosts: '[g]\nr1 ansible_host=10.0.0.1 ansible_user=1000\n' });
    const [e] = errorsOf(() => loadInventory(join(dir, 'hosts')));
    expect(e!.message).toBe('ansible_user of host r1 must be text, got 1000');
    expect(e!.hint).toBe(`write it as text (YAML: ansible_user: "1000"; an INI line: ansible_user="'1000'", quotes inside quotes, as shlex takes the outer ones off)`);
  });
});

describe("Ansible's other names for its ssh plugin and become methods", () => {
  it('ansible_connection smart (its default) or ansible.builtin.ssh, and ansible.builtin.sudo, community.general.doas, are taken as ssh, sudo and doas (they were refused, a review)', () => {
    const dir = writeCase({ hosts: '[g]\nr1 ansible_host=192.0.2.1 ansible_connection=smart ansible_become=true ansible_become_method=ansible.builtin.sudo\nr2 ansible_host=192.0.2.2 ansible_connection=ansible.builtin.ssh ansible_become=true ansible_become_method=community.general.doas\n' });
    const hosts = loadInventory(join(dir, 'hosts')).inventory.hosts;
    expect([hosts.get('r1')!.connection.becomeMethod, hosts.get('r2')!.connection.becomeMethod]).toEqual(['sudo', 'doas']);
  });

  it('others are refused as before, a name of Object.prototype too', () => {
    const dir = writeCase({ hosts: '[g]\nr1 ansible_host=192.0.2.1 ansible_connection=paramiko\nr2 ansible_host=192.0.2.2 ansible_become=true ansible_become_method=constructor\n' });
    const messages = errorsOf(() => loadInventory(join(dir, 'hosts'))).map((e) => e.message);
    expect(messages).toEqual([
      "ansible_connection of host r1 must be 'ssh' (teqlctl only connects over SSH), got \"paramiko\"",
      "ansible_become_method of host r2 must be 'sudo' or 'doas' (Alpine's default), got \"constructor\"",
    ]);
  });
});
