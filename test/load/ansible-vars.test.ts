// ansible_* variables: the honoured ones reach the connection, the older ansible_ssh_* names too, and
// every other one is refused by name wherever it is set.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HONOURED_ANSIBLE_VARS } from '../../src/load/ansible-vars.js';
import { CONNECTION_VARS } from '../../src/load/connection.js';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const PLAY = '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.1 }\n';
const run = (inventory: string, more: Record<string, string> = {}, extraVars: string[] = [], playbook = PLAY) => {
  const dir = writeCase({ 'inventory.yml': inventory, 'playbook.yml': playbook, ...more });
  return { dir, load: () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { extraVars }) };
};
const host = (vars: string) => `all:\n  hosts:\n    r1:\n${vars.split('\n').map((l) => `      ${l}`).join('\n')}\n`;
const connection = (vars: string, extra: string[] = []) => run(host(vars), {}, extra).load().inventory.hosts.get('r1')!.connection;

describe('one list of honoured ansible_* variables', () => {
  it('the connection variables are that list (plus teqlctl_known_hosts_file)', () => {
    expect(CONNECTION_VARS).toEqual([...HONOURED_ANSIBLE_VARS, 'teqlctl_known_hosts_file']);
  });

  it('an unhonoured ansible_* variable is refused in host vars, group vars, group_vars/ and host_vars/ files, and play vars', () => {
    const inv = 'all:\n  vars:\n    ansible_shell_type: sh\n  children:\n    routers:\n      hosts:\n        r1:\n          ansible_become_flags: -H\n';
    const play = '- hosts: all\n  vars:\n    ansible_shell_executable: /bin/bash\n  tasks:\n    - ping: { to: 192.0.2.1 }\n';
    const { dir, load } = run(inv, { 'group_vars/routers.yml': 'x: 1\nansible_network_os: vyos\n', 'host_vars/r1.yml': 'ansible_timeout: 5\n' });
    const inventoryErrors = errorsOf(load).map((e) => e.located);
    expect(inventoryErrors).toEqual([
      `${join(dir, 'group_vars/routers.yml')}:2:1: 'ansible_network_os' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
      `${join(dir, 'host_vars/r1.yml')}:1:1: 'ansible_timeout' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
      `${join(dir, 'inventory.yml')}:3:5: 'ansible_shell_type' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
      `${join(dir, 'inventory.yml')}:8:11: 'ansible_become_flags' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
    ]);
    const p = run('all:\n  hosts:\n    r1:\n', {}, [], play);
    const playErrors = errorsOf(p.load);
    expect(playErrors.map((e) => e.located)).toEqual([`${join(p.dir, 'playbook.yml')}:3:5: 'ansible_shell_executable' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`]);
    expect(playErrors[0]!.exitCode).toBe(2);
  });

  it('with any -e too: the inventory file\'s own ansible_* and teqlctl_* names are refused as without it (a review: -e let them through)', () => {
    const inv = 'all:\n  vars:\n    ansible_ssh_timeout: 60\n  hosts:\n    r1:\n      ansible_ssh_args: -o ProxyJump=bastion\n      teqlctl_known_host_file: kh\n';
    const { dir, load } = run(inv, {}, ['teql_persist=false']);
    expect(errorsOf(load).map((e) => e.located)).toEqual([
      `${join(dir, 'inventory.yml')}:3:5: 'ansible_ssh_timeout' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
      `${join(dir, 'inventory.yml')}:6:7: 'ansible_ssh_args' is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
      `${join(dir, 'inventory.yml')}:7:7: 'teqlctl_known_host_file' is not a variable teqlctl reads (it would be ignored)`,
    ]);
  });

  it('-e ansible_user=1000 is the user "1000", as Ansible keeps every name=value as text (a review: refused as not text)', () => {
    expect(connection('ansible_host: 10.0.0.1', ['ansible_user=1000']).user).toBe('1000');
  });

  it('a password in play vars is refused too (it used to be ignored there)', () => {
    const p = run('all:\n  hosts:\n    r1:\n', {}, [], '- hosts: all\n  vars:\n    ansible_become_pass: x\n  tasks:\n    - ping: { to: 192.0.2.1 }\n');
    expect(errorsOf(p.load).map((e) => e.message)).toEqual(['ansible_become_pass in play vars: passwords are not supported']);
  });

  it('an unknown teqlctl_* variable, and a near miss of a bundle variable, are refused with what was meant', () => {
    const { dir, load } = run(host('teqlctl_known_host_file: /x\nteql_peers: r2'));
    const errors = errorsOf(load);
    expect(errors.map((e) => e.located)).toEqual([
      `${join(dir, 'inventory.yml')}:4:7: 'teqlctl_known_host_file' is not a variable teqlctl reads (it would be ignored)`,
      `${join(dir, 'inventory.yml')}:5:7: 'teql_peers' is not a variable teqlctl reads (it would be ignored)`,
    ]);
    expect(errors.map((e) => e.hint)).toEqual(["teqlctl's own variables are teqlctl_known_hosts_file", 'did you mean teql_peer?']);
    expect(errorsOf(run('all:\n  hosts:\n    r1:\n', {}, ['teql_bundle=[]']).load)[0]!.message).toContain("'teql_bundle' is not a variable teqlctl reads");
  });

  it('variables of other names are not concerned', () => {
    expect(() => run(host('ansible_host: 192.0.2.1\nmy_ansible_thing: 1\nansiblex: 2')).load()).not.toThrow();
  });
});

