// The kernel copies a write to conf.default onto every interface whose value was never written
// (devinet_copy_dflt_conf). Raising default, so that interfaces made later keep what `all` gave
// them, raised the slaves that inherited theirs too, while the plan saw them unchanged and wrote
// nothing: strict filtering on the slaves, and every such run failed its checks (a review; all=1
// over the kernel's default=0). The slaves are written as they are before default is raised.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { simulateAll } from '../../src/plan/simulate.js';
import { chapterTasks, pristineFacts } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';
import type { HostPlan } from '../../src/plan/types.js';

const hardened = (): Facts => ({ ...pristineFacts(), sysctls: { ...pristineFacts().sysctls, 'net.ipv4.conf.all.rp_filter': '1', 'net.ipv4.conf.default.rp_filter': '0', 'net.ipv4.conf.lan0.rp_filter': '0' } });
const writes = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op))).flatMap((op) => (op.kind === 'sysctl' && op.name.endsWith('.rp_filter') ? [`${op.name.split('.')[3]}=${op.value}`] : []));

describe('rp_filter: conf.default raised while all comes down', () => {
  it('writes every slave the play wants low as it is before default, so the kernel keeps it; then default, the others, all', () => {
    const { plan } = planHost('router_a', chapterTasks(), hardened());
    expect(writes(plan)).toEqual(['eth1=0', 'eth2=0', 'default=1', 'eth0=1', 'lan0=1', 'lo=1', 'teql0=1', 'all=0']);
    const pin = plan.phases[0]!.changes.find((c) => c.resource === 'sysctl net.ipv4.conf.eth1.rp_filter')!;
    expect(pin.reason).toContain('written as it is before conf.default is raised to 1: the kernel copies default onto every interface whose value was never written, and eth1 would be raised with it');
  });

  it('plans nothing once applied, and nothing extra where default is not raised (it holds what all holds)', () => {
    const facts = hardened();
    const { plan, expected } = planHost('router_a', chapterTasks(), facts);
    const again = planHost('router_a', chapterTasks(), simulateAll(facts, plan.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op)))));
    expect(again.plan.phases.flatMap((ph) => ph.changes)).toEqual([]);
    expect(expected.sysctls['net.ipv4.conf.eth1.rp_filter']).toBe('0');
    expect(writes(planHost('router_a', chapterTasks(), pristineFacts()).plan)).toEqual(['eth0=2', 'lo=2', 'all=0']);
  });
});
