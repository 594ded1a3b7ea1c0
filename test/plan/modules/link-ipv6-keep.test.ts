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

  it('keeps them on an equalizer the run brought up (teql task)', () => {
    const undo = undoOf({ module: 'teql', args: { device: 'teql0', slaves: ['eth1'], state: 'present', replace: false } }, simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }]));
    expect(undo).toContainEqual({ kind: 'link', dev: 'teql0', up: false, keepAddresses: true });
  });
});
