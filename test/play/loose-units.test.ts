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

  it("links hosts whose address tasks set two ends of one subnet (a link configured by hand), present or absent; transitively, in run order", () => {
    const absent = (dev: string, a: string): TaskCall => ({ module: 'address', args: { dev, address: a, state: 'absent' } });
    const tasks = of({
      r1: [address('eth1', '10.9.0.0/31')],
      r2: [address('eth1', '10.9.0.1/31'), address('eth2', '10.9.1.0/31')],
      r3: [sysctl],
      r4: [address('eth1', '10.9.1.1/31')],
      // A teardown of a hand-made link: both ends go together too.
      r5: [absent('eth1', '10.9.2.0/31')],
      r6: [absent('eth1', '10.9.2.1/31')],
    });
    expect(looseGroups(['r1', 'r2', 'r3', 'r4', 'r5', 'r6'], tasks)).toEqual([['r1', 'r2', 'r4'], ['r3'], ['r5', 'r6']]);
  });

  it("does not link hosts by a ping or a gateway to another's address (its failure fails the check anyway), nor by one address every site sets (a NAT'd LAN)", () => {
    const tasks = of({
      hq: [address('eth1', '10.9.0.1/24')],
      b1: [ping('10.9.0.1'), route('10.9.0.1'), address('lan0', '192.168.1.1/24')],
      b2: [ping('10.9.0.1'), address('lan0', '192.168.1.1/24')],
    });
    expect(looseGroups(['hq', 'b1', 'b2'], tasks)).toEqual([['hq'], ['b1'], ['b2']]);
  });

  it('groups thousands of hosts linked in one chain without overflowing the stack', () => {
    const hosts = Array.from({ length: 20000 }, (_, i) => `r${i}`);
    const tasks = (h: string): TaskInstance[] => {
      const i = Number(h.slice(1));
      return [task(address('eth1', `10.${(i >> 8) & 255}.${i & 255}.1/24`)), task(address('eth2', `10.${((i + 1) >> 8) & 255}.${(i + 1) & 255}.2/24`))];
    };
    const groups = looseGroups(hosts, tasks);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toHaveLength(20000);
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
