// An equalizer that already spreads traffic over links the task does not name (another bundle's, to
// another peer, or a link left out of this bundle's list): joining it sent the bundle's traffic
// over them too, and a teardown took the equalizer down under them, both without a word (a review).
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { pristineFacts, task } from '../../helpers/facts.js';
import { refusal } from '../../helpers/refusal.js';
import type { Facts } from '../../../src/gather/facts.js';

/** teql0 up over eth3 (and, with `ours`, over eth1 and eth2 too). */
function equalizing(ours: boolean): Facts {
  const f = pristineFacts();
  const withEth3 = { ...f, links: [...f.links, { name: 'eth3', up: false, operstate: 'DOWN', mtu: 1500 }] };
  return simulateAll(withEth3, [
    { kind: 'modprobe', module: 'sch_teql' },
    ...['eth3', ...(ours ? ['eth1', 'eth2'] : [])].flatMap((dev) => [
      { kind: 'link' as const, dev, up: true },
      { kind: 'qdisc-root' as const, dev, qdisc: 'teql0', replace: false },
    ]),
    { kind: 'link', dev: 'teql0', up: true },
  ]);
}

const teql = (state: 'present' | 'absent') => task({ module: 'teql', args: { device: 'teql0', slaves: ['eth1', 'eth2'], state, replace: false } }, `equalizer (${state})`);


describe('an equalizer with slaves the task does not name', () => {
  it('is not joined: refused before any change, naming them and what to do', () => {
    const err = refusal(() => planHost('a', [teql('present')], equalizing(false)));
    expect(err.message).toContain("teql0 already equalizes eth3, which this task's slaves (eth1, eth2) do not name: the bundle's traffic would be sent over it too");
    expect(err.hint).toBe('if it belongs to this bundle, add eth3 to its slaves (teql_slaves); if to another bundle, give this one another equalizer (teql_device: teql1); to take it out of teql0: tc qdisc del dev eth3 root');
  });

  it('is not taken down by a teardown of the links it names', () => {
    const err = refusal(() => planHost('a', [teql('absent')], equalizing(true)));
    expect(err.message).toContain("teql0 already equalizes eth3, which this task's slaves (eth1, eth2) do not name: taking teql0 down would stop the traffic over it too");
  });

  it('once it is down, a teardown takes out the links it names and leaves the others as they are', () => {
    const down = simulateAll(equalizing(true), [{ kind: 'link', dev: 'teql0', up: false }]);
    const changes = planHost('a', [teql('absent')], down).plan.phases.flatMap((p) => p.changes.map((c) => c.resource));
    expect(changes).toEqual(['root qdisc of eth1', 'root qdisc of eth2']);
  });

  it('an equalizer over exactly the named links is converged: nothing to do, nothing refused', () => {
    const changes = planHost('a', [teql('present')], simulateAll(equalizing(true), [{ kind: 'qdisc-root-del', dev: 'eth3' }])).plan.phases.flatMap((p) => p.changes);
    expect(changes).toEqual([]);
  });
});

describe('a slave that is a port of a bridge, bond or VRF (a review)', () => {
  it('is refused before any change, naming its master and what to do', () => {
    const f = pristineFacts();
    const ported: Facts = { ...f, links: f.links.map((l) => (l.name === 'eth2' ? { ...l, master: 'br-lan' } : l)) };
    const err = refusal(() => planHost('a', [teql('present')], ported));
    expect(err.message).toContain('eth2 is a port of br-lan: what it receives is br-lan\'s, and br-lan\'s traffic would be sent through teql0');
    expect(err.hint).toBe('take eth2 out of br-lan first (ip link set eth2 nomaster), or equalize other links');
  });
});