describe('the older ansible_ssh_* names', () => {
  it('ansible_ssh_host, ansible_ssh_port, ansible_ssh_user work as ansible_host, ansible_port, ansible_user', () => {
    expect(connection('ansible_ssh_host: 192.0.2.7\nansible_ssh_port: 2201\nansible_ssh_user: op')).toMatchObject({ host: '192.0.2.7', port: 2201, user: 'op' });
  });
  it('are checked as the new names are', () => {
    const { dir, load } = run(host('ansible_ssh_port: 70000\nansible_ssh_user: "-oProxyCommand=x"'));
    expect(errorsOf(load).map((e) => e.located)).toEqual([
      `${join(dir, 'inventory.yml')}:4:7: ansible_ssh_port of host r1 must be a port number 1..65535, got 70000`,
      `${join(dir, 'inventory.yml')}:5:7: ansible_ssh_user of host r1: '-oProxyCommand=x' starts with '-'`,
    ]);
  });
  it('both names with the same value are fine; with different values, refused', () => {
    expect(connection('ansible_user: op\nansible_ssh_user: op').user).toBe('op');
    const { dir, load } = run(host('ansible_port: 22\nansible_ssh_port: 2222'));
    expect(errorsOf(load).map((e) => e.located)).toEqual([`${join(dir, 'inventory.yml')}:5:7: host r1 has both ansible_port and its older name ansible_ssh_port, with different values`]);
  });
});

describe('a connection variable Ansible reads otherwise (YAML 1.1)', () => {
  it('is refused where it is written, in the inventory and in group_vars, naming both readings (a review: ansible_port: 010 was port 10, Ansible\'s 8, with a note only)', () => {
    const { dir, load } = run('all:\n  hosts:\n    r1:\n      ansible_port: 010\n    r2:\n  children:\n    g:\n      hosts:\n        r2:\n', { 'group_vars/g.yml': 'ansible_ssh_port: 0o26\nansible_user: 1_000\n' });
    const errors = errorsOf(load);
    expect(errors.map((e) => e.located)).toEqual([
      `${join(dir, 'group_vars/g.yml')}:1:1: ansible_ssh_port of host r2 is written \`0o26\`, which teqlctl (YAML 1.2) reads as 22 and Ansible (YAML 1.1) as the text "0o26": the two would connect otherwise`,
      `${join(dir, 'group_vars/g.yml')}:2:1: ansible_user of host r2 is written \`1_000\`, which teqlctl (YAML 1.2) reads as the text "1_000" and Ansible (YAML 1.1) as 1000: the two would connect otherwise`,
      `${join(dir, 'inventory.yml')}:4:7: ansible_port of host r1 is written \`010\`, which teqlctl (YAML 1.2) reads as 10 and Ansible (YAML 1.1) as 8: the two would connect otherwise`,
    ]);
    expect(errors.every((e) => e.exitCode === 2)).toBe(true);
    expect(errors[2]!.hint).toBe('write it so that both read the same: quoted for text (ansible_port: "010"), or the number as both read it');
  });

  it('through a merge key or a template that reads such a value: refused too, where the value is written (a review: both passed, port 10)', () => {
    const merged = run('all:\n  vars:\n    conn: &conn { ansible_port: 010 }\n  hosts:\n    r1:\n      <<: *conn\n');
    expect(errorsOf(merged.load).map((e) => e.located)).toEqual([expect.stringMatching(/inventory\.yml:6:7: ansible_port of host r1 is written `010`, which teqlctl \(YAML 1\.2\) reads as 10 and Ansible \(YAML 1\.1\) as 8/)]);
    const nested = run(host('conn: { port: 010, mac: 52:54:00:12:34:56 }\nansible_port: "{{ conn.port }}"\nansible_user: "u{{ conn[\'port\'] }}"'));
    expect(errorsOf(nested.load).map((e) => e.message)).toEqual([expect.stringContaining('ansible_port of host r1 (through conn.port) is written `010`'), expect.stringContaining('ansible_user of host r1 (through conn.port) is written `010`')]);
    // What the template does not read is not weighed: a MAC beside it (base 60 to YAML 1.1).
    expect(connection('conn: { port: 22, mac: 52:54:00:12:34:56 }\nansible_port: "{{ conn.port }}"').port).toBe(22);
    const templated = run(host('p: 010\nansible_port: "{{ p }}"'));
    expect(errorsOf(templated.load).map((e) => e.located)).toEqual([`${join(templated.dir, 'inventory.yml')}:4:7: ansible_port of host r1 (through p) is written \`010\`, which teqlctl (YAML 1.2) reads as 10 and Ansible (YAML 1.1) as 8: the two would connect otherwise`]);
  });

  it('quoted, or read alike by both, is taken', () => {
    expect(connection('ansible_port: "010"\nansible_user: "1_000"')).toMatchObject({ port: 10, user: '1_000' });
    expect(connection('ansible_port: 22').port).toBe(22);
  });
});

