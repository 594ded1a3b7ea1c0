// Two tasks of a host that want one thing two ways: the later would override the earlier on every
// run ("a second run changes nothing" broken). Refused at the later task, naming the earlier.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = `all:
  hosts:
    r1: { ansible_host: 127.0.0.1, ansible_port: 1, reorder: 30 }
    r2: { ansible_host: 127.0.0.1, ansible_port: 2, reorder: 40 }
`;

function load(tasks: string, hosts = 'all') {
  const dir = writeCase({ 'inventory.yml': INVENTORY, 'playbook.yml': `- hosts: ${hosts}\n  tasks:\n${tasks}` });
  return () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
}

describe('tasks that contradict each other', () => {
  it('a sysctl set to two values is refused at the later task, naming the earlier', () => {
    const errs = errorsOf(load('    - sysctl: { name: net.ipv4.ip_forward, value: 1 }\n    - { name: off, sysctl: { name: net.ipv4.ip_forward, value: 0 } }\n'));
    expect(errs.map((e) => e.message)).toEqual([expect.stringMatching(/^task "off" wants sysctl net\.ipv4\.ip_forward as 0, and task "sysctl" \(at .*playbook\.yml:3:51\) as 1: the later would override the earlier on every run \(hosts r1, r2\)$/)]);
    expect(errs[0]!.pos).toMatchObject({ line: 4 });
    expect(errs[0]!.hint).toBe('keep one of them, or make both ask the same');
  });

  it('a link up and down, or at two MTUs; one route by two gateways, or 0.0.0.0/0 and default by two', () => {
    const messages = errorsOf(load([
      '    - link: { dev: eth1, state: up, mtu: 1500 }',
      '    - link: { dev: eth1, state: down, mtu: 9000 }',
      '    - route: { to: 10.20.0.0/16, via: 10.0.0.5 }',
      '    - route: { to: 10.20.0.0/16, dev: eth2 }',
      '    - route: { to: 0.0.0.0/0, via: 10.0.0.5 }',
      '    - route: { to: default, via: 10.0.0.7 }',
      '',
    ].join('\n'), 'r1')).map((e) => e.message.replace(/ \(at [^)]*\)/, ''));
    expect(messages).toEqual([
      'task "link" wants link eth1 as down, and task "link" as up: the later would override the earlier on every run (host r1)',
      'task "link" wants the MTU of eth1 as 9000, and task "link" as 1500: the later would override the earlier on every run (host r1)',
      'task "route" wants the route to 10.20.0.0/16 (metric 0) as dev eth2, and task "route" as via 10.0.0.5: the later would override the earlier on every run (host r1)',
      'task "route" wants the route to default (metric 0) as via 10.0.0.7, and task "route" as via 10.0.0.5: the later would override the earlier on every run (host r1)',
    ]);
  });

  it('passes an equalizer over its links task by task (a teql task adds its slaves, detaches none), and a route by one gateway with or without its device', () => {
    expect(load([
      '    - { teql: { device: teql0, slaves: ["{{ item }}"] }, loop: [eth1, eth2] }',
      '    - teql: { device: teql0, slaves: [eth2, eth1] }',
      '    - route: { to: 10.20.0.0/16, via: 10.0.0.5 }',
      '    - route: { to: 10.20.0.0/16, via: 10.0.0.5, dev: teql0 }',
      '',
    ].join('\n'), 'r1')).not.toThrow();
  });

  it('passes the same thing asked twice, routes of other metrics, other hosts, and a teardown after a set', () => {
    expect(load([
      '    - sysctl: { name: net.ipv4.ip_forward, value: 1 }',
      '    - sysctl: { name: net.ipv4.ip_forward, value: "1" }',
      // As the kernel reads a value (and the planner compares it): spaces and tabs are one space.
      '    - sysctl: { name: net.ipv4.tcp_rmem, value: "4096\\t131072 6291456" }',
      '    - sysctl: { name: net.ipv4.tcp_rmem, value: " 4096 131072  6291456" }',
      '    - route: { to: 10.20.0.0/16, via: 10.0.0.5 }',
      '    - route: { to: 10.20.0.0/16, via: 10.0.0.1, metric: 10 }',
      '    - link: { dev: eth1, state: up }',
      '    - link: { dev: eth1, mtu: 1400 }',
      '    - sysctl: { name: net.ipv4.tcp_reordering, value: "{{ reorder }}" }',
      '    - sysctl: { name: net.ipv4.conf.eth1.rp_filter, value: 0 }',
      '    - sysctl: { name: net.ipv4.conf.eth1.rp_filter, state: absent }',
      '',
    ].join('\n'))).not.toThrow();
  });
});
