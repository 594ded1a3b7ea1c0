// The play's hosts without a bundle: a unit each, so that one broken router never rolls back the
// others (a review: one unreachable router of a sysctl play over many undid them all), except
// where their tasks link them, which then fail together as a bundle's ends do.
import { describe, expect, it } from 'vitest';
import { looseGroups, looseName } from '../../src/play/loose-units.js';
import { FailureDomains } from '../../src/play/failure-domains.js';
import { task } from '../helpers/facts.js';
import type { TaskCall, TaskInstance } from '../../src/load/types.js';

const sysctl: TaskCall = { module: 'sysctl', args: { name: 'net.ipv4.tcp_reordering', value: '10', state: 'present' } };
const address = (dev: string, address: string): TaskCall => ({ module: 'address', args: { dev, address, state: 'present' } });
const ping = (to: string): TaskCall => ({ module: 'ping', args: { to, count: 3, timeout: 2 } });
const route = (via: string): TaskCall => ({ module: 'route', args: { to: '203.0.113.0/24', via, state: 'present' } });
const of = (tasks: Record<string, TaskCall[]>) => (h: string): TaskInstance[] => (tasks[h] ?? []).map((c) => task(c));

describe('looseGroups', () => {
  it('puts each host alone where nothing links them (a sysctl play over routers)', () => {
    expect(looseGroups(['r1', 'r2', 'r3'], of({ r1: [sysctl], r2: [sysctl], r3: [sysctl] }))).toEqual([['r1'], ['r2'], ['r3']]);
  });

  it('links hosts whose address tasks share a subnet, a ping to another\'s address, a route via it; transitively, in run order', () => {
    const tasks = of({
      r1: [address('eth1', '10.9.0.0/31')],
      r2: [address('eth1', '10.9.0.1/31'), address('eth2', '10.9.1.0/31')],
      r3: [ping('10.9.1.0')],
      r4: [route('10.9.1.0')],
      r5: [{ module: 'address', args: { dev: 'eth1', address: '10.9.1.0/31', state: 'absent' } }],
      r6: [ping('10.7.7.7'), sysctl],
    });
    expect(looseGroups(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'], tasks)).toEqual([['r1', 'r2', 'r3', 'r4'], ['r5'], ['r6']]);
  });

  it('names a unit by its hosts, a long group cut short', () => {
    expect(looseName(['r1'])).toBe('hosts without a bundle: r1');
    expect(looseName(['r1', 'r2'])).toBe('hosts without a bundle: r1, r2 (linked by their tasks)');
    expect(looseName(['a', 'b', 'c', 'd', 'e'])).toBe('hosts without a bundle: a, b, c and 2 more (linked by their tasks)');
  });
});

describe('FailureDomains with hosts without a bundle', () => {
  it('fails one host alone: the others stay alive', () => {
    const domains = new FailureDomains([], ['r1', 'r2', 'r3'], undefined, (loose) => looseGroups(loose, of({})));
    expect(domains.units.map((u) => [u.name, u.hosts, u.bundle])).toEqual([['hosts without a bundle: r1', ['r1'], false], ['hosts without a bundle: r2', ['r2'], false], ['hosts without a bundle: r3', ['r3'], false]]);
    domains.failHost('r2', { stage: 'connect', message: 'r2: unreachable' });
    expect(['r1', 'r2', 'r3'].map((h) => domains.alive(h))).toEqual([true, false, true]);
  });
});
