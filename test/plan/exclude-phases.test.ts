// Left-out tasks (a failed or unselected bundle's) keep the phases' numbers: a hub must not apply a
// later phase's changes before the other hosts passed the checks in between.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { pristineFacts, task } from '../helpers/facts.js';

const tasks = [
  task({ module: 'link', args: { dev: 'eth1', state: 'up' } }, 'A1'),
  task({ module: 'ping', args: { to: '10.0.0.1', count: 3, timeout: 2 } }, 'ping A'),
  task({ module: 'link', args: { dev: 'eth2', state: 'up' } }, 'B1'),
  task({ module: 'ping', args: { to: '10.0.0.3', count: 3, timeout: 2 } }, 'ping B'),
  task({ module: 'link', args: { dev: 'lan0', state: 'up', mtu: 1400 } }, 'final'),
];

describe('planning with tasks left out', () => {
  it('keeps every phase where it was, left-out ones empty', () => {
    const all = planHost('h', tasks, pristineFacts()).plan.phases.map((p) => [p.changes.map((c) => c.task), p.checks.map((c) => c.task)]);
    const without = planHost('h', tasks, pristineFacts(), { exclude: (t) => t.name === 'B1' || t.name === 'ping B' }).plan.phases.map((p) => [p.changes.map((c) => c.task), p.checks.map((c) => c.task)]);
    expect(all).toEqual([[['A1'], ['ping A']], [['B1'], ['ping B']], [['final'], []]]);
    expect(without).toEqual([[['A1'], ['ping A']], [[], []], [['final'], []]]);
  });
});

describe('reverse-path filtering with tasks left out', () => {
  it('a left-out link is raised like any other when conf.all comes down for the kept ones', () => {
    const facts = pristineFacts();
    facts.sysctls = { ...facts.sysctls, 'net.ipv4.conf.all.rp_filter': '2', 'net.ipv4.conf.eth1.rp_filter': '0', 'net.ipv4.conf.eth2.rp_filter': '0' };
    const rp = (dev: string) => task({ module: 'sysctl', args: { name: `net.ipv4.conf.${dev}.rp_filter`, value: '0', state: 'present' } }, `rp ${dev}`);
    const changes = (exclude?: (t: { name: string }) => boolean) => planHost('h', [rp('eth1'), rp('eth2')], facts, exclude ? { exclude } : {}).plan.phases.flatMap((p) => p.changes.map((c) => `${c.resource}: ${c.before} -> ${c.after}`));
    expect(changes()).not.toContain('sysctl net.ipv4.conf.eth2.rp_filter: 0 -> 2');
    expect(changes((t) => t.name === 'rp eth2')).toContain('sysctl net.ipv4.conf.eth2.rp_filter: 0 -> 2');
    expect(changes((t) => t.name === 'rp eth2')).toContain('sysctl net.ipv4.conf.all.rp_filter: 2 -> 0');
  });
});
