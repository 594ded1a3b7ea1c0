// What a rollback answers for: the run's devices and networks, not another device that someone
// else's change moved meanwhile (a subscriber session that came up during a run made a complete
// rollback read as incomplete, exit 6, on the lab).
import { describe, expect, it } from 'vitest';
import type { Facts } from '../../src/gather/facts.js';
import { planHost } from '../../src/plan/plan-host.js';
import { diffState } from '../../src/rollback/compare.js';
import { partialResidual } from '../../src/rollback/partial.js';
import { inRunScope, runScope } from '../../src/rollback/run-scope.js';
import { chapterTasks, pristineFacts } from '../helpers/facts.js';

const snapshot = pristineFacts();
const steps = planHost('router_a', chapterTasks(), snapshot).plan.phases.flatMap((p) => p.changes.flatMap((c) => c.steps));
const scope = runScope(steps.flatMap((s) => [s.op, ...s.undo]), snapshot);

/** Router a with a subscriber's session up on sess0 (a ppp-like link: a /32 peer and its route). */
const withSession = (f: Facts): Facts => ({
  ...f,
  links: [...f.links, { name: 'sess0', up: true, operstate: 'UNKNOWN', mtu: 1492 }],
  addresses: [...f.addresses, { dev: 'sess0', cidr: '100.64.9.1/32', peer: '100.64.9.2/32' }],
  routes: [...f.routes, { to: '100.64.9.2', dev: 'sess0', metric: 0, protocol: 'kernel', scope: 'link', src: '100.64.9.1' }],
  sysctls: { ...f.sysctls, 'net.ipv4.conf.sess0.rp_filter': '2' },
});

