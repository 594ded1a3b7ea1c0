// A hub whose sch_teql was loaded for fewer equalizers than a new branch needs: only the task of
// the equalizer that does not exist is refused (the others exist and go on), and the hint says
// which equalizers are in use, rather than telling an operator to unload the module under them.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { pristineFacts, task } from '../../helpers/facts.js';
import { parseFlushable } from '../../../src/gather/route-fact.js';
import { refusal } from '../../helpers/refusal.js';
import type { Facts } from '../../../src/gather/facts.js';
import { MODULE_KEY } from '../../../src/plan/baseline.js';

/** sch_teql loaded with max_equalizers=2, teql0 on eth1 and up: a hub with one live bundle. */
function liveHub(): Facts {
  return simulateAll(pristineFacts(), [
    { kind: 'modprobe', module: 'sch_teql', maxEqualizers: 2 },
    { kind: 'link', dev: 'eth1', up: true },
    { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
    { kind: 'link', dev: 'teql0', up: true },
  ]);
}

const teql = (device: string, slave: string) => task({ module: 'teql', args: { device, slaves: [slave], state: 'present', replace: false } }, `equalizer ${device}`);


describe('sch_teql loaded with too few equalizers', () => {
  it('plans the equalizers that exist: teql0 (live) and teql1 need nothing of the module', () => {
    const changes = planHost('hub', [teql('teql0', 'eth1'), teql('teql1', 'eth2')], liveHub()).plan.phases.flatMap((p) => p.changes.map((c) => c.resource));
    expect(changes).toEqual(['root qdisc of eth2', 'link teql1']);
  });

  it('refuses the task of the equalizer that does not exist, naming it and the ones in use', () => {
    const err = refusal(() => planHost('hub', [teql('teql0', 'eth1'), teql('teql2', 'eth2')], liveHub()));
    expect(err.message).toMatch(/task "equalizer teql2": sch_teql is loaded with max_equalizers=2 \(teql0\.\.teql1\), so teql2 does not exist/);
    expect(err.at?.task).toBe('equalizer teql2');
    expect(err.hint).toMatch(/cannot be unloaded while teql0 is in use.*maintenance window.*max_equalizers=3/);
  });

  it('with no equalizer in use, says to unload it and run again', () => {
    const idle = simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }]);
    const err = refusal(() => planHost('hub', [teql('teql1', 'eth2')], idle));
    expect(err.message).toMatch(/max_equalizers=1 \(teql0\), so teql1 does not exist/);
    expect(err.hint).toMatch(/^no equalizer is in use: unload it \(rmmod sch_teql\) and run again; teqlctl loads it with max_equalizers=2$/);
  });
});

describe('sch_teql built into the kernel (CONFIG_NET_SCH_TEQL=y)', () => {
  // Its teql0 is there from boot (link type void) and /sys/module/sch_teql is not (the facts say not loaded).
  const builtin = (): Facts => {
    const f = simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }]);
    return { ...f, teql: { loaded: true, available: true, builtin: true, maxEqualizers: 1 } };
  };

  it('is never unloaded: a teardown where the baseline says teqlctl loaded it (an older teqlctl\'s record) only forgets the record, no rmmod', () => {
    const facts = { ...builtin(), baseline: { [MODULE_KEY]: 'not loaded' } };
    const absent = task({ module: 'teql', args: { device: 'teql0', slaves: [], state: 'absent', replace: false } }, 'no equalizer');
    const ops = planHost('r', [absent], facts).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps.map((st) => st.op.kind)));
    expect(ops).not.toContain('rmmod');
    // The same record on a module: unloaded.
    const module = { ...facts, teql: { loaded: true, available: true, maxEqualizers: 1 } };
    expect(planHost('r', [absent], module).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps.map((st) => st.op.kind)))).toContain('rmmod');
  });

  it('too few equalizers: the kernel command line, not an unload, is the way', () => {
    const err = refusal(() => planHost('hub', [teql('teql1', 'eth2')], builtin()));
    expect(err.message).toContain('sch_teql is built into this kernel with max_equalizers=1 (teql0), so teql1 does not exist');
    expect(err.hint).toBe('boot with sch_teql.max_equalizers=2 on the kernel command line (built in, it cannot be unloaded or reloaded)');
  });
});

