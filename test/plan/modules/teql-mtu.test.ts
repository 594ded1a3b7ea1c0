// sch_teql gives an equalizer the smallest MTU of its slaves when one attaches and when it comes up
// (teql_qdisc_init, teql_master_open), and detaching them leaves it so. Found by
// bench/experiments/prior-states.ts: with sch_teql loaded before the run (teql0 at 1500) and slaves
// at 1400, a failed run left teql0 at 1400. The undo puts the MTU back once the slaves are gone.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { diffState } from '../../../src/rollback/compare.js';
import { pristineFacts, task } from '../../helpers/facts.js';
import type { Facts } from '../../../src/gather/facts.js';

const teql = task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'present', replace: false } }, 'equalize');

function roundTrip(before: Facts, tasks = [teql]) {
  const changes = planHost('a', tasks, before).plan.phases[0]!.changes;
  const after = simulateAll(before, changes.flatMap((c) => c.steps.map((s) => s.op)));
  const undone = simulateAll(after, changes.flatMap((c) => c.steps).reverse().flatMap((s) => s.undo));
  return { after, undone };
}

describe("an equalizer's MTU, which the kernel takes from its slaves", () => {
  it('follows the smallest slave when the slaves attach (the kernel does so)', () => {
    const before = simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }, { kind: 'link', dev: 'eth1', mtu: 1400 }]);
    const { after } = roundTrip(before);
    expect(after.links.find((l) => l.name === 'teql0')!.mtu).toBe(1400);
  });

  it('is put back by the undo when sch_teql was loaded before the run', () => {
    const before = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'link', dev: 'eth1', mtu: 1400 },
      { kind: 'link', dev: 'eth2', mtu: 1400 },
    ]);
    const { undone } = roundTrip(before);
    expect(diffState(before, undone)).toEqual({ missing: [], extra: [] });
    expect(undone.links.find((l) => l.name === 'teql0')!.mtu).toBe(1500);
  });

  it('is put back where the slaves were attached before and only the device comes up', () => {
    const before = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'qdisc-root', dev: 'eth2', qdisc: 'teql0', replace: false },
      { kind: 'link', dev: 'teql0', mtu: 1400 }, // below the slaves' 1500: allowed; opening sets 1500
    ]);
    const { after, undone } = roundTrip(before);
    expect(after.links.find((l) => l.name === 'teql0')!.up).toBe(true);
    expect(diffState(before, undone)).toEqual({ missing: [], extra: [] });
  });

  // Slaves attached before the run stay attached through the undo, and the kernel refuses an
  // equalizer MTU above an attached slave's (teql_master_mtu): with the MTU put back in the teql
  // task's undo, before the link task's undo raised eth1 again, the rollback failed (EINVAL).
  it("is put back after the undo of a kept slave's MTU that the same run lowered", () => {
    const before = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'qdisc-root', dev: 'eth2', qdisc: 'teql0', replace: false },
    ]);
    const lower = task({ module: 'link', args: { dev: 'eth1', mtu: 1400 } }, 'smaller frames');
    const { after, undone } = roundTrip(before, [lower, teql]);
    expect(after.links.find((l) => l.name === 'teql0')).toMatchObject({ up: true, mtu: 1400 });
    expect(diffState(before, undone)).toEqual({ missing: [], extra: [] });
    expect(undone.links.find((l) => l.name === 'teql0')!.mtu).toBe(1500);
  });

  it('refuses, before any change, a run whose undo could not give the equalizer its MTU back', () => {
    const before = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'link', dev: 'eth1', mtu: 1400 }, // lowered once attached: the kernel leaves teql0 at 1500
    ]);
    expect(() => planHost('a', [teql], before)).toThrow(/teql0 has MTU 1500, above its slave eth1's 1400: the run would change it, and a rollback could not put 1500 back/);
  });

  it('plans such an equalizer when the run leaves its MTU as it is (already up)', () => {
    const before = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'link', dev: 'teql0', up: true },
      { kind: 'link', dev: 'eth2', mtu: 1600 },
      { kind: 'link', dev: 'eth1', mtu: 1400 },
    ]);
    const { after, undone } = roundTrip(before);
    expect(after.rootQdiscs.filter((q) => q.kind === 'teql0').map((q) => q.dev).sort()).toEqual(['eth1', 'eth2']);
    expect(diffState(before, undone)).toEqual({ missing: [], extra: [] });
  });

  // sch_teql sets the equalizer's MTU without telling IPv6, and bringing it up makes addrconf catch
  // up (NETDEV_UP): from prior-states.ts (seed 21, trial 4), teql0 at 9000 from its first slave
  // kept net.ipv6.conf.teql0.mtu = 1500 until the run, and 9000 after its rollback.
  const withIpv6Mtu = (f: Facts, values: Record<string, string>): Facts => ({ ...f, sysctls: { ...f.sysctls, ...Object.fromEntries(Object.entries(values).map(([dev, v]) => [`net.ipv6.conf.${dev}.mtu`, v])) } });

  it("puts back the IPv6 MTU that bringing the equalizer up changed", () => {
    const before = withIpv6Mtu(simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'link', dev: 'eth1', mtu: 9000 },
      { kind: 'link', dev: 'eth2', mtu: 9000 },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
    ]), { teql0: '1500' });
    const { after, undone } = roundTrip(before);
    expect(after.sysctls['net.ipv6.conf.teql0.mtu']).toBe('9000');
    expect(diffState(before, undone)).toEqual({ missing: [], extra: [] });
    expect(undone.sysctls['net.ipv6.conf.teql0.mtu']).toBe('1500');
  });

  it('refuses an equalizer whose IPv6 MTU is above its MTU, which no rollback could put back', () => {
    const before = withIpv6Mtu(simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }, { kind: 'link', dev: 'eth1', mtu: 1400 }]), { teql0: '1500' });
    const low = simulateAll(before, [{ kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false }]);
    expect(() => planHost('a', [teql], low)).toThrow(/teql0's IPv6 MTU is 1500, above its MTU 1400 \(sch_teql lowered it without telling IPv6\): bringing it up sets 1400, and a rollback could not put 1500 back/);
  });

  it("puts back a slave's own lower IPv6 MTU after the run changed the slave's MTU and brought it up", () => {
    const lower = task({ module: 'link', args: { dev: 'eth1', state: 'up', mtu: 1600 } }, 'links up');
    const before = withIpv6Mtu(simulateAll(pristineFacts(), [{ kind: 'link', dev: 'eth1', up: false }]), { eth1: '1280' });
    const { after, undone } = roundTrip(before, [lower]);
    expect(after.sysctls['net.ipv6.conf.eth1.mtu']).toBe('1600');
    expect(diffState(before, undone)).toEqual({ missing: [], extra: [] });
  });

  // From a review: a hub's replan starts from facts read after part of the run; the kept slave's
  // MTU the run lowered is no reason to refuse, and its journaled change carries the restore.
  it("adds no refusal and no second restore in a replan after the kept slave's MTU was applied", () => {
    const before = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'qdisc-root', dev: 'eth2', qdisc: 'teql0', replace: false },
    ]);
    const lower = task({ module: 'link', args: { dev: 'eth1', mtu: 1400 } }, 'smaller frames');
    const first = planHost('a', [lower, teql], before).plan.phases[0]!.changes;
    const journaled = first.find((c) => c.resource === 'link eth1')!;
    const now = simulateAll(before, journaled.steps.map((s) => s.op));
    const replan = planHost('a', [lower, teql], now, { runBefore: before }).plan.phases[0]!.changes;
    expect(replan.map((c) => c.resource)).toEqual(['link teql0']);
    expect(replan.flatMap((c) => c.steps).flatMap((s) => s.undo).filter((o) => o.kind === 'link' && o.mtu !== undefined)).toEqual([]);
    // The whole undo, in the order a rollback runs it (the replan's, then the journaled change's).
    const after = simulateAll(now, replan.flatMap((c) => c.steps.map((s) => s.op)));
    const undo = [...replan, journaled].flatMap((c) => c.steps).reverse().flatMap((s) => s.undo);
    expect(diffState(before, simulateAll(after, undo))).toEqual({ missing: [], extra: [] });
  });

  it("puts the restore in the undo of the kept slave's MTU step itself, not of a baseline record journaled ahead", () => {
    const before = simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }, { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false }]);
    const lower = task({ module: 'link', args: { dev: 'eth1', mtu: 1400 } }, 'smaller frames');
    const change = planHost('a', [lower, teql], before).plan.phases[0]!.changes.find((c) => c.resource === 'link eth1')!;
    const withRestore = change.steps.filter((s) => s.undo.some((o) => o.kind === 'link' && o.dev === 'teql0'));
    expect(withRestore.map((s) => s.op)).toEqual([{ kind: 'link', dev: 'eth1', mtu: 1400 }]);
  });

  it('refuses to bring up, by a link task, an equalizer whose IPv6 MTU is above its MTU', () => {
    const before = withIpv6Mtu(simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }, { kind: 'link', dev: 'eth1', mtu: 1400 }, { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false }]), { teql0: '1500' });
    const up = task({ module: 'link', args: { dev: 'teql0', state: 'up' } }, 'equalizer up');
    expect(() => planHost('a', [up], before)).toThrow(/teql0's IPv6 MTU is 1500, above its MTU 1400: setting the link up sets it to the MTU, and a rollback could not put 1500 back/);
  });

  it('puts back the IPv6 MTU of an equalizer a teardown took down, once its undo brought it up again', () => {
    const converged = simulateAll(pristineFacts(), [
      { kind: 'modprobe', module: 'sch_teql' },
      { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
      { kind: 'qdisc-root', dev: 'eth2', qdisc: 'teql0', replace: false },
      { kind: 'link', dev: 'teql0', up: true },
    ]);
    const before = withIpv6Mtu(converged, { teql0: '1400' }); // an operator's, below the MTU
    const absent = task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state: 'absent', replace: false } }, 'teardown');
    const { undone } = roundTrip(before, [absent]);
    expect(diffState(before, undone)).toEqual({ missing: [], extra: [] });
  });

  it('needs no undo of its own when the run loads sch_teql (unloading removes teql0)', () => {
    const changes = planHost('a', [teql], pristineFacts()).plan.phases[0]!.changes;
    const undo = changes.flatMap((c) => c.steps).flatMap((s) => s.undo);
    expect(undo.filter((o) => o.kind === 'link' && o.mtu !== undefined)).toEqual([]);
  });
});
