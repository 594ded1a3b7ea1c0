// A first apply refused as stale is sent again only where the router's new facts plan exactly what
// was approved (play/stale-replan.ts): what counts as the same plan.
import { describe, expect, it } from 'vitest';
import { alignBootPhases, planHost } from '../../src/plan/plan-host.js';
import { planDifference, samePlan } from '../../src/plan/same-plan.js';
import { chapterTasks, pristineFacts, task } from '../helpers/facts.js';

const plan = (facts = pristineFacts()) => planHost('h', chapterTasks(), facts).plan;

describe('the same plan', () => {
  it('from the same facts, and from facts changed on a link no task names', () => {
    expect(samePlan(plan(), plan())).toBe(true);
    const facts = pristineFacts();
    facts.addresses.push({ dev: 'lan0', cidr: '203.0.113.7/24', local: '203.0.113.7', prefixlen: 24 } as never);
    expect(samePlan(plan(), plan(facts))).toBe(true);
  });

  it('not where a step, an undo or a check differs', () => {
    const a = plan();
    const step = structuredClone(a);
    const change = step.phases.flatMap((p) => p.changes)[0]!;
    change.steps[0]!.undo = [];
    expect(samePlan(a, step)).toBe(false);
    const before = structuredClone(a);
    before.phases.flatMap((p) => p.changes)[0]!.before = 'something else';
    expect(samePlan(a, before)).toBe(false);
    const check = structuredClone(a);
    check.phases.find((p) => p.checks.length > 0)!.checks.pop();
    expect(samePlan(a, check)).toBe(false);
    const moved = structuredClone(a);
    moved.phases.splice(0, 0, { changes: [], checks: [] });
    expect(samePlan(a, moved)).toBe(false);
    expect(samePlan(a, { ...a, warnings: ['networkd manages eth1'] })).toBe(false);
  });

  it('the empty phases that line a boot phase up with another host\'s are not a difference', () => {
    const persisted = (t: ReturnType<typeof task>) => ({ ...t, persist: true });
    const link = (dev: string) => persisted(task({ module: 'link', args: { dev, state: 'up' } }));
    const ping = (to: string) => task({ module: 'ping', args: { to, count: 1, timeout: 1 } });
    const b = planHost('b', [link('eth1'), ping('10.0.0.0')], pristineFacts());
    const a = planHost('a', [link('eth1'), ping('10.0.0.1'), link('eth2'), ping('10.0.0.3')], pristineFacts());
    const [, aligned] = alignBootPhases([a, b]);
    expect(aligned!.plan.phases.map((p) => `${p.changes.length}/${p.checks.length}${p.boot ? ' boot' : ''}`)).toEqual(['1/1', '0/0', `${b.plan.phases[1]!.changes.length}/0 boot`]);
    expect(samePlan(aligned!.plan, b.plan)).toBe(true);
    // The boot phase itself is compared.
    expect(samePlan(aligned!.plan, { ...b.plan, phases: b.plan.phases.filter((p) => !p.boot) })).toBe(false);
  });

  it('from the phase of the host\'s first apply: an earlier phase\'s checks (run already) are not compared, a change planned now in one is a difference', () => {
    const ping = (to: string) => task({ module: 'ping', args: { to, count: 1, timeout: 1 } });
    const link = (dev: string) => task({ module: 'link', args: { dev, state: 'up' } });
    const plan = (tasks: ReturnType<typeof task>[], facts = pristineFacts()) => planHost('h', tasks, facts).plan;
    // Phase 0 only checks here (a hub's bundle failed there since: its check is left out of a new plan).
    const approved = plan([ping('10.0.0.1'), ping('10.0.0.9'), link('eth2'), ping('10.0.0.3')]);
    const now = plan([ping('10.0.0.1'), link('eth2'), ping('10.0.0.3')]);
    expect(approved.phases[0]!.changes).toEqual([]);
    expect(samePlan(approved, now)).toBe(false);
    expect(samePlan(approved, now, 1)).toBe(true);
    // A change the new facts plan in phase 0 would never be applied: not the same.
    const down = pristineFacts();
    down.links = down.links.map((l) => (l.name === 'eth1' ? { ...l, up: false } : l));
    const withLink = [link('eth1'), ping('10.0.0.1'), link('eth2'), ping('10.0.0.3')];
    const eth1Up = pristineFacts();
    eth1Up.links = eth1Up.links.map((l) => (l.name === 'eth1' ? { ...l, up: true } : l));
    expect(plan(withLink, eth1Up).phases[0]!.changes).toEqual([]);
    expect(plan(withLink, down).phases[0]!.changes).not.toEqual([]);
    expect(samePlan(plan(withLink, eth1Up), plan(withLink, down), 1)).toBe(false);
  });

  it('says what differs by the changes\' resources: approved and not planned so now, planned now and not approved', () => {
    const a = plan();
    const held = structuredClone(a);
    const first = held.phases.flatMap((p) => p.changes)[0]!;
    held.phases = held.phases.map((p) => ({ ...p, changes: p.changes.filter((c) => c !== first) }));
    expect(planDifference(a, held)).toBe(`approved, not planned so now: ${first.resource}`);
    expect(planDifference(held, a)).toBe(`planned now, not approved: ${first.resource}`);
    const check = structuredClone(a);
    check.phases.find((p) => p.checks.length > 0)!.checks.pop();
    expect(planDifference(a, check)).toBe('its checks or warnings differ');
  });
});