describe('sch_teql unloaded by a teardown, with an address on its equalizer', () => {
  const loadedByTeqlctl = (address: Partial<Facts['addresses'][number]>): Facts => {
    const f = simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }]);
    return { ...f, addresses: [...f.addresses, { dev: 'teql0', cidr: '10.9.0.1/24', ...address }], baseline: { [MODULE_KEY]: 'not loaded' }, teql: { loaded: true, available: true, maxEqualizers: 1 } };
  };
  const absent = task({ module: 'teql', args: { device: 'teql0', slaves: [], state: 'absent', replace: false } }, 'no equalizer');

  it('the undo of the unload puts the address back as it was read (the unload deletes teql0 with it)', () => {
    const steps = planHost('r', [absent], loadedByTeqlctl({ broadcast: '10.9.0.255', metric: 9 })).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps));
    const unload = steps.find((s) => s.op.kind === 'rmmod')!;
    expect(unload.undo).toContainEqual({ kind: 'addr-add', dev: 'teql0', cidr: '10.9.0.1/24', attrs: { broadcast: '10.9.0.255', metric: 9 } });
  });

  it('one teqlctl could not put back is refused, naming it', () => {
    const err = refusal(() => planHost('r', [absent], loadedByTeqlctl({ unrestorable: 'iproute2 shows weight on it, which teqlctl does not know how to set again' })));
    expect(err.message).toMatch(/unloading sch_teql removes teql0 with its address 10\.9\.0\.1\/24, which could not be put back exactly: iproute2 shows weight on it/);
  });

  it('an IPv6 address on teql0 (its local route read): refused, the undo could not put it back (a review of undo fidelity)', () => {
    const f = loadedByTeqlctl({});
    const v6 = [
      { type: 'local', dst: '2001:db8::1', dev: 'teql0', table: 'local', protocol: 'kernel', metric: 0 },
      { type: 'local', dst: 'fe80::1', dev: 'eth1', table: 'local', protocol: 'kernel', metric: 0 },
      { type: 'local', dst: '::1', dev: 'lo', table: 'local', protocol: 'kernel', metric: 0 },
    ];
    const flushable = parseFlushable([], [], v6);
    expect(flushable.ipv6Addressed).toEqual(['teql0']);
    const err = refusal(() => planHost('r', [absent], { ...f, addresses: f.addresses.filter((a) => a.dev !== 'teql0'), flushable }));
    expect(err.message).toContain('unloading sch_teql removes teql0 with its IPv6 addresses, which teqlctl does not put back');
    expect(err.hint).toBe('remove teql0\'s IPv6 addresses by hand first (ip -6 addr flush dev teql0)');
    expect(parseFlushable([], [], v6.slice(1)).ipv6Addressed).toBeUndefined();
    // A link-local one on an equalizer is an operator's (the kernel makes none on teqlN): refused too (a review).
    expect(parseFlushable([], [], [{ type: 'local', dst: 'fe80::4', dev: 'teql0', table: 'local', protocol: 'kernel', metric: 0 }, ...v6.slice(1)]).ipv6Addressed).toEqual(['teql0']);
  });
});

describe('sch_teql loaded, and no teqlN device at all: a container or a network namespace', () => {
  it('is refused saying so, not told to unload the module (which would take the host\'s equalizers away)', () => {
    // In a namespace other than the initial one, /sys/module/sch_teql is there and no teqlN is.
    const f = pristineFacts();
    const netns: Facts = { ...f, teql: { loaded: true, available: true, maxEqualizers: 0 } };
    const err = refusal(() => planHost('ct', [teql('teql0', 'eth1')], netns));
    expect(err.message).toMatch(/sch_teql is loaded, but this router has no equalizer at all \(no teqlN device\).*container or a network namespace, where teql0 cannot exist/);
    expect(err.hint).toBe('run teqlctl against the host itself (its initial network namespace), not a container or namespace on it; do not unload sch_teql there for this');
    expect(err.hint).not.toMatch(/^no equalizer is in use: unload it/);
  });
});
