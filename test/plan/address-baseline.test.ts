// An address a run replaced (same IP, another prefix) comes back with `state: absent`, as the
// teardown promises "as before teqlctl": it removed the /31 and the operator's /24 never came back
// (a review of undo fidelity). A rollback of the run forgets the record with the rest.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { simulateAll } from '../../src/plan/simulate.js';
import { addressKey } from '../../src/plan/address-baseline.js';
import { pristineFacts, task } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';
import type { HostPlan } from '../../src/plan/types.js';

const ops = (p: HostPlan) => p.phases.flatMap((ph) => ph.changes.flatMap((c) => c.steps.map((s) => s.op)));
const address = (state: 'present' | 'absent') => task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/31', state } }, `address (${state})`);
const operators = (extra: Partial<Facts['addresses'][number]> = {}): Facts => {
  const f = pristineFacts();
  return { ...f, addresses: [...f.addresses, { dev: 'eth1', cidr: '10.0.0.0/24', broadcast: '10.0.0.255', label: 'eth1:old', ...extra }], routes: [...f.routes, { to: '10.0.0.0/24', dev: 'eth1', metric: 0, protocol: 'kernel', scope: 'link', src: '10.0.0.0' }] };
};

describe('an address a run replaced', () => {
  it('is recorded before it goes, then put back by the teardown with every attribute, first, and the record forgotten', () => {
    const before = operators();
    const run = planHost('r', [address('present')], before).plan;
    expect(ops(run).map((o) => o.kind)).toEqual(['baseline-set', 'addr-add', 'addr-del']);
    const after = simulateAll(before, ops(run));
    expect(after.baseline?.[addressKey('eth1', '10.0.0.0')]).toBe(JSON.stringify({ cidr: '10.0.0.0/24', attrs: { broadcast: '10.0.0.255', label: 'eth1:old' } }));
    const teardown = planHost('r', [address('absent')], after).plan;
    expect(ops(teardown)).toEqual([
      { kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/24', attrs: { broadcast: '10.0.0.255', label: 'eth1:old' } },
      { kind: 'addr-del', dev: 'eth1', cidr: '10.0.0.0/31' },
      { kind: 'baseline-unset', key: 'address:eth1:10.0.0.0' },
    ]);
    expect(teardown.phases[0]!.changes[0]!.after).toBe('10.0.0.0/24 (as before teqlctl)');
    const torn = simulateAll(after, ops(teardown));
    expect(torn.addresses.filter((a) => a.dev === 'eth1')).toEqual(before.addresses.filter((a) => a.dev === 'eth1'));
    expect(torn.baseline).toEqual({});
    // A second teardown changes nothing; a second run over the /31 records nothing more.
    expect(ops(planHost('r', [address('absent')], torn).plan)).toEqual([]);
    expect(ops(planHost('r', [address('present')], after).plan)).toEqual([]);
  });

  it('a point-to-point one (10.0.0.0 peer 10.0.0.1/32) put back by the teardown is undone with its peer, as the kernel needs to find it (a failed teardown left both: a review)', () => {
    const f = pristineFacts();
    const before: Facts = { ...f, addresses: [...f.addresses, { dev: 'eth1', cidr: '10.0.0.0/32', peer: '10.0.0.1/32' }] };
    const after = simulateAll(before, ops(planHost('r', [address('present')], before).plan));
    const teardown = planHost('r', [address('absent')], after).plan;
    const put = teardown.phases[0]!.changes[0]!.steps[0]!;
    expect(put.op).toMatchObject({ kind: 'addr-add', cidr: '10.0.0.0/32', attrs: { peer: '10.0.0.1/32' } });
    expect(put.undo).toEqual([{ kind: 'addr-del', dev: 'eth1', cidr: '10.0.0.0/32', peer: '10.0.0.1/32' }]);
  });

  it('found back already (a reboot gave the operator his /24 again): kept, only the record forgotten', () => {
    const after = simulateAll(operators(), ops(planHost('r', [address('present')], operators()).plan));
    const rebooted: Facts = { ...operators(), baseline: after.baseline };
    expect(ops(planHost('r', [address('absent')], rebooted).plan)).toEqual([{ kind: 'baseline-unset', key: 'address:eth1:10.0.0.0' }]);
  });

  it('one with a lifetime (a lease) is not recorded: its client owns it', () => {
    const run = planHost('r', [address('present')], operators({ lifetimes: { valid: 600, preferred: 600 } })).plan;
    expect(ops(run).map((o) => o.kind)).toEqual(['addr-add', 'addr-del']);
  });

  it('a record teqlctl did not write is refused, naming it', () => {
    const odd: Facts = { ...pristineFacts(), baseline: { 'address:eth1:10.0.0.0': 'something else' } };
    expect(() => planHost('r', [address('absent')], odd)).toThrow(/the baseline's record address:eth1:10\.0\.0\.0 is not one teqlctl wrote: something else/);
  });
});

describe('an address a run replaced, then wanted again (a review of this session)', () => {
  it('absent for the recorded address itself keeps it, only its record goes: it was there before teqlctl', () => {
    const before = operators();
    const one = simulateAll(before, ops(planHost('r', [address('present')], before).plan));
    const back24 = task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/24', state: 'present' } }, 'the /24 again');
    const two = simulateAll(one, ops(planHost('r', [back24], one).plan));
    expect(two.addresses.filter((a) => a.dev === 'eth1').map((a) => a.cidr)).toEqual(['10.0.0.0/24']);
    const absent24 = task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.0/24', state: 'absent' } }, 'no /24');
    const teardown = planHost('r', [absent24], two).plan;
    expect(ops(teardown)).toEqual([{ kind: 'baseline-unset', key: 'address:eth1:10.0.0.0' }]);
    expect(teardown.phases[0]!.changes.map((c) => `${c.action} ${c.before} -> ${c.after}`)).toEqual(['~ 10.0.0.0/24 -> 10.0.0.0/24 (as before teqlctl)']);
  });

  it('the /31 gone already (a reboot): the /24 comes back as an addition', () => {
    const after = simulateAll(operators(), ops(planHost('r', [address('present')], operators()).plan));
    const rebooted: Facts = { ...pristineFacts(), baseline: after.baseline };
    const change = planHost('r', [address('absent')], rebooted).plan.phases[0]!.changes[0]!;
    expect([change.action, change.before, change.after]).toEqual(['+', null, '10.0.0.0/24 (as before teqlctl)']);
  });
});
