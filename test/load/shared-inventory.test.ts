// A shared inventory, as Ansible users keep one for everything: hosts outside the run (localhost with
// ansible_connection=local, a database group whose group_vars are vault-encrypted) do not stop a run
// of the routers, as they do not stop ansible-playbook; a run that reaches them is refused as before.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const VAULT = '$ANSIBLE_VAULT;1.1;AES256\n61626364\n';
const play = (hosts: string) => `- hosts: ${hosts}\n  tasks:\n    - ping: { to: 192.0.2.1 }\n`;
const shared = (hosts: string) => writeCase({
  hosts: '[local]\nlocalhost ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n\n[db]\ndb1 ansible_host=192.0.2.50\n\n[routers]\nr1 ansible_host=192.0.2.1\n',
  'group_vars/db/vault.yml': VAULT,
  'playbook.yml': play(hosts),
});

describe('a shared inventory', () => {
  it("a run of the routers loads; the other hosts' problems are theirs", () => {
    const dir = shared('routers');
    const run = loadRun(join(dir, 'hosts'), join(dir, 'playbook.yml'));
    expect(run.plays[0]!.hosts).toEqual(['r1']);
  });

  it('a run that reaches them is refused, naming each problem where it is', () => {
    const dir = shared('all');
    const messages = errorsOf(() => loadRun(join(dir, 'hosts'), join(dir, 'playbook.yml'))).map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/ansible_connection/),
      expect.stringMatching(/vault/i),
    ]));
  });

  it('--limit past them works as well', () => {
    const dir = shared('all');
    expect(loadRun(join(dir, 'hosts'), join(dir, 'playbook.yml'), { limit: ['routers'] }).plays[0]!.hosts).toEqual(['r1']);
  });

  it("a bundle's far end outside the play's hosts is reached: its broken host_vars stop the run, said at their place (not its stale values used, nor a bundle that names no one back)", () => {
    const dir = writeCase({
      'hosts.yml': 'all:\n  hosts:\n    router_a: { teql_peer: router_b }\n    router_b: { teql_address: 10.0.0.5/31 }\n',
      'host_vars/router_b.yml': 'teql_peer: router_a\nteql_address: 10.0.0.7/31\nbad: [unclosed\n',
      'playbook.yml': play('router_a'),
    });
    const errors = errorsOf(() => loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml')));
    const yaml = errors.find((e) => /^invalid YAML/.test(e.message));
    expect(yaml?.pos?.file).toBe(join(dir, 'host_vars/router_b.yml'));
  });
});


describe('a shared YAML inventory, as INI: a network team\'s switches beside the routers', () => {
  const yaml = (hosts: string) => writeCase({
    'inv/routers.yml': 'routers:\n  hosts:\n    r1:\n      ansible_host: 192.0.2.1\n',
    'inv/switches.yml': 'switches:\n  hosts:\n    sw1:\n      ansible_host: 192.0.2.50\n      ansible_python_interpreter: /usr/bin/python3\n  vars:\n    ansible_connection: ansible.netcommon.network_cli\n    ansible_network_os: cisco.ios.ios\n    ansible_become_method: enable\n',
    'playbook.yml': play(hosts),
  });

  it("a run of the routers loads: the switches' ansible_* variables are theirs (they stopped it, in YAML alone)", () => {
    const dir = yaml('routers');
    expect(loadRun(join(dir, 'inv'), join(dir, 'playbook.yml')).plays[0]!.hosts).toEqual(['r1']);
  });

  it('a run that reaches them is refused, at each variable\'s place', () => {
    const dir = yaml('all');
    const located = errorsOf(() => loadRun(join(dir, 'inv'), join(dir, 'playbook.yml'))).map((e) => e.located);
    expect(located).toEqual(expect.arrayContaining([
      expect.stringMatching(/switches\.yml:5:7: 'ansible_python_interpreter' is not supported by teqlctl/),
      expect.stringMatching(/switches\.yml:8:5: 'ansible_network_os' is not supported by teqlctl/),
      expect.stringMatching(/switches\.yml:7:5: ansible_connection/),
    ]));
  });
});
