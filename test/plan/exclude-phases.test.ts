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