describe('the scope of a run\'s rollback', () => {
  it('the chapter\'s: its links, the equalizer, its route\'s network, the links whose rp_filter it raises (conf.all lowered); not another', () => {
    expect([...scope.devices].sort()).toEqual(['eth0', 'eth1', 'eth2', 'lo', 'teql0']);
    expect([...scope.networks]).toEqual(['198.51.100.0/24']);
  });

  it('a session that came up during the run is not the rollback\'s (was: four lines left over, exit 6); nor one that went', () => {
    expect(diffState(snapshot, withSession(snapshot)).extra).toHaveLength(4);
    expect(diffState(snapshot, withSession(snapshot), new Map(), scope)).toEqual({ missing: [], extra: [] });
    expect(diffState(withSession(snapshot), snapshot, new Map(), scope)).toEqual({ missing: [], extra: [] });
    expect(partialResidual(snapshot, snapshot, withSession(snapshot), () => true, new Map(), scope)).toEqual({ missing: [], extra: [] });
  });

  it('what the run answers for is still compared: its links, addresses, rp_filter, qdiscs, its route\'s network by any device, every equalizer, global lines', () => {
    const cases: Array<[string, (f: Facts) => Facts]> = [
      ['link eth1 up mtu 1500', (f) => ({ ...f, links: f.links.map((l) => (l.name === 'eth1' ? { ...l, up: true } : l)) })],
      ['address 10.0.0.0/31', (f) => ({ ...f, addresses: [...f.addresses, { dev: 'eth1', cidr: '10.0.0.0/31' }] })],
      ['sysctl net.ipv4.conf.eth2.rp_filter = 2', (f) => ({ ...f, sysctls: { ...f.sysctls, 'net.ipv4.conf.eth2.rp_filter': '2' } })],
      ['sysctl net.ipv4.conf.all.rp_filter = 0', (f) => ({ ...f, sysctls: { ...f.sysctls, 'net.ipv4.conf.all.rp_filter': '0' } })],
      ['root qdisc teql0 dev eth1', (f) => ({ ...f, rootQdiscs: [...f.rootQdiscs.filter((q) => q.dev !== 'eth1'), { dev: 'eth1', kind: 'teql0', handle: '8001:', isDefault: false }] })],
      ['route 198.51.100.0/24 via 10.0.2.3 dev eth0', (f) => ({ ...f, routes: [...f.routes, { to: '198.51.100.0/24', via: '10.0.2.3', dev: 'eth0', metric: 0 }] })],
      ['link teql1 down', (f) => ({ ...f, links: [...f.links, { name: 'teql1', up: false, operstate: 'DOWN', mtu: 1500 }] })],
      ['route 203.0.113.0/24 type blackhole', (f) => ({ ...f, routes: [...f.routes, { to: '203.0.113.0/24', type: 'blackhole', metric: 0 }] })],
      ['module sch_teql loaded', (f) => ({ ...f, teql: { loaded: true, available: true } })],
    ];
    for (const [line, change] of cases) {
      const extra = diffState(snapshot, change(snapshot), new Map(), scope).extra;
      expect(extra.some((l) => l.startsWith(line)), `${line}: ${extra.join('; ')}`).toBe(true);
    }
    // And lines that went missing alike.
    expect(diffState(snapshot, { ...snapshot, links: snapshot.links.filter((l) => l.name !== 'eth2') }, new Map(), scope).missing).toEqual(['link eth2 down mtu 1500']);
  });

  it('what the kernel moves with the run\'s links: a VLAN on them, a device stacked on them, the bridge or bond they are ports of', () => {
    const f: Facts = {
      ...snapshot,
      links: [...snapshot.links.map((l) => (l.name === 'eth2' ? { ...l, master: 'bond0' } : l)),
        { name: 'eth1.10', up: true, operstate: 'UP', mtu: 1500, kind: 'vlan', lower: 'eth1' },
        { name: 'eth1.10.20', up: true, operstate: 'UP', mtu: 1500, kind: 'vlan', lower: 'eth1.10' },
        { name: 'mv0', up: true, operstate: 'UP', mtu: 1500, kind: 'macvlan', lower: 'eth1' },
        { name: 'bond0', up: true, operstate: 'UP', mtu: 1500, kind: 'bond' },
        { name: 'eth3', up: true, operstate: 'UP', mtu: 1500 }],
    };
    const s = runScope(steps.flatMap((st) => [st.op, ...st.undo]), f);
    expect([...s.devices].sort()).toEqual(['bond0', 'eth0', 'eth1', 'eth1.10', 'eth1.10.20', 'eth2', 'lo', 'mv0', 'teql0']);
    expect(inRunScope('link eth1.10.20 up mtu 1400', s)).toBe(true);
    expect(inRunScope('link eth3 up mtu 1400', s)).toBe(false);
    expect(inRunScope('sysctl net.ipv4.conf.eth3.rp_filter = 1', s)).toBe(false);
    expect(inRunScope('sysctl net.ipv4.conf.default.rp_filter = 1', s)).toBe(true);
    // A route giving one of the run's addresses (10.0.0.0 on eth1) as source, on another device.
    expect(inRunScope('route 192.0.2.128/25 dev lan0 metric 0 src 10.0.0.0', s)).toBe(true);
    expect(inRunScope('route 192.0.2.128/25 dev lan0 metric 0 src 192.0.2.1', s)).toBe(false);
    // A bond the run sets an MTU on: its ports too (the kernel sets it on them).
    const bonded: Facts = { ...f, links: [...f.links, { name: 'eth5', up: true, operstate: 'UP', mtu: 1500, master: 'bond1' }, { name: 'bond1', up: true, operstate: 'UP', mtu: 1500, kind: 'bond' }] };
    expect([...runScope([{ kind: 'link', dev: 'bond1', mtu: 1400 }], bonded).devices].sort()).toEqual(['bond1', 'eth5']);
    // A bridge's ports are not (veths and taps come and go; its MTU is not set on them; a review).
    const bridged: Facts = { ...f, links: [...f.links, { name: 'vethA', up: true, operstate: 'UP', mtu: 1500, master: 'br0' }, { name: 'br0', up: true, operstate: 'UP', mtu: 1500, kind: 'bridge' }] };
    expect([...runScope([{ kind: 'addr-add', dev: 'br0', cidr: '192.0.2.9/24' }], bridged).devices]).toEqual(['br0']);
    // A sysctl the tasks named is read because the plan weighs it: compared whatever its device.
    expect(inRunScope('sysctl net.ipv6.conf.eth3.mtu = 1280', s)).toBe(true);
  });
});
