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
    // Its ansible_python_interpreter changes nothing teqlctl does: a note, not a refusal (ansible-vars.test.ts).
    expect(located.some((l) => l.includes('ansible_python_interpreter'))).toBe(false);
    expect(located).toEqual(expect.arrayContaining([
      expect.stringMatching(/switches\.yml:8:5: 'ansible_network_os' is not supported by teqlctl/),
      expect.stringMatching(/switches\.yml:7:5: ansible_connection/),
    ]));
  });
});

describe("a shared inventory's other bundles", () => {
  // A head office's inventory: the hub's bundle to branch1 runs today; branch2's addresses come by
  // -e on its own runs, and branch3's bundle is half-written. Ansible templates only the hosts it reaches.
  const fleet = (hosts: string) => writeCase({
    'hosts.yml': [
      'all:',
      '  hosts:',
      '    hub: { teql_peer: branch1, teql_slaves: [eth1, eth2], teql_address: 10.0.0.4/31, lan_network: 192.0.2.0/24 }',
      '    branch1: { teql_peer: hub, teql_slaves: [eth1, eth2], teql_address: 10.0.0.5/31, lan_network: 198.51.100.0/24 }',
      '    branch2: { teql_peer: branch3, teql_slaves: [eth1, eth2], teql_address: "{{ branch2_address }}", lan_network: 203.0.113.0/24 }',
      '    branch3: { teql_peer: branch2, teql_slaves: [eth1], teql_address: 10.0.1.5/31, lan_network: 203.0.113.128/25 }',
      '    branch4: { teql_peer: hub }',
      '',
    ].join('\n'),
    'playbook.yml': play(hosts),
  });

  it('a run of hub and branch1 loads: the problems of bundles it does not reach are theirs', () => {
    const dir = fleet('hub:branch1');
    const run = loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml'));
    expect(run.plays[0]!.hosts).toEqual(['hub', 'branch1']);
    expect(run.bundles.map((b) => b.name)).toContain('hub:teql0<->branch1:teql0');
  });

  it('a run that reaches them is refused, each problem said at its host', () => {
    const dir = fleet('branch2');
    const messages = errorsOf(() => loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml'))).map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining([
      expect.stringMatching(/^teql_address of host branch2: undefined variable: 'branch2_address'/),
    ]));
  });

  it("a branch naming a reached hub that does not name it back is the branch's problem, said when the branch runs", () => {
    const hub = fleet('hub');
    expect(loadRun(join(hub, 'hosts.yml'), join(hub, 'playbook.yml')).plays[0]!.hosts).toEqual(['hub']);
    const dir = fleet('branch4');
    const messages = errorsOf(() => loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml'))).map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/^teql_peer of host branch4 names hub, but hub does not name branch4 back/)]));
  });

  it('the pair checks of an unreached bundle are its own: branch2 with its address given bundles 2 links against 1', () => {
    const hub = fleet('hub');
    expect(loadRun(join(hub, 'hosts.yml'), join(hub, 'playbook.yml'), { extraVars: ['branch2_address=10.0.1.4/31'] }).plays[0]!.hosts).toEqual(['hub']);
    const dir = fleet('branch3');
    const messages = errorsOf(() => loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml'), { extraVars: ['branch2_address=10.0.1.4/31'] })).map((e) => e.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/branch2 bundles 2 links \(eth1, eth2\), branch3 1/)]));
  });
});
