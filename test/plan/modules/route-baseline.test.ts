// A route a run replaced is put back by `state: absent` (the teardown), in one `ip route replace`;
// one a run added where none was is recorded `none`, so a later run's change does not take the
// first run's route for the operator's.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { pristineFacts, task } from '../../helpers/facts.js';
import { diffState } from '../../../src/rollback/compare.js';
import type { TaskCall } from '../../../src/load/types.js';
import type { Facts, RouteFact } from '../../../src/gather/facts.js';
import type { Change } from '../../../src/plan/types.js';

const plan = (call: TaskCall, facts: Facts) => planHost('a', [task(call)], facts).plan.phases[0]!.changes;
const apply = (facts: Facts, changes: Change[]) => simulateAll(facts, changes.flatMap((c) => c.steps.map((s) => s.op)));
const undo = (facts: Facts, changes: Change[]) => simulateAll(facts, changes.flatMap((c) => c.steps).reverse().flatMap((s) => s.undo));
const line = (c: Change) => `${c.action} ${c.resource}: ${c.before} -> ${c.after}`;

const WAN: RouteFact = { to: '198.51.100.0/24', via: '10.0.2.9', dev: 'eth0', metric: 0, protocol: 'static' };
const present: TaskCall = { module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', state: 'present' } };
const absent: TaskCall = { module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', state: 'absent' } };
const withWan = (): Facts => {
  const f = simulateAll(pristineFacts(), [{ kind: 'link', dev: 'eth1', up: true }, { kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.4/31' }]);
  f.routes.push(WAN);
  return f;
};

describe("the route a run replaced, and the teardown's route task", () => {
  it('records the operator\'s route before replacing it; the teardown puts it back in one replace, then forgets it; a second teardown changes nothing', () => {
    const before = withWan();
    const run = plan(present, before);
    expect(run.map(line)).toEqual(['~ route 198.51.100.0/24: 198.51.100.0/24 via 10.0.2.9 dev eth0 -> 198.51.100.0/24 via 10.0.0.5']);
    expect(run[0]!.steps.map((s) => s.op.kind)).toEqual(['baseline-set', 'route-replace']);
    const after = apply(before, run);
    expect(after.baseline?.['route:198.51.100.0/24:0']).toBe('{"to":"198.51.100.0/24","metric":0,"via":"10.0.2.9","dev":"eth0","protocol":"static"}');
    // The rollback of the run forgets the record with the route.
    expect(undo(after, run).baseline?.['route:198.51.100.0/24:0']).toBeUndefined();

    const teardown = plan(absent, after);
    expect(teardown.map(line)).toEqual(['~ route 198.51.100.0/24: 198.51.100.0/24 via 10.0.0.5 dev eth1 -> 198.51.100.0/24 via 10.0.2.9 dev eth0 metric 0 (as before teqlctl)'.replace(' metric 0', '')]);
    expect(teardown[0]!.steps.map((s) => s.op)).toEqual([
      { kind: 'route-replace', route: { to: '198.51.100.0/24', via: '10.0.2.9', dev: 'eth0', metric: 0, protocol: 'static' } },
      { kind: 'baseline-unset', key: 'route:198.51.100.0/24:0' },
    ]);
    const torn = apply(after, teardown);
    expect(diffState(before, torn)).toEqual({ missing: [], extra: [] });
    expect(torn.baseline?.['route:198.51.100.0/24:0']).toBeUndefined();
    expect(plan(absent, torn)).toEqual([]);
    // The teardown's own rollback: the run's route and its record back.
    const back = undo(torn, teardown);
    expect(diffState(after, back)).toEqual({ missing: [], extra: [] });
    expect(back.baseline?.['route:198.51.100.0/24:0']).toBe(after.baseline?.['route:198.51.100.0/24:0']);
  });

  it('a route added where none was is recorded none: the teardown removes it; a later run that changes it records nothing more', () => {
    const before = simulateAll(pristineFacts(), [{ kind: 'link', dev: 'eth1', up: true }, { kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.4/31' }]);
    const run = plan(present, before);
    expect(run[0]!.steps.map((s) => s.op.kind)).toEqual(['baseline-set', 'route-add']);
    const after = apply(before, run);
    expect(after.baseline?.['route:198.51.100.0/24:0']).toBe('none');
    const moved = plan({ module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', dev: 'eth1', metric: 0, state: 'present' } }, simulateAll(after, [{ kind: 'route-replace', route: { to: '198.51.100.0/24', via: '10.0.0.4', metric: 0 } }]));
    expect(moved[0]!.steps.map((s) => s.op.kind)).toEqual(['route-replace']);
    const teardown = plan(absent, after);
    expect(teardown.map(line)).toEqual(['- route 198.51.100.0/24: 198.51.100.0/24 via 10.0.0.5 dev eth1 -> null']);
    expect(teardown[0]!.steps.map((s) => s.op.kind)).toEqual(['route-del', 'baseline-unset']);
    expect(diffState(before, apply(after, teardown))).toEqual({ missing: [], extra: [] });
  });

  it('the recorded route already back (an inventory changed back to it): only its record goes; gone since: added back', () => {
    const after = apply(withWan(), plan(present, withWan()));
    const reverted = simulateAll(after, [{ kind: 'route-replace', route: WAN }]);
    const kept = plan(absent, reverted);
    expect(kept[0]!.steps.map((s) => s.op.kind)).toEqual(['baseline-unset']);
    const gone = simulateAll(after, [{ kind: 'route-del', route: { to: '198.51.100.0/24', via: '10.0.0.5', metric: 0 } }]);
    expect(plan(absent, gone).map(line)).toEqual(['+ route 198.51.100.0/24: null -> 198.51.100.0/24 via 10.0.2.9 dev eth0 (as before teqlctl)']);
  });

  it('a teardown task naming no gateway: puts the recorded route back and keeps its record, marked; run again it changes nothing, where it removed the route it had put back (a review)', () => {
    const loose: TaskCall = { module: 'route', args: { to: '198.51.100.0/24', state: 'absent' } };
    const before = withWan();
    const after = apply(before, plan(present, before));
    const first = plan(loose, after);
    expect(first.map(line)).toEqual(['~ route 198.51.100.0/24: 198.51.100.0/24 via 10.0.0.5 dev eth1 -> 198.51.100.0/24 via 10.0.2.9 dev eth0 (as before teqlctl)']);
    const torn = apply(after, first);
    expect(torn.routes.find((r) => r.to === '198.51.100.0/24')).toEqual(WAN);
    expect(torn.baseline?.['route:198.51.100.0/24:0']).toBe(`kept ${after.baseline?.['route:198.51.100.0/24:0']}`);
    expect(plan(loose, torn)).toEqual([]);
    // Set up again: the kept record is written over with what this run replaces (the same route
    // here); its teardown puts the operator's route back again.
    const again = apply(torn, plan(present, torn));
    expect(again.baseline?.['route:198.51.100.0/24:0']).toBe(after.baseline?.['route:198.51.100.0/24:0']);
    expect(apply(again, plan(loose, again)).routes.find((r) => r.to === '198.51.100.0/24')).toEqual(WAN);
    expect(undo(again, plan(present, torn)).baseline?.['route:198.51.100.0/24:0']).toBe(torn.baseline?.['route:198.51.100.0/24:0']);
    // The operator removed their route after the teardown, then set up again: that setup added it,
    // and its teardown removes it, not the route removed before (a review).
    const gone = simulateAll(torn, [{ kind: 'route-del', route: WAN }]);
    const readded = apply(gone, plan(present, gone));
    expect(readded.baseline?.['route:198.51.100.0/24:0']).toBe('none');
    expect(apply(readded, plan(absent, readded)).routes.find((r) => r.to === '198.51.100.0/24')).toBeUndefined();
    // The operator removed their route after the teardown: not added back, the record forgotten.
    const removed = simulateAll(torn, [{ kind: 'route-del', route: WAN }]);
    expect(plan(loose, removed)[0]!.steps.map((st) => st.op.kind)).toEqual(['baseline-unset']);
    // A teardown naming the gateway forgets a kept record.
    expect(plan(absent, torn)[0]!.steps.map((st) => st.op.kind)).toEqual(['baseline-unset']);
    // The undo of a first teardown gives the run's route and its record back as they were.
    expect(diffState(after, undo(torn, first))).toEqual({ missing: [], extra: [] });
    expect(undo(torn, first).baseline?.['route:198.51.100.0/24:0']).toBe(after.baseline?.['route:198.51.100.0/24:0']);
  });

  it('a route to that network that is neither the task\'s nor the recorded one (moved by hand, a gateway changed in the inventory): refused, saying which, before any change (a review: an internal error)', () => {
    const after = apply(withWan(), plan(present, withWan()));
    const moved = simulateAll(after, [{ kind: 'route-replace', route: { to: '198.51.100.0/24', via: '10.0.0.4', dev: 'eth1', metric: 0 } }]);
    expect(() => plan(absent, moved)).toThrow(/the route to 198\.51\.100\.0\/24 is now 198\.51\.100\.0\/24 via 10\.0\.0\.4 dev eth1: neither the one this task names nor the one recorded before teqlctl \(198\.51\.100\.0\/24 via 10\.0\.2\.9 dev eth0\)/);
  });

  it('a record teqlctl did not write is said, not guessed', () => {
    const f = withWan();
    f.baseline = { 'route:198.51.100.0/24:0': 'via 10.0.2.9' };
    expect(() => plan(absent, f)).toThrow(/the baseline's record route:198\.51\.100\.0\/24:0 is not one teqlctl wrote: via 10\.0\.2\.9/);
    f.baseline = { 'route:198.51.100.0/24:0': '{"to":"203.0.113.0/24","metric":0}' };
    expect(() => plan(absent, f)).toThrow(/is not one teqlctl wrote/);
  });
});
