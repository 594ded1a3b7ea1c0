// Pure: forwarding, which the kernel copies onto every interface, in the boot script and in a play.
import { describe, expect, it } from 'vitest';
import { bootModel } from '../../src/plan/persist/boot-model.js';
import { planHost } from '../../src/plan/plan-host.js';
import { pristineFacts, task } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';

const facts = (): Facts => ({ ...pristineFacts(), sysctls: { ...pristineFacts().sysctls, 'net.ipv4.ip_forward': '0', 'net.ipv4.conf.all.forwarding': '0', 'net.ipv4.conf.eth0.forwarding': '0', 'net.ipv4.conf.eth1.forwarding': '0' } });
const sysctl = (name: string, value: string) => task({ module: 'sysctl', args: { name, value, state: 'present' } }, `${name}=${value}`);

describe('the boot script\'s sysctls', () => {
  it('writes forwarding\'s global before any interface\'s value, which it would overwrite (eth0 sorted first)', () => {
    const tasks = [sysctl('net.ipv4.ip_forward', '1'), sysctl('net.ipv4.conf.eth0.forwarding', '0')].map((t) => ({ ...t, persist: true }));
    const names = bootModel('r', tasks, facts()).sysctls.map(([n]) => n);
    expect(names.indexOf('net.ipv4.ip_forward')).toBeLessThan(names.indexOf('net.ipv4.conf.eth0.forwarding'));
  });
});

describe('an interface\'s forwarding set before a later global write', () => {
  it('is refused before any change, naming the task to put first: the run would leave it overwritten, and every run change it again', () => {
    expect(() => planHost('r', [sysctl('net.ipv4.conf.eth1.forwarding', '0'), sysctl('net.ipv4.ip_forward', '1')], { ...facts(), sysctls: { ...facts().sysctls, 'net.ipv4.conf.eth1.forwarding': '1' } }, { persistence: false }))
      .toThrow(/net\.ipv4\.conf\.eth1\.forwarding is set to 0, and a later task's net\.ipv4\.ip_forward or net\.ipv4\.conf\.all\.forwarding sets it to 1/);
  });

  it('after the global, it is planned and holds', () => {
    const planned = planHost('r', [sysctl('net.ipv4.ip_forward', '1'), sysctl('net.ipv4.conf.eth1.forwarding', '0')], facts(), { persistence: false });
    expect(planned.plan.phases.flatMap((p) => p.changes.map((c) => `${c.resource}: ${c.before} -> ${c.after}`))).toEqual([
      'sysctl net.ipv4.ip_forward: 0 -> 1',
      'sysctl net.ipv4.conf.eth1.forwarding: 1 -> 0',
    ]);
  });
});
