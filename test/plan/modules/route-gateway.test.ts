// A route's gateway as the kernel reaches it: a route through the same gateway pinned to another
// link is not the one wanted, and a gateway on no link's subnet is refused before any change, as
// the kernel would refuse the route after the dead-man was armed (a review of address plans).
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { RefusedError } from '../../../src/errors.js';
import { pristineFacts, reachingPeer, task } from '../../helpers/facts.js';
import type { TaskCall } from '../../../src/load/types.js';
import type { Facts } from '../../../src/gather/facts.js';
import type { Change } from '../../../src/plan/types.js';

const present: TaskCall = { module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', state: 'present' } };
const plan = (facts: Facts, call: TaskCall = present) => planHost('a', [task(call)], facts).plan.phases[0]!.changes;
const apply = (facts: Facts, changes: Change[]) => simulateAll(facts, changes.flatMap((c) => c.steps.map((s) => s.op)));

describe('a route by its gateway', () => {
  it('through the same gateway but pinned to another link (dev eth2 onlink): replaced, then nothing to change', () => {
    const f = reachingPeer();
    const facts = { ...f, routes: [...f.routes, { to: '198.51.100.0/24', via: '10.0.0.5', dev: 'eth2', metric: 0, protocol: 'static' }] };
    const changes = plan(facts);
    expect(changes.map((c) => `${c.action} ${c.resource}: ${c.before} -> ${c.after}`)).toEqual(['~ route 198.51.100.0/24: 198.51.100.0/24 via 10.0.0.5 dev eth2 -> 198.51.100.0/24 via 10.0.0.5']);
    expect(plan(apply(facts, changes))).toEqual([]);
    // Where the gateway is: nothing to change.
    const there = { ...f, routes: [...f.routes, { to: '198.51.100.0/24', via: '10.0.0.5', dev: 'eth1', metric: 0, protocol: 'static' }] };
    expect(plan(there)).toEqual([]);
  });

  it('on no link\'s subnet: refused before any change, naming an address there with noprefixroute', () => {
    const f = pristineFacts();
    const bare: Facts = { ...f, links: f.links.map((l) => (l.name === 'eth1' ? { ...l, up: true, operstate: 'UP' } : l)), addresses: [...f.addresses, { dev: 'eth1', cidr: '10.0.0.4/31', flags: ['noprefixroute'] }] };
    expect(() => plan(bare)).toThrow(RefusedError);
    expect(() => plan(bare)).toThrow('gateway 10.0.0.5 is on no subnet of any link here once the tasks before this one ran: 10.0.0.4/31 on eth1 is there with noprefixroute, which adds no route to its subnet: the kernel would refuse the route (Nexthop has invalid gateway)');
    expect(() => plan(f)).toThrow('gateway 10.0.0.5 is on no subnet of any link here once the tasks before this one ran: the kernel would refuse the route (Nexthop has invalid gateway)');
    // On another link than the task's dev: the kernel wants it on that one.
    expect(() => plan(reachingPeer(), { module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', dev: 'eth2', state: 'present' } })).toThrow('gateway 10.0.0.5 is on no subnet of eth2 here');
  });

  it('a gateway reached by a host route, not a connected one: planned, and nothing more to plan once applied (the simulation resolved its device otherwise: a review)', () => {
    const f = reachingPeer();
    const host: Facts = { ...f, routes: [...f.routes.filter((r) => r.to !== '10.0.0.4/31'), { to: '10.0.0.5/32', dev: 'eth1', metric: 0, scope: 'link', protocol: 'static' }] };
    const changes = plan(host);
    expect(changes.map((c) => c.resource)).toEqual(['route 198.51.100.0/24']);
    expect(apply(host, changes).routes.find((r) => r.to === '198.51.100.0/24')?.dev).toBe('eth1');
    expect(plan(apply(host, changes))).toEqual([]);
  });

  it('an address task before it makes the subnet: planned', () => {
    const f = simulateAll(pristineFacts(), [{ kind: 'link', dev: 'eth1', up: true }]);
    const tasks = [task({ module: 'address', args: { dev: 'eth1', address: '10.0.0.4/31', state: 'present' } }), task(present)];
    expect(planHost('a', tasks, f).plan.phases[0]!.changes.map((c) => c.resource)).toEqual(['address 10.0.0.4 on eth1', 'route 198.51.100.0/24']);
  });
});
