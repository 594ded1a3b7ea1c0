// The equalizer a check is planned to leave by: the kernel must agree before the ping counts
// (ping-script.ts); a ping that went another way verified a broken bundle (a review).
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { plannedPath } from '../../src/plan/planned-egress.js';
import { formatPlan } from '../../src/report/print-plan.js';
import { chapterTasks, pristineFacts, task } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';

const plannedEgress = (f: Facts, to: string) => plannedPath(f, to)?.egress;

describe('plannedPath', () => {
  it('on the chapter: the peer\'s equalizer address and its network over teql0; a link\'s peer, and a check bound to a device, ask nothing', () => {
    const lan = task({ module: 'ping', args: { to: '198.51.100.1', from: '192.0.2.1', count: 3, timeout: 2 } }, 'lan');
    const bound = task({ module: 'ping', args: { to: '10.0.0.5', dev: 'teql0', count: 3, timeout: 2 } }, 'bound');
    const { plan } = planHost('router_a', [...chapterTasks(), lan, bound], pristineFacts());
    expect(plan.phases[0]!.checks.map((c) => [c.to, c.egress])).toEqual([['10.0.0.1', undefined], ['10.0.0.5', 'teql0'], ['198.51.100.1', 'teql0'], ['10.0.0.5', undefined]]);
    expect(formatPlan([plan], false)).toContain('  ? ping 198.51.100.1 from 192.0.2.1 (over teql0)    [lan]');
    // The slaves the equalizer's next hop must have resolved on once the ping passed.
    expect(plan.phases[0]!.checks.map((c) => [c.to, c.slaves])).toEqual([['10.0.0.1', undefined], ['10.0.0.5', ['eth1', 'eth2']], ['198.51.100.1', ['eth1', 'eth2']], ['10.0.0.5', undefined]]);
  });

  it('takes the longest prefix, then the lowest metric; a local address, another device, IPv6 or a blackhole: none', () => {
    const f: Facts = { ...pristineFacts(), addresses: [...pristineFacts().addresses, { dev: 'teql0', cidr: '10.0.0.4/31' }], routes: [
      { to: '10.0.0.4/31', dev: 'teql0', metric: 0, protocol: 'kernel', scope: 'link' },
      { to: '198.51.100.0/24', via: '10.0.0.5', dev: 'teql0', metric: 0 },
      { to: '198.51.100.128/25', via: '10.0.2.2', dev: 'eth0', metric: 0 },
      { to: '203.0.113.0/24', via: '10.0.2.2', dev: 'eth0', metric: 5 },
      { to: '203.0.113.0/24', via: '10.0.0.5', dev: 'teql1', metric: 1 },
      { to: '192.0.2.128/25', type: 'blackhole', metric: 0 },
      { to: 'default', via: '10.0.2.2', dev: 'eth0', metric: 0 },
    ] };
    expect(plannedEgress(f, '198.51.100.1')).toBe('teql0');
    // A more specific route someone added takes it elsewhere: the check is still the bundle's, and fails there.
    expect(plannedEgress(f, '198.51.100.200')).toBe('teql0');
    expect(plannedEgress(f, '203.0.113.9')).toBe('teql1');
    expect(plannedEgress(f, '10.0.0.4')).toBeUndefined();
    expect(plannedEgress(f, '10.0.0.5')).toBe('teql0');
    expect(plannedEgress(f, '192.0.2.200')).toBeUndefined();
    expect(plannedEgress(f, '2001:db8::1')).toBeUndefined();
    // A default route over the equalizer makes no check the bundle's where a link's own subnet is more specific.
    const viaDefault: Facts = { ...f, routes: [{ to: 'default', via: '10.0.0.5', dev: 'teql0', metric: 0 }, { to: '10.0.0.0/31', dev: 'eth1', metric: 0, protocol: 'kernel', scope: 'link' }, { to: '172.16.0.0/12', via: '10.0.2.2', dev: 'eth0', metric: 0 }] };
    expect(plannedEgress(viaDefault, '10.0.0.1')).toBeUndefined();
    expect(plannedEgress(viaDefault, '172.16.1.1')).toBeUndefined();
    expect(plannedEgress(viaDefault, '8.8.8.8')).toBe('teql0');
    // The peer's network over teql0, a host route to one of its hosts over eth1 (the lab's e2e): the bundle's check.
    const hostRoute: Facts = { ...f, routes: [...f.routes, { to: '198.51.100.1/32', via: '10.0.0.1', dev: 'eth1', metric: 0, onlink: true }] };
    expect(plannedEgress(hostRoute, '198.51.100.1')).toBe('teql0');
  });
});
