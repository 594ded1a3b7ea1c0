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

function roundTrip(before: Facts) {
  const changes = planHost('a', [teql], before).plan.phases[0]!.changes;
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

  it('needs no undo of its own when the run loads sch_teql (unloading removes teql0)', () => {
    const changes = planHost('a', [teql], pristineFacts()).plan.phases[0]!.changes;
    const undo = changes.flatMap((c) => c.steps).flatMap((s) => s.undo);
    expect(undo.filter((o) => o.kind === 'link' && o.mtu !== undefined)).toEqual([]);
  });
});
