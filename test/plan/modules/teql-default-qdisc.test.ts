// A slave's root that the kernel made is put back by `tc qdisc del root`, which gives the default
// the kernel attaches now: not what the link had where net.core.default_qdisc changed since it came
// up, nor a multi-queue NIC's per-queue qdiscs set by hand (a review of undo fidelity). Refused
// before any change; a root the kernel would give back the same is planned as before.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { parseRootQdiscs } from '../../../src/gather/parse-facts.js';
import { sysctlNames } from '../../../src/plan/facts-needed.js';
import { pristineFacts, task } from '../../helpers/facts.js';
import { refusal } from '../../helpers/refusal.js';
import type { Facts, RootQdiscFact } from '../../../src/gather/facts.js';

const teql = task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: false } }, 'equalize');
const up = (roots: RootQdiscFact[], defaultQdisc?: string): Facts => {
  const f = pristineFacts();
  return {
    ...f,
    links: f.links.map((l) => (l.name === 'eth1' || l.name === 'eth2' ? { ...l, up: true, operstate: 'UP' } : l)),
    rootQdiscs: [...f.rootQdiscs.filter((q) => q.dev !== 'eth1' && q.dev !== 'eth2'), ...roots],
    sysctls: { ...f.sysctls, ...(defaultQdisc ? { 'net.core.default_qdisc': defaultQdisc } : {}) },
  };
};
const kernels = (kind: string, children?: string[]): RootQdiscFact[] => ['eth1', 'eth2'].map((dev) => ({ dev, kind, handle: '0:', isDefault: true, ...(children ? { children } : {}) }));

describe('a slave whose root qdisc is the kernel\'s default', () => {
  it('the facts read net.core.default_qdisc for a teql task', () => {
    expect(sysctlNames([teql])).toContain('net.core.default_qdisc');
  });

  it('from an earlier net.core.default_qdisc: refused, naming both and the ways out', () => {
    const err = refusal(() => planHost('a', [teql], up(kernels('fq_codel'), 'fq')));
    expect(err.message).toContain("eth1's qdisc fq_codel is not the one the kernel attaches now (net.core.default_qdisc is fq): the undo (tc qdisc del root) would give eth1 fq, not what it has");
    expect(err.hint).toBe('give eth1 today\'s default first (tc qdisc del dev eth1 root), or equalize other links');
    // A multi-queue NIC: mq over per-queue qdiscs of the earlier default.
    expect(refusal(() => planHost('a', [teql], up(kernels('mq', ['pfifo_fast', 'pfifo_fast']), 'fq_codel'))).message).toContain("eth1's qdisc pfifo_fast is not the one the kernel attaches now");
  });

  it('what the kernel would give back the same is planned: today\'s default, mq over it, noqueue, a link down (noop), the sysctl not read', () => {
    for (const facts of [up(kernels('fq'), 'fq'), up(kernels('mq', ['fq_codel', 'fq_codel']), 'fq_codel'), up(kernels('noqueue'), 'fq'), up(kernels('fq_codel'))]) {
      expect(planHost('a', [teql], facts).plan.phases[0]!.changes.map((c) => c.resource)).toContain('root qdisc of eth1');
    }
    const down = { ...up(kernels('noop'), 'fq'), links: pristineFacts().links };
    expect(planHost('a', [teql], down).plan.phases[0]!.changes.map((c) => c.resource)).toContain('root qdisc of eth2');
  });

  it('an mq whose per-queue qdiscs were set by hand is no default: refused, with replace too, naming them', () => {
    const json = [
      { kind: 'mq', handle: '0:', root: true, dev: 'eth1', options: {} },
      { kind: 'fq', handle: '8001:', parent: ':1', dev: 'eth1', options: {} },
      { kind: 'fq_codel', handle: '0:', parent: ':2', dev: 'eth1', options: {} },
      { kind: 'ingress', handle: 'ffff:', parent: 'ffff:fff1', dev: 'eth1', options: {} },
      { kind: 'mq', handle: '0:', root: true, dev: 'eth2', options: {} },
      { kind: 'fq_codel', handle: '0:', parent: ':1', dev: 'eth2', options: {} },
    ];
    const roots = parseRootQdiscs(json);
    expect(roots.map((q) => [q.dev, q.isDefault, q.children])).toEqual([['eth1', false, ['fq', 'fq_codel']], ['eth2', true, ['fq_codel']]]);
    const err = refusal(() => planHost('a', [teql], up(roots, 'fq_codel')));
    expect(err.message).toContain("eth1's mq has qdiscs set by hand under it (fq, fq_codel), which teqlctl does not read and could not put back");
    expect(err.hint).toBe("remove them if they may go (tc qdisc del dev eth1 root gives the kernel's default back), or equalize other links");
    const replacing = task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: true } }, 'equalize');
    expect(refusal(() => planHost('a', [replacing], up(roots, 'fq_codel'))).message).toContain("eth1's mq has qdiscs set by hand under it");
  });
});
