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

  it('shares nothing with the ops: a restored root qdisc is a copy', () => {
    const root = { dev: 'eth1', kind: 'fq_codel', handle: '0:', isDefault: true };
    const after = simulateAll(facts, [{ kind: 'qdisc-restore', dev: 'eth1', root, args: [] } as unknown as Op]);
    const restored = after.rootQdiscs.find((q) => q.dev === 'eth1');
    expect(restored).toEqual(root);
    expect(restored).not.toBe(root);
  });
});
