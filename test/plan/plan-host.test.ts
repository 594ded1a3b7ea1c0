import { describe, expect, it } from 'vitest';
import { alignBootPhases, planHost } from '../../src/plan/plan-host.js';
import { simulateAll } from '../../src/plan/simulate.js';
import { codelUs } from '../../src/plan/qdisc-restore.js';
import { diffState, isSameState } from '../../src/rollback/compare.js';
import { chapterTasks, pristineFacts, reachingPeer, task } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';
import type { HostPlan } from '../../src/plan/types.js';

const allOps = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op)));
const allUndo = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps)).reverse().flatMap((s) => s.undo);

describe('planHost on the chapter', () => {
  it('plans the whole recipe on a pristine router, in an order the kernel accepts', () => {
    const { plan } = planHost('router_a', chapterTasks(), pristineFacts());
    const resources = plan.phases[0]!.changes.map((c) => `${c.action} ${c.resource}`);
    expect(resources).toEqual([
      '~ link eth1',
      '~ link eth2',
      '+ module sch_teql',
      '+ root qdisc of eth1',
      '+ root qdisc of eth2',
      '~ link teql0',
      '+ address 10.0.0.0 on eth1',
      '+ address 10.0.0.2 on eth2',
      '+ address 10.0.0.4 on teql0',
      // all=2 dominates eth1's 0: the others below 2 are raised before all comes down
      // (default, lan0 and the new teql0 already hold 2).
      '~ sysctl net.ipv4.conf.eth0.rp_filter',
      '~ sysctl net.ipv4.conf.lo.rp_filter',
      '~ sysctl net.ipv4.conf.all.rp_filter',
      '+ route 198.51.100.0/24',
    ]);
    expect(plan.phases[0]!.checks.map((c) => c.to)).toEqual(['10.0.0.1', '10.0.0.5']);
  });

  it('plans nothing once the plan is applied (idempotence)', () => {
    const facts = pristineFacts();
    const { plan, expected } = planHost('router_a', chapterTasks(), facts);
    const applied = simulateAll(facts, allOps(plan));
    expect(diffState(expected, applied)).toEqual({ missing: [], extra: [] });
    const again = planHost('router_a', chapterTasks(), applied);
    expect(again.plan.phases.flatMap((p) => p.changes)).toEqual([]);
  });

  it('restores the snapshot when the inverses run in reverse order', () => {
    const facts = pristineFacts();
    const { plan } = planHost('router_a', chapterTasks(), facts);
    const applied = simulateAll(facts, allOps(plan));
    const restored = simulateAll(applied, allUndo(plan));
    expect(isSameState(diffState(facts, restored))).toBe(true);
  });

  it('applies only the rest on a router that already holds part of the recipe', () => {
    const facts = pristineFacts();
    const half = simulateAll(facts, [
      { kind: 'link', dev: 'eth1', up: true },
      { kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' },
    ]);
    const { plan } = planHost('router_a', chapterTasks(), half);
    const resources = plan.phases[0]!.changes.map((c) => c.resource);
    expect(resources).not.toContain('link eth1');
    expect(resources).not.toContain('address 10.0.0.0 on eth1');
    expect(resources).toContain('link eth2');
  });

  it('opens a new phase for changes after a ping barrier', () => {
    const tasks = [
      task({ module: 'link', args: { dev: 'eth1', state: 'up' } }),
      task({ module: 'ping', args: { to: '10.0.0.1', count: 1, timeout: 1 } }),
      task({ module: 'link', args: { dev: 'eth2', state: 'up' } }),
    ];
    const { plan } = planHost('a', tasks, pristineFacts());
    expect(plan.phases.map((p) => [p.changes.length, p.checks.length])).toEqual([[1, 1], [1, 0]]);
  });
});

describe('conflicts are refused before any change', () => {
  const refuse = (facts: Facts, tasks = chapterTasks()) => () => planHost('router_a', tasks, facts);

  it('a non-default root qdisc on a slave', () => {
    const f = pristineFacts();
    f.rootQdiscs = f.rootQdiscs.map((q) => (q.dev === 'eth2' ? { dev: 'eth2', kind: 'tbf', handle: '8001:', isDefault: false } : q));
    expect(refuse(f)).toThrow(/eth2 already has the root qdisc tbf.*/);
  });

  it('replaces it when the task allows, and the inverse restores it exactly (handle, kind, options)', () => {
    const f = pristineFacts();
    const fq = { dev: 'eth2', kind: 'fq_codel', handle: '8001:', isDefault: false, options: { limit: 2000, flows: 512, quantum: 1400, target: 7000, interval: 150000, memory_limit: 33554432, drop_batch: 64 }, detail: { qdiscs: ['qdisc fq_codel 8001: root limit 2000p flows 512 quantum 1400 target 7ms interval 150ms memory_limit 32Mb drop_batch 64'], classes: [], filters: [] } };
    f.rootQdiscs = f.rootQdiscs.map((q) => (q.dev === 'eth2' ? fq : q));
    const tasks = [task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: true } })];
    const { plan } = planHost('a', tasks, f);
    const change = plan.phases[0]!.changes.find((c) => c.resource === 'root qdisc of eth2')!;
    expect(change.action).toBe('~');
    const ARGS = ['qdisc', 'replace', 'dev', 'eth2', 'root', 'handle', '8001:', 'fq_codel', 'limit', '2000', 'flows', '512', 'quantum', '1400', 'memory_limit', '33554432', 'drop_batch', '64', 'target', '7001us', 'interval', '150001us', 'noecn'];
    expect(change.steps.map((s) => s.op.kind)).toEqual(['baseline-set', 'qdisc-root']);
    expect(change.steps[1]!.undo).toEqual([{ kind: 'qdisc-restore', dev: 'eth2', root: fq, args: ARGS }]);
    // Applying, then the inverse, gives the same state, details included, the record forgotten.
    const after = simulateAll(f, change.steps.map((s) => s.op));
    expect(after.baseline?.['qdisc:eth2']).toBe(JSON.stringify({ root: { dev: 'eth2', kind: 'fq_codel', handle: '8001:', options: fq.options }, args: ARGS }));
    const undone = simulateAll(after, change.steps.slice().reverse().flatMap((s) => s.undo));
    expect(diffState(f, undone)).toEqual({ missing: [], extra: [] });
    expect(undone.baseline?.['qdisc:eth2']).toBeUndefined();
    // The teardown (teql absent) rebuilds it from the record, then forgets it; a second teardown changes nothing.
    const converged = simulateAll(f, plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps.map((s) => s.op))));
    const absent = [task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'absent', replace: false } })];
    const down = planHost('a', absent, converged).plan.phases[0]!.changes.find((c) => c.resource === 'root qdisc of eth2')!;
    expect([down.action, down.after]).toEqual(['~', 'fq_codel (as before teqlctl)']);
    // Deleted, then added: after a reboot teql0 may hold the recorded handle, which a replace would only change (a review).
    expect(down.steps.map((s) => s.op)).toEqual([{ kind: 'qdisc-root-del', dev: 'eth2' }, { kind: 'qdisc-restore', dev: 'eth2', root: { dev: 'eth2', kind: 'fq_codel', handle: '8001:', isDefault: false, options: fq.options }, args: ['qdisc', 'add', ...ARGS.slice(2)] }, { kind: 'baseline-unset', key: 'qdisc:eth2' }]);
    expect(down.steps.flatMap((s) => s.undo)).toEqual([{ kind: 'qdisc-root', dev: 'eth2', qdisc: 'teql0', replace: false }, { kind: 'qdisc-root-del', dev: 'eth2' }, { kind: 'baseline-set', key: 'qdisc:eth2', value: converged.baseline!['qdisc:eth2'] }]);
    const torn = planHost('a', absent, converged).expected;
    expect(torn.rootQdiscs.find((q) => q.dev === 'eth2')).toMatchObject({ kind: 'fq_codel', handle: '8001:' });
    expect(planHost('a', absent, torn).plan.phases.flatMap((p) => p.changes)).toEqual([]);
    // A record teqlctl did not write (its arguments for another device) is said, not run.
    const forged = { ...converged, baseline: { ...converged.baseline, 'qdisc:eth2': JSON.stringify({ root: { dev: 'eth2', kind: 'fq_codel', handle: '8001:' }, args: ['qdisc', 'replace', 'dev', 'eth1', 'root', 'handle', '8001:', 'fq_codel'] }) } };
    expect(() => planHost('a', absent, forged)).toThrow(/the baseline's record qdisc:eth2 is not one teqlctl wrote/);
  });

  it("a replaced root's record left where the equalizer is no longer the root (a reboot without persist, a root changed by hand) is forgotten by the teardown: a later setup records what it replaces then (a review: an old fq_codel was built over the operator's later tbf)", () => {
    const f = pristineFacts();
    const fq = { dev: 'eth2', kind: 'fq_codel', handle: '8001:', isDefault: false, options: { limit: 2000 }, detail: { qdiscs: ['qdisc fq_codel 8001: root limit 2000p'], classes: [], filters: [] } };
    f.rootQdiscs = f.rootQdiscs.map((q) => (q.dev === 'eth2' ? fq : q));
    const present = [task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: true } })];
    const converged = planHost('a', present, f).expected;
    const tbf = { dev: 'eth2', kind: 'tbf', handle: '1:', isDefault: false };
    const byHand = { ...converged, rootQdiscs: converged.rootQdiscs.map((q) => (q.dev === 'eth2' ? tbf : q)) };
    const absent = [task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'absent', replace: false } })];
    const down = planHost('a', absent, byHand).plan.phases[0]!.changes.find((c) => c.resource === 'root qdisc of eth2')!;
    expect(down.steps.map((s) => s.op)).toEqual([{ kind: 'baseline-unset', key: 'qdisc:eth2' }]);
    expect(planHost('a', absent, byHand).expected.baseline?.['qdisc:eth2']).toBeUndefined();
  });

  it('refuses, before any change, to replace what it cannot restore exactly, saying why', () => {
    const withRoot = (root: object) => {
      const f = pristineFacts();
      f.rootQdiscs = f.rootQdiscs.map((q) => (q.dev === 'eth2' ? { dev: 'eth2', handle: '1:', isDefault: false, ...root } as typeof q : q));
      return f;
    };
    const tasks = [task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: true } })];
    expect(refuse(withRoot({ kind: 'sfq' }), tasks)).toThrow(/eth2's root qdisc sfq \(handle 1:\) cannot be restored exactly after replacing it: its options, classes and filters were not read/);
    const htb = { kind: 'htb', options: { r2q: 5, default: '0x20', direct_qlen: 1000 }, detail: { qdiscs: ['qdisc htb 1: root r2q 5 default 0x20 direct_qlen 1000'], classes: ['class htb 1:10 root prio 0 rate 5Mbit ceil 10Mbit burst 1600b cburst 1600b'], filters: ['filter parent 1: protocol ip pref 1 u32 chain 0'] } };
    expect(refuse(withRoot(htb), tasks)).toThrow(/it has 1 class\(es\), which tc shows as text only/);
    expect(refuse(withRoot({ ...htb, detail: { ...htb.detail, classes: [] } }), tasks)).toThrow(/it has filters, which cannot be rebuilt exactly/);
    const tbf = { kind: 'tbf', options: { rate: 125000, burst: '4Kb/1', mpu: 0, mtu: '1600b/1', lat: 400000, linklayer: 'ethernet' }, detail: { qdiscs: ['qdisc tbf 1: root rate 1Mbit burst 4Kb/1 mpu 0b peakrate 2Mbit mtu 1600b/1 mpu 0b lat 400ms linklayer ethernet'], classes: [], filters: [] } };
    expect(refuse(withRoot(tbf), tasks)).toThrow(/it has a peak rate, which `tc -j` does not show/);
  });

  it('an address of another subnet on the equalizer', () => {
    const f = simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }, { kind: 'addr-add', dev: 'teql0', cidr: '172.16.0.1/24' }]);
    expect(refuse(f)).toThrow(/teql0 already holds 172.16.0.1\/24/);
  });

  it('a module that cannot load', () => {
    const f = pristineFacts();
    f.teql = { loaded: false, available: false };
    expect(refuse(f)).toThrow(/sch_teql is not available/);
    // The fix, for the platforms teqlctl runs on.
    let hint = '';
    try {
      refuse(f)();
    } catch (err) {
      hint = (err as { hint?: string }).hint ?? '';
    }
    expect(hint).toMatch(/Debian: linux-image-amd64; Alpine: linux-lts; OpenWrt: opkg install kmod-sched/);
  });

  it('a slave MTU that an up teql0 would refuse', () => {
    const f = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'link', dev: 'teql0', up: true },
      { kind: 'link', dev: 'eth2', mtu: 1400 },
    ]);
    expect(refuse(f)).toThrow(/eth2 has MTU 1400, below teql0's 1500/);
  });

  it('the interface that carries the SSH session', () => {
    const tasks = [task({ module: 'link', args: { dev: 'eth0', state: 'down' } })];
    expect(refuse(pristineFacts(), tasks)).toThrow(/eth0, the interface that carries this SSH session/);
  });

  it('a route that would take over the SSH session', () => {
    const tasks = [task({ module: 'route', args: { to: '10.0.2.2/32', via: '10.0.0.5', state: 'present' } })];
    expect(refuse(reachingPeer(), tasks)).toThrow(/would carry the traffic of this SSH session/);
  });

  it('but a default route does not take over a session that rides a connected route', () => {
    const f = simulateAll(pristineFacts(), [{ kind: 'link', dev: 'eth1', up: true }, { kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' }]);
    const tasks = [task({ module: 'route', args: { to: 'default', via: '10.0.0.1', metric: 100, state: 'present' } })];
    expect(planHost('a', tasks, f).plan.phases[0]!.changes).toHaveLength(1);
  });

  it('a router managed over IPv6 may have its IPv4 default route changed; over IPv4-mapped IPv6 it may not', () => {
    const tasks = [task({ module: 'route', args: { to: 'default', via: '10.0.0.5', state: 'present' } })];
    const over = (clientIp: string) => ({ ...reachingPeer(), management: { clientIp, dev: 'eth0' } });
    expect(planHost('a', tasks, over('2001:db8::10')).plan.phases[0]!.changes).toHaveLength(1);
    expect(planHost('a', tasks, over('fe80::1')).plan.phases[0]!.changes).toHaveLength(1);
    const host = [task({ module: 'route', args: { to: '10.0.2.2/32', via: '10.0.0.5', state: 'present' } })];
    expect(refuse(over('::ffff:10.0.2.2'), host)).toThrow(/would carry the traffic of this SSH session/);
    expect(planHost('a', host, over('2001:db8::10')).plan.phases[0]!.changes).toHaveLength(1);
  });

  it('an interface that does not exist', () => {
    const tasks = [task({ module: 'link', args: { dev: 'eth9', state: 'up' } })];
    expect(refuse(pristineFacts(), tasks)).toThrow(/interface eth9 does not exist/);
  });
});

describe('several equalizers', () => {
  it('loads sch_teql once with max_equalizers for every device the play uses', () => {
    const tasks = [
      task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1'], state: 'present', replace: false } }),
      task({ module: 'teql', args: { device: 'teql1', slaves: ['eth2'], state: 'present', replace: false } }),
    ];
    const { plan, expected } = planHost('a', tasks, pristineFacts());
    const modprobes = plan.phases[0]!.changes.flatMap((c) => c.steps).filter((s) => s.op.kind === 'modprobe');
    expect(modprobes.map((s) => s.op)).toEqual([{ kind: 'modprobe', module: 'sch_teql', maxEqualizers: 2 }]);
    expect(expected.links.filter((l) => l.name.startsWith('teql')).map((l) => `${l.name}:${l.up}`)).toEqual(['teql0:true', 'teql1:true']);
  });
});

describe('alignBootPhases', () => {
  it('puts every boot phase after the last checks of any host', () => {
    const persisted = (t: ReturnType<typeof task>) => ({ ...t, persist: true });
    const a = planHost('a', [persisted(task({ module: 'link', args: { dev: 'eth1', state: 'up' } })), task({ module: 'ping', args: { to: '10.0.0.1', count: 1, timeout: 1 } }), persisted(task({ module: 'link', args: { dev: 'eth2', state: 'up' } })), task({ module: 'ping', args: { to: '10.0.0.3', count: 1, timeout: 1 } })], pristineFacts());
    const b = planHost('b', [persisted(task({ module: 'link', args: { dev: 'eth1', state: 'up' } })), task({ module: 'ping', args: { to: '10.0.0.0', count: 1, timeout: 1 } })], pristineFacts());
    expect(a.plan.phases.map((p) => Boolean(p.boot))).toEqual([false, false, true]);
    expect(b.plan.phases.map((p) => Boolean(p.boot))).toEqual([false, true]);
    const [a2, b2] = alignBootPhases([a, b]);
    expect(a2!.plan.phases.map((p) => Boolean(p.boot))).toEqual([false, false, true]);
    expect(b2!.plan.phases.map((p) => `${p.changes.length}/${p.checks.length}${p.boot ? ' boot' : ''}`)).toEqual(['1/1', '0/0', `${b.plan.phases[1]!.changes.length}/0 boot`]);
  });
});

describe('CoDel times given back to tc', () => {
  it('store the same kernel unit (1024 ns) that was read: 5ms shows as 4999us and goes back as 5000us', () => {
    const stored = (us: number) => Math.floor((us * 1000) / 1024);
    const shown = (units: number) => Math.floor((units * 1024) / 1000);
    expect(codelUs(4999)).toBe(5000);
    expect(codelUs(99999)).toBe(100000);
    for (const ms of [1, 5, 7, 10, 100, 150, 1000]) {
      const s = shown(stored(ms * 1000));
      expect(shown(stored(codelUs(s))), `${ms}ms`).toBe(s);
    }
  });
});
