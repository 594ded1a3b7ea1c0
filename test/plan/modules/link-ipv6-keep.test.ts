// The kernel deletes a link's IPv6 addresses when it goes down (net.ipv6.conf.*.keep_addr_on_down
// 0, the default), and teqlctl reads no IPv6 addresses to put back. Found by
// bench/experiments/prior-states.ts: eth2 down with 2001:db8:12::1/64 before the run lost it when
// the rollback took eth2 down again. The undo of bringing a link up keeps them (rendered as
// test/apply/link-down-ipv6.test.ts checks).
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { pristineFacts, task } from '../../helpers/facts.js';
import { simulateAll } from '../../../src/plan/simulate.js';

const undoOf = (call: Parameters<typeof task>[0], facts = pristineFacts()) =>
  planHost('a', [task(call)], facts).plan.phases[0]!.changes.flatMap((c) => c.steps).flatMap((s) => s.undo);

describe('taking a link down again in an undo', () => {
  it('keeps its IPv6 addresses when the run brought it up (link task)', () => {
    expect(undoOf({ module: 'link', args: { dev: 'eth1', state: 'up' } })).toContainEqual({ kind: 'link', dev: 'eth1', up: false, keepAddresses: true });
  });

  it('keeps them when a task takes a link down (its undo, up again, could not put them back: a review)', () => {
    const up = simulateAll(pristineFacts(), [{ kind: 'link', dev: 'eth1', up: true }]);
    const ops = planHost('a', [task({ module: 'link', args: { dev: 'eth1', state: 'down' } })], up).plan.phases[0]!.changes.flatMap((c) => c.steps).map((s) => s.op);
    expect(ops).toContainEqual({ kind: 'link', dev: 'eth1', up: false, keepAddresses: true });
  });

  it('keeps them on an equalizer the run brought up (teql task)', () => {
    const undo = undoOf({ module: 'teql', args: { device: 'teql0', slaves: ['eth1'], state: 'present', replace: false } }, simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }]));
    expect(undo).toContainEqual({ kind: 'link', dev: 'teql0', up: false, keepAddresses: true });
  });
});

// Below 1280 the kernel takes IPv6 off a link (addresses, routes, every net.ipv6.conf setting),
// and raising the MTU again brings the defaults back, not what was there: no undo is exact.
describe('an MTU below IPv6 minimum of 1280', () => {
  const withIpv6 = (mtu: string) => ({ ...pristineFacts(), sysctls: { ...pristineFacts().sysctls, 'net.ipv6.conf.eth1.mtu': mtu } });

  it('is refused before any change on a link with IPv6, saying why and what to do', () => {
    expect(() => undoOf({ module: 'link', args: { dev: 'eth1', mtu: 1200 } }, withIpv6('1500'))).toThrow(/an MTU of 1200 on eth1 takes IPv6 off the link: the kernel drops its IPv6 addresses and settings below 1280, and no rollback could put them back/);
  });

  it('is planned where the link has no IPv6 (a kernel without it), and 1280 itself everywhere', () => {
    expect(undoOf({ module: 'link', args: { dev: 'eth1', mtu: 1200 } })).toContainEqual({ kind: 'link', dev: 'eth1', mtu: 1500 });
    // The IPv6 MTU goes back after the MTU (which sets it to 1500 as well): ops in the order they run.
    const undo = undoOf({ module: 'link', args: { dev: 'eth1', mtu: 1280 } }, withIpv6('1500')).filter((o) => o.kind === 'link' || o.kind === 'sysctl');
    expect(undo).toEqual([{ kind: 'link', dev: 'eth1', mtu: 1500 }, { kind: 'sysctl', name: 'net.ipv6.conf.eth1.mtu', value: '1500' }]);
  });
});
