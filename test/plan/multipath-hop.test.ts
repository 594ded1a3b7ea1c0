// A multipath route with a hop on a bare slave: the undo of the slave's first address (its delete)
// flushes that hop (the kernel marks it dead, and it stays dead), which teqlctl cannot put back: the
// run is refused before any change, as for a single-path route there (a review, in a namespace).
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { parseRoutes } from '../../src/gather/route-fact.js';
import { RefusedError } from '../../src/errors.js';
import { chapterTasks, pristineFacts } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';

// As `ip -j route` shows it: no dev of its own, each hop's in `nexthops`.
const multipath = (devs: string[]) => parseRoutes([{ dst: '203.0.113.0/24', protocol: 'static', flags: [], nexthops: devs.map((dev) => ({ dev, weight: 1, flags: [], ...(dev === 'eth0' ? { gateway: '10.0.2.2' } : {}) })) }]);

const withRoute = (devs: string[]): Facts => {
  const f = pristineFacts();
  return { ...f, links: f.links.map((l) => (l.name === 'eth1' ? { ...l, up: true, operstate: 'UP' } : l)), routes: [...f.routes, ...multipath(devs)] };
};

describe('a multipath route with a hop on a bare slave', () => {
  it('reads its hops\' devices', () => {
    expect(multipath(['eth1', 'eth0'])[0]).toMatchObject({ to: '203.0.113.0/24', nexthopDevs: ['eth1', 'eth0'], unrestorable: 'it has 2 next hops (multipath)' });
  });

  it('refuses the chapter before any change, naming the route and why', () => {
    expect(() => planHost('router_a', chapterTasks(), withRoute(['eth1', 'eth0']))).toThrow(RefusedError);
    expect(() => planHost('router_a', chapterTasks(), withRoute(['eth1', 'eth0']))).toThrow(/203\.0\.113\.0\/24.*2 next hops \(multipath\)/);
  });

  it('plans the chapter where its hops are on other links', () => {
    expect(() => planHost('router_a', chapterTasks(), withRoute(['lan0', 'eth0']))).not.toThrow();
  });
});