describe('ansible_ssh_common_args / ansible_ssh_extra_args', () => {
  it('map to the connection; ansible_port/user/key win over them; common args win over extra args', () => {
    const c = connection(`ansible_port: 2201\nansible_ssh_private_key_file: /k/inv\nansible_ssh_common_args: -o ProxyJump=admin@bastion -o Port=9 -o User=a -i /k/common -F /dev/null -o StrictHostKeyChecking=yes\nansible_ssh_extra_args: -o User=b -o ProxyJump=other -i k/extra`);
    expect(c).toMatchObject({ port: 2201, user: 'a', privateKeyFile: '/k/inv', argIdentityFiles: ['/k/common', expect.stringMatching(/\/k\/extra$/)], proxyJump: 'admin@bastion', strictHostKeys: true });
    expect(c.sshConfigFile).toBe('/dev/null');
    expect(connection('ansible_ssh_common_args: -o Port=9 -o User=a')).toMatchObject({ port: 9, user: 'a' });
    expect(connection('ansible_ssh_extra_args: -J none').proxyJump).toBe('none');
    // ssh(1): -F none reads no configuration file (it was taken for a file named none: a review).
    for (const none of ['none', 'NONE', 'None']) expect(connection(`ansible_ssh_common_args: -F ${none}`).sshConfigFile).toBe('/dev/null');
  });

  it('-F of a file that is not there, or is a folder, is refused at the variable before connecting (it failed at connect, the other hosts contacted)', () => {
    const { dir, load } = run(host('ansible_host: 10.0.0.1\nansible_ssh_common_args: -F nosuch.cfg'));
    expect(errorsOf(load).map((e) => e.located)).toEqual([`${join(dir, 'inventory.yml')}:5:7: ssh arguments of host r1: -F ${join(dir, 'nosuch.cfg')} does not exist`]);
    const folder = run(host('ansible_host: 10.0.0.1\nansible_ssh_extra_args: -F /tmp'));
    expect(errorsOf(folder.load).map((e) => e.located)).toEqual([`${join(folder.dir, 'inventory.yml')}:5:7: ssh arguments of host r1: -F /tmp is not a file (a folder, a pipe or a device)`]);
  });

  it('-e args win over the inventory', () => {
    expect(connection('ansible_ssh_common_args: -J a', ['ansible_ssh_common_args="-J b"']).proxyJump).toBe('b');
  });

  it('anything else is refused with exit 2, at the variable, with a hint', () => {
    const { dir, load } = run(host(`ansible_host: 10.0.0.1\nansible_ssh_common_args: '-o ProxyCommand="ssh -W %h:%p -q bastion"'`));
    const [e] = errorsOf(load);
    expect(e!.located).toBe(`${join(dir, 'inventory.yml')}:5:7: ansible_ssh_common_args of host r1: -o ProxyCommand is not supported`);
    expect(e!.hint).toBe('use -o ProxyJump=[user@]host[:port] (or -J) instead');
    expect(e!.exitCode).toBe(2);
    const nocheck = errorsOf(run(host('ansible_ssh_extra_args: -o StrictHostKeyChecking=no')).load);
    expect(nocheck.map((x) => x.message)).toEqual(['ansible_ssh_extra_args of host r1: StrictHostKeyChecking=no is not supported (only yes)']);
  });
});

describe('ansible_* variables only for how Ansible runs its modules', () => {
  it('an interpreter, pipelining or remote_tmp in a shared group_vars/all is a note, once per place, not a refusal (it stopped every run, and removing it broke Ansible\'s, a review)', () => {
    const dir = writeCase({
      'hosts.yml': 'all:\n  hosts:\n    r1: { ansible_host: 192.0.2.1 }\n    r2: { ansible_host: 192.0.2.2 }\n',
      'group_vars/all.yml': 'ansible_python_interpreter: /usr/bin/python3\nansible_pipelining: true\nansible_remote_tmp: /tmp/.ansible\n',
      'playbook.yml': '- hosts: all\n  tasks:\n    - ping: { to: 192.0.2.9 }\n',
    });
    const run = loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml'), { extraVars: ['ansible_ssh_pipelining=true'] });
    expect((run.notes ?? []).filter((n) => n.includes('changes nothing here'))).toEqual([
      expect.stringMatching(/^ansible_python_interpreter \(.*\) changes nothing here: teqlctl runs no interpreter on the router \(its scripts are POSIX sh\)$/),
      expect.stringMatching(/^ansible_pipelining \(.*\) changes nothing here: teqlctl always sends one script per round trip$/),
      expect.stringMatching(/^ansible_remote_tmp \(.*\) changes nothing here: teqlctl copies no module files to the router$/),
      expect.stringMatching(/^ansible_ssh_pipelining \(-e.*\) changes nothing here/),
    ]);
  });
});
