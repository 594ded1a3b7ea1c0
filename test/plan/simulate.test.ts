import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { simulate, simulateAll } from '../../src/plan/simulate.js';
import { chapterTasks, pristineFacts } from '../helpers/facts.js';
import type { Op } from '../../src/plan/ops.js';

describe('simulateAll', () => {
  const facts = pristineFacts();
  const ops: Op[] = planHost('router_a', chapterTasks(), facts).plan.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op)));

  it('gives what the ops one at a time give, with one copy of the facts for the whole list', () => {
    expect(ops.length).toBeGreaterThan(10);
    expect(simulateAll(facts, ops)).toEqual(ops.reduce(simulate, facts));
  });

  it('leaves the facts it was given as they were', () => {
    const before = structuredClone(facts);
    simulateAll(facts, ops);
    expect(facts).toEqual(before);
  });

  it('leaves them as they were through every kind of change, boot files and baseline too', () => {
    const rich = {
      ...pristineFacts(),
      boot: { files: [{ path: '/etc/teqlctl/a', content: 'x' }], networkd: {}, ifupdown: [] },
      baseline: { 'sysctl:net.ipv4.conf.eth1.rp_filter': '2' },
    };
    const before = structuredClone(rich);
    const every: Op[] = [
      ...ops,
      { kind: 'link', dev: 'eth1', up: false, mtu: 1400 },
      { kind: 'file-write', path: '/etc/teqlctl/b', content: 'y', executable: false },
      { kind: 'file-remove', path: '/etc/teqlctl/a' },
      { kind: 'symlink', path: '/etc/teqlctl/c', target: '/etc/teqlctl/b' },
      { kind: 'baseline-set', key: 'link:eth1', value: 'down mtu 1500' },
      { kind: 'baseline-unset', key: 'sysctl:net.ipv4.conf.eth1.rp_filter' },
    ];
    const after = simulateAll(rich, every);
    expect(rich).toEqual(before);
    expect(after.boot?.files.map((f) => f.path)).toEqual(['/etc/teqlctl/b', '/etc/teqlctl/c']);
    expect(after.baseline).toMatchObject({ 'link:eth1': 'down mtu 1500' });
    expect(after.baseline).not.toHaveProperty(['sysctl:net.ipv4.conf.eth1.rp_filter']);
    expect(after.links.find((l) => l.name === 'eth1')).toMatchObject({ up: false, mtu: 1400 });
    expect(simulateAll(rich, [])).toBe(rich);
  });

  it('shares nothing with the ops: a restored root qdisc is a copy', () => {
    const root = { dev: 'eth1', kind: 'fq_codel', handle: '0:', isDefault: true };
    const after = simulateAll(facts, [{ kind: 'qdisc-restore', dev: 'eth1', root, args: [] } as unknown as Op]);
    const restored = after.rootQdiscs.find((q) => q.dev === 'eth1');
    expect(restored).toEqual(root);
    expect(restored).not.toBe(root);
  });
});
