// A ping to one of the router's own addresses passes over lo, whatever the links do: refused before
// any change (a review: the peer's ends already on router_a, the run said converged and verified).
import { describe, expect, it } from 'vitest';
import { planHost } from '../../src/plan/plan-host.js';
import { RefusedError } from '../../src/errors.js';
import { chapterTasks, pristineFacts } from '../helpers/facts.js';
import type { Facts } from '../../src/gather/facts.js';

const holding = (extra: Facts['addresses']): Facts => {
  const f = pristineFacts();
  return { ...f, addresses: [...f.addresses, ...extra] };
};

describe('a check whose target is the router\'s own address', () => {
  it("refuses the chapter on a router_a that holds router_b's ends (the two swapped), naming the address, its link and what to do", () => {
    const facts = holding([{ dev: 'eth1', cidr: '10.0.0.1/31' }]);
    let err: unknown;
    try {
      planHost('router_a', chapterTasks(), facts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RefusedError);
    expect((err as RefusedError).message).toMatch(/^router_a: .*: task "ping": ping 10\.0\.0\.1: 10\.0\.0\.1 is this router's own address \(10\.0\.0\.1\/31 on eth1\), which the router answers itself over lo: the check would pass without crossing any link$/);
    expect((err as RefusedError).hint).toContain('ip addr del 10.0.0.1/31 dev eth1');
  });

  it('plans the chapter where the router holds only its own ends', () => {
    expect(() => planHost('router_a', chapterTasks(), holding([{ dev: 'eth1', cidr: '10.0.0.0/31' }]))).not.toThrow();
  });
});
