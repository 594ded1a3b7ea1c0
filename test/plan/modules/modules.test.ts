// Every module planned twice: once where it must change something, once where it must do nothing.
import { describe, expect, it } from 'vitest';
import { planHost } from '../../../src/plan/plan-host.js';
import { simulateAll } from '../../../src/plan/simulate.js';
import { pristineFacts, reachingPeer, task } from '../../helpers/facts.js';
import { diffState } from '../../../src/rollback/compare.js';
import type { TaskCall } from '../../../src/load/types.js';
import type { AddressFact, Facts } from '../../../src/gather/facts.js';
import type { Op } from '../../../src/plan/ops.js';

const converged = (extra: Op[] = []): Facts =>
  simulateAll(pristineFacts(), [
    { kind: 'link', dev: 'eth1', up: true },
    { kind: 'modprobe', module: 'sch_teql' },
    { kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false },
    { kind: 'link', dev: 'teql0', up: true },
    { kind: 'addr-add', dev: 'teql0', cidr: '10.0.0.4/31' },
    { kind: 'route-add', route: { to: '198.51.100.0/24', via: '10.0.0.5', metric: 0 } },
    ...extra,
  ]);

const plan = (call: TaskCall, facts: Facts) => planHost('a', [task(call)], facts).plan.phases[0]!.changes;

const cases: Array<{ name: string; call: TaskCall; changes: string[]; noop: Facts; pristine?: Facts }> = [
  { name: 'link up', call: { module: 'link', args: { dev: 'eth1', state: 'up' } }, changes: ['~ link eth1: down -> up'], noop: converged() },
  // Taking a link down flushes the static routes through it: the inverse must put them back.
  { name: 'link down', call: { module: 'link', args: { dev: 'teql0', state: 'down' } }, changes: ['~ link teql0: up -> down'], pristine: converged(), noop: converged([{ kind: 'link', dev: 'teql0', up: false }]) },
  { name: 'link mtu', call: { module: 'link', args: { dev: 'eth2', mtu: 1400 } }, changes: ['~ link eth2: mtu 1500 -> mtu 1400'], noop: converged([{ kind: 'link', dev: 'eth2', mtu: 1400 }]) },
  { name: 'teql present', call: { module: 'teql', args: { device: 'teql0', slaves: ['eth1'], state: 'present', replace: false } }, changes: ['+ module sch_teql: not loaded -> loaded', '+ root qdisc of eth1: kernel default -> teql0', '~ link teql0: down -> up'], noop: converged() },
  { name: 'teql absent', call: { module: 'teql', args: { device: 'teql0', slaves: ['eth1'], state: 'absent', replace: false } }, changes: ['~ link teql0: up -> down', '- root qdisc of eth1: teql0 -> kernel default'], pristine: converged(), noop: pristineFacts() },
  { name: 'address present', call: { module: 'address', args: { dev: 'teql0', address: '10.0.0.4/31', state: 'present' } }, changes: ['+ address 10.0.0.4 on teql0: null -> 10.0.0.4/31'], pristine: simulateAll(pristineFacts(), [{ kind: 'modprobe', module: 'sch_teql' }]), noop: converged() },
  { name: 'address prefix change', call: { module: 'address', args: { dev: 'teql0', address: '10.0.0.4/30', state: 'present' } }, changes: ['~ address 10.0.0.4 on teql0: 10.0.0.4/31 -> 10.0.0.4/30'], pristine: converged(), noop: converged([{ kind: 'addr-del', dev: 'teql0', cidr: '10.0.0.4/31' }, { kind: 'addr-add', dev: 'teql0', cidr: '10.0.0.4/30' }]) },
  { name: 'address absent', call: { module: 'address', args: { dev: 'teql0', address: '10.0.0.4/31', state: 'absent' } }, changes: ['- address 10.0.0.4/31 on teql0: 10.0.0.4/31 -> null'], pristine: converged(), noop: converged([{ kind: 'addr-del', dev: 'teql0', cidr: '10.0.0.4/31' }]) },
  { name: 'plain sysctl', call: { module: 'sysctl', args: { name: 'net.ipv4.tcp_reordering', value: '10', state: 'present' } }, changes: ['~ sysctl net.ipv4.tcp_reordering: 3 -> 10'], pristine: simulateAll(pristineFacts(), [{ kind: 'sysctl', name: 'net.ipv4.tcp_reordering', value: '3' }]), noop: simulateAll(pristineFacts(), [{ kind: 'sysctl', name: 'net.ipv4.tcp_reordering', value: '10' }]) },
  { name: 'rp_filter with all=0 already', call: { module: 'sysctl', args: { name: 'net.ipv4.conf.eth1.rp_filter', value: '1', state: 'present' } }, changes: ['~ sysctl net.ipv4.conf.eth1.rp_filter: 0 -> 1'], pristine: simulateAll(pristineFacts(), [{ kind: 'sysctl', name: 'net.ipv4.conf.all.rp_filter', value: '0' }]), noop: simulateAll(pristineFacts(), [{ kind: 'sysctl', name: 'net.ipv4.conf.all.rp_filter', value: '0' }, { kind: 'sysctl', name: 'net.ipv4.conf.eth1.rp_filter', value: '1' }]) },
  { name: 'route present', call: { module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.5', state: 'present' } }, changes: ['+ route 198.51.100.0/24: null -> 198.51.100.0/24 via 10.0.0.5'], pristine: converged([{ kind: 'route-del', route: { to: '198.51.100.0/24', via: '10.0.0.5', metric: 0 } }]), noop: converged() },
  { name: 'route new gateway', call: { module: 'route', args: { to: '198.51.100.0/24', via: '10.0.0.4', dev: 'teql0', state: 'present' } }, changes: ['~ route 198.51.100.0/24: 198.51.100.0/24 via 10.0.0.5 dev teql0 -> 198.51.100.0/24 via 10.0.0.4 dev teql0'], pristine: converged(), noop: converged([{ kind: 'route-replace', route: { to: '198.51.100.0/24', via: '10.0.0.4', dev: 'teql0', metric: 0 } }]) },
  { name: 'route absent', call: { module: 'route', args: { to: '198.51.100.0/24', state: 'absent', dev: 'teql0' } }, changes: ['- route 198.51.100.0/24: 198.51.100.0/24 via 10.0.0.5 dev teql0 -> null'], pristine: converged(), noop: pristineFacts() },
];

describe.each(cases)('$name', ({ call, changes, noop, pristine }) => {
  it('changes what differs, with an inverse that restores it', () => {
    const before = pristine ?? pristineFacts();
    const got = plan(call, before);
    expect(got.map((c) => `${c.action} ${c.resource}: ${c.before} -> ${c.after}`)).toEqual(changes);
    const ops = got.flatMap((c) => c.steps.map((s) => s.op));
    const undo = got.flatMap((c) => c.steps).reverse().flatMap((s) => s.undo);
    const after = simulateAll(before, ops);
    expect(plan(call, after)).toEqual([]);
    expect(diffState(before, simulateAll(after, undo))).toEqual({ missing: [], extra: [] });
  });

  it('does nothing when the router already matches', () => {
    expect(plan(call, noop)).toEqual([]);
  });
});

describe("a route's device", () => {
  it('is one the router has: a typo is refused before any change, not at the apply after the dead-man was armed (a review)', () => {
    expect(() => planHost('a', [task({ module: 'route', args: { to: '203.0.113.0/24', dev: 'eht1', state: 'present' } })], pristineFacts())).toThrow(/interface eht1 does not exist on this router/);
  });

  it('is named by its name, not an altname the kernel takes: such a route never looked done (a review)', () => {
    const facts = pristineFacts();
    facts.links = facts.links.map((l) => (l.name === 'lan0' ? { ...l, altnames: ['enp0s4'] } : l));
    expect(() => planHost('a', [task({ module: 'route', args: { to: '203.0.113.0/24', dev: 'enp0s4', state: 'present' } })], facts)).toThrow(/interface enp0s4 is an alternative name of lan0; teqlctl reads interfaces by their name/);
    expect(() => planHost('a', [task({ module: 'link', args: { dev: 'enp0s4', mtu: 1400 } })], facts)).toThrow(/enp0s4 is an alternative name of lan0/);
  });
});

describe('route absent names the route it removes', () => {
  it('leaves the route to the same network on another device, as it leaves one via another gateway', () => {
    const call: TaskCall = { module: 'route', args: { to: '198.51.100.0/24', state: 'absent', dev: 'eth2' } };
    expect(converged().routes.find((r) => r.to === '198.51.100.0/24')?.dev).toBe('teql0');
    expect(plan(call, converged())).toEqual([]);
    expect(plan({ module: 'route', args: { to: '198.51.100.0/24', state: 'absent', via: '10.0.0.9' } }, converged())).toEqual([]);
  });

  it('of two routes to one network on two devices, removes the one on the device named, whichever comes first', () => {
    // As `ip route append` makes them (the simulator keeps one route per network and metric).
    const two = converged();
    two.routes.push({ to: '198.51.100.0/24', dev: 'eth2', metric: 0 });
    expect(two.routes.filter((r) => r.to === '198.51.100.0/24').map((r) => r.dev)).toEqual(['teql0', 'eth2']);
    const got = plan({ module: 'route', args: { to: '198.51.100.0/24', state: 'absent', dev: 'eth2' } }, two);
    expect(got.map((c) => `${c.action} ${c.resource}: ${c.before} -> ${c.after}`)).toEqual(['- route 198.51.100.0/24: 198.51.100.0/24 dev eth2 -> null']);
    expect(got[0]!.steps.map((s) => s.op)).toEqual([{ kind: 'route-del', route: { to: '198.51.100.0/24', dev: 'eth2', metric: 0 } }]);
  });
});

describe('routes teqlctl could not put back exactly', () => {
  const withRoute = (route: Facts['routes'][number]) => {
    const f = converged();
    f.routes.push(route);
    return f;
  };
  const multipath = { to: '10.4.0.0/16', metric: 0, unrestorable: 'it has 2 next hops (multipath)' };

  it('are not replaced, removed, or flushed with their link: refused before any change, saying why', () => {
    expect(() => plan({ module: 'route', args: { to: '10.4.0.0/16', via: '10.0.0.5', state: 'present' } }, withRoute(multipath))).toThrow(/the route to 10.4.0.0\/16 could not be put back exactly after replacing it: it has 2 next hops \(multipath\)/);
    expect(() => plan({ module: 'route', args: { to: '10.4.0.0/16', state: 'absent' } }, withRoute(multipath))).toThrow(/after removing it: it has 2 next hops/);
    const v6gw = { to: '10.5.0.0/16', dev: 'teql0', metric: 0, unrestorable: 'its gateway is an inet6 address (fe80::1)' };
    // Not taken for the device route wanted: it goes through a gateway.
    expect(() => plan({ module: 'route', args: { to: '10.5.0.0/16', dev: 'teql0', state: 'present' } }, withRoute(v6gw))).toThrow(/after replacing it: its gateway is an inet6 address/);
    expect(() => plan({ module: 'link', args: { dev: 'teql0', state: 'down' } }, withRoute(v6gw))).toThrow(/the route to 10.5.0.0\/16 on teql0 could not be put back exactly after taking teql0 down, which flushes it/);
  });

  it('a routing daemon\'s, flushed with its link: not refused, nor put back by the undo (the daemon adds its own again, a review)', () => {
    const ospf = { to: '10.6.0.0/16', dev: 'teql0', via: '10.0.0.5', metric: 20, protocol: 'bird' };
    const both = withRoute({ ...multipath, protocol: 'zebra', dev: 'teql0' });
    both.routes.push(ospf);
    const got = plan({ module: 'link', args: { dev: 'teql0', state: 'down' } }, both);
    const undo = got.flatMap((c) => c.steps.flatMap((st) => st.undo));
    expect(undo.filter((op) => op.kind === 'route-add' && ['10.4.0.0/16', '10.6.0.0/16'].includes(op.route.to))).toEqual([]);
    // A static route through it still is put back.
    const mine = withRoute({ to: '10.7.0.0/16', dev: 'teql0', via: '10.0.0.5', metric: 0 });
    expect(plan({ module: 'link', args: { dev: 'teql0', state: 'down' } }, mine).flatMap((c) => c.steps.flatMap((st) => st.undo))).toContainEqual({ kind: 'route-add', route: expect.objectContaining({ to: '10.7.0.0/16' }) });
  });

  it('a blackhole route is replaced with an undo that puts the blackhole back', () => {
    const got = plan({ module: 'route', args: { to: '10.2.0.0/16', via: '10.0.0.5', state: 'present' } }, withRoute({ to: '10.2.0.0/16', metric: 0, type: 'blackhole' }));
    expect(got[0]!.steps.find((st) => st.op.kind === 'route-replace')!.undo).toEqual([{ kind: 'route-replace', route: { to: '10.2.0.0/16', metric: 0, type: 'blackhole' } }]);
  });
});

describe("an address whose connected route would take this SSH session (a review of the wizard)", () => {
  const routed = (m: Facts['management'], routes: Facts['routes'] = [{ to: 'default', via: '10.0.2.2', dev: 'eth0', metric: 0 }]): Facts => ({ ...pristineFacts(), management: m, routes });
  const add = (address: string, dev = 'eth2') => ({ module: 'address' as const, args: { dev, address, state: 'present' as const } });
  it('is refused before any change where its subnet holds the client and beats the route the session comes by', () => {
    expect(() => plan(add('10.0.0.2/31'), routed({ clientIp: '10.0.0.3', dev: 'eth0', via: '10.0.2.2' }))).toThrow(/adding 10\.0\.0\.2\/31 to eth2 would take this router's management session over eth2: its subnet holds the session's client, 10\.0\.0\.3, which it reaches over eth0 now \(by the default route\)/);
    // As specific as the route it comes by, on another device: the kernel's order decides, refused.
    expect(() => plan(add('10.0.0.2/31'), routed({ clientIp: '10.0.0.3', dev: 'eth0' }, [{ to: '10.0.0.2/31', via: '10.0.2.2', dev: 'eth0', metric: 5 }]))).toThrow(/would take this router's management session over eth2/);
    // The gateway's own address.
    expect(() => plan(add('10.0.2.2/31'), routed({ clientIp: '198.51.100.7', dev: 'eth0', via: '10.0.2.2' }))).toThrow(/10\.0\.2\.2 is the gateway of this router's management session/);
  });
  it("is planned where the subnet holds neither, where a more specific route carries the session (a VPN's /32), or where it holds the gateway alone", () => {
    expect(plan(add('10.0.0.2/31'), routed({ clientIp: '10.0.0.9', dev: 'eth0', via: '10.0.2.2' }))).toHaveLength(1);
    expect(plan(add('10.0.0.1/29'), routed({ clientIp: '10.0.0.3', dev: 'wg0' }, [{ to: '10.0.0.3/32', dev: 'wg0', metric: 0 }, { to: 'default', via: '10.0.2.2', dev: 'eth0', metric: 0 }]))).toHaveLength(1);
    // A route's gateway stays resolved on the route's own device.
    expect(plan(add('10.0.2.0/31'), routed({ clientIp: '198.51.100.7', dev: 'eth0', via: '10.0.2.1' }))).toHaveLength(1);
  });
  it("is refused where the local table would take the session whatever the main table's /32: the client's own address, its subnet's broadcast (a review)", () => {
    const pinned: Facts['routes'] = [{ to: '10.0.0.3/32', dev: 'wg0', metric: 0 }];
    expect(() => plan(add('10.0.0.3/24'), routed({ clientIp: '10.0.0.3', dev: 'wg0' }, pinned))).toThrow(/10\.0\.0\.3, the session's client, would be an address of this router/);
    expect(() => plan(add('10.0.0.1/30'), routed({ clientIp: '10.0.0.3', dev: 'wg0' }, pinned))).toThrow(/10\.0\.0\.3, the session's client, would be the broadcast address of eth2's subnet/);
    // A /31 has no broadcast address: 10.0.0.2/31 holds 10.0.0.3 as a host, which the /32 keeps.
    expect(plan(add('10.0.0.2/31'), routed({ clientIp: '10.0.0.3', dev: 'wg0' }, pinned))).toHaveLength(1);
  });
});

describe('a far router managed over the bundle itself (a review)', () => {
  const overBundle = (): Facts => ({ ...converged(), management: { clientIp: '10.0.0.5', dev: 'teql0' } });
  it('refuses taking its equalizer down, or re-sizing a slave under it', () => {
    expect(() => plan({ module: 'teql', args: { device: 'teql0', slaves: ['eth1'], state: 'absent', replace: false } }, overBundle())).toThrow(/taking teql0 down would touch teql0, the interface that carries this SSH session/);
    expect(() => plan({ module: 'link', args: { dev: 'eth1', mtu: 1400 } }, overBundle())).toThrow(/would touch eth1, which carries teql0, .*\(eth1 is a slave of teql0\)/);
  });
  it('plans the same bundle again as nothing to do', () => {
    expect(plan({ module: 'teql', args: { device: 'teql0', slaves: ['eth1'], state: 'present', replace: false } }, overBundle())).toEqual([]);
  });
});

describe('the address the session is connected to, where its replies leave by another interface (a review)', () => {
  // Two links between two routers: the operator connects to eth2's address, replies leave over eth1.
  const facts = (): Facts => ({ ...simulateAll(pristineFacts(), [{ kind: 'link', dev: 'eth2', up: true }, { kind: 'addr-add', dev: 'eth2', cidr: '10.0.13.2/30' }]), management: { clientIp: '10.0.12.1', dev: 'eth1', serverIp: '10.0.13.2' } });
  it('is not removed, nor its link taken down', () => {
    expect(() => plan({ module: 'address', args: { dev: 'eth2', address: '10.0.13.2/30', state: 'absent' } }, facts())).toThrow(/removing 10\.0\.13\.2\/30 would take away 10\.0\.13\.2 on eth2, the address this SSH session is connected to \(from 10\.0\.12\.1\)/);
    expect(() => plan({ module: 'link', args: { dev: 'eth2', state: 'down' } }, facts())).toThrow(/setting link down would take away 10\.0\.13\.2 on eth2/);
  });
  it('is removed where the address recorded before teqlctl, the same IP with another prefix, goes back first (a review)', () => {
    const replaced = planHost('a', [task({ module: 'address', args: { dev: 'eth2', address: '10.0.13.2/24', state: 'present' } })], facts());
    const after = { ...replaced.expected, management: facts().management };
    expect(after.baseline?.['address:eth2:10.0.13.2']).toBeDefined();
    expect(plan({ module: 'address', args: { dev: 'eth2', address: '10.0.13.2/24', state: 'absent' } }, after).map((c) => c.resource)).toContain('address 10.0.13.2/24 on eth2');
  });
  it("the link's MTU, and another address there, are planned", () => {
    expect(plan({ module: 'link', args: { dev: 'eth2', mtu: 1400 } }, facts())).toHaveLength(1);
    expect(plan({ module: 'address', args: { dev: 'eth2', address: '10.0.14.2/30', state: 'present' } }, facts())).toHaveLength(1);
  });
});

describe('a link brought up with an address whose subnet holds the session\'s client (a review)', () => {
  it('is refused as the address added would be: teql.yml brings links up before it addresses them', () => {
    const facts: Facts = { ...simulateAll(pristineFacts(), [{ kind: 'addr-add', dev: 'eth2', cidr: '10.0.0.2/31' }]), management: { clientIp: '10.0.0.3', dev: 'eth0', via: '10.0.2.2' }, routes: [{ to: 'default', via: '10.0.2.2', dev: 'eth0', metric: 0 }] };
    expect(facts.links.find((l) => l.name === 'eth2')!.up).toBe(false);
    expect(() => plan({ module: 'link', args: { dev: 'eth2', state: 'up' } }, facts)).toThrow(/bringing eth2 up with 10\.0\.0\.2\/31 would take this router's management session over eth2: its subnet holds the session's client, 10\.0\.0\.3/);
    expect(plan({ module: 'link', args: { dev: 'eth2', state: 'up' } }, { ...facts, management: { clientIp: '10.0.0.9', dev: 'eth0', via: '10.0.2.2' } })).toHaveLength(1);
  });
  it('and by the addresses of its VLANs, which come up with it', () => {
    const base = simulateAll(pristineFacts(), []);
    const facts: Facts = { ...base, links: [...base.links, { name: 'eth2.10', kind: 'vlan', lower: 'eth2', up: false, operstate: 'DOWN', mtu: 1500 }], addresses: [...base.addresses, { dev: 'eth2.10', cidr: '10.0.0.2/31' }], management: { clientIp: '10.0.0.3', dev: 'eth0', via: '10.0.2.2' }, routes: [{ to: 'default', via: '10.0.2.2', dev: 'eth0', metric: 0 }] };
    expect(() => plan({ module: 'link', args: { dev: 'eth2', state: 'up' } }, facts)).toThrow(/bringing eth2 up, and eth2\.10 with it, with 10\.0\.0\.2\/31 would take this router's management session over eth2\.10/);
  });
});

describe('an equalizer holding the address the session is connected to (a review)', () => {
  it('is not taken down, nor removed with sch_teql', () => {
    const facts: Facts = { ...converged(), management: { clientIp: '10.0.12.1', dev: 'eth0', serverIp: '10.0.0.4' } };
    const absent = { module: 'teql' as const, args: { device: 'teql0', slaves: ['eth1'], state: 'absent' as const, replace: false } };
    expect(() => plan(absent, facts)).toThrow(/taking teql0 down would take away 10\.0\.0\.4 on teql0, the address this SSH session is connected to/);
    const down = { ...simulateAll(facts, [{ kind: 'link', dev: 'teql0', up: false }, { kind: 'qdisc-root-del', dev: 'eth1' }]), baseline: { 'module:sch_teql': 'unloaded' } };
    expect(() => plan(absent, down)).toThrow(/unloading sch_teql \(which removes teql0\) would take away 10\.0\.0\.4 on teql0/);
  });
});

describe("a route by the session's own gateway, named without a device (teql.yml's form; a review)", () => {
  it('is not taken for a route that moves the session', () => {
    const reached = reachingPeer();
    const facts: Facts = { ...reached, management: { clientIp: '192.0.2.9', dev: 'eth0', via: '10.0.2.2' }, routes: reached.routes.filter((r) => r.to !== '192.0.2.0/24') };
    expect(plan({ module: 'route', args: { to: '192.0.2.0/24', via: '10.0.2.2', state: 'present' } }, facts)).toHaveLength(1);
    expect(() => plan({ module: 'route', args: { to: '192.0.2.0/24', via: '10.0.0.5', state: 'present' } }, facts)).toThrow(/would carry the traffic of this SSH session/);
  });
});

describe('0.0.0.0/0 is the default route', () => {
  // The lab's pristine router has its default route through the management link (eth0).
  it('present: the kernel\'s `default` is the route written as 0.0.0.0/0 (no add of an existing route)', () => {
    expect(converged().routes.find((r) => r.to === 'default')).toMatchObject({ via: '10.0.2.2', dev: 'eth0' });
    expect(plan({ module: 'route', args: { to: '0.0.0.0/0', via: '10.0.2.2', state: 'present' } }, converged())).toEqual([]);
  });

  it('absent: it is found (here refused, as it carries the SSH session), not silently taken for no route', () => {
    expect(() => plan({ module: 'route', args: { to: '0.0.0.0/0', via: '10.0.2.2', state: 'absent' } }, converged())).toThrow(/removing default via 10.0.2.2 dev eth0 could cut this SSH session/);
  });
});

describe('a sysctl of several numbers', () => {
  it('written with tabs or double spaces is the value the kernel shows with single spaces: no change once there', () => {
    const f = simulateAll(pristineFacts(), [{ kind: 'sysctl', name: 'net.ipv4.tcp_rmem', value: '4096 131072 6291456' }]);
    expect(plan({ module: 'sysctl', args: { name: 'net.ipv4.tcp_rmem', value: '4096\t131072  6291456', state: 'present' } }, f)).toEqual([]);
    const changed = plan({ module: 'sysctl', args: { name: 'net.ipv4.tcp_rmem', value: '4096\t87380\t6291456', state: 'present' } }, f);
    expect(changed.map((c) => `${c.action} ${c.resource}: ${c.before} -> ${c.after}`)).toEqual(['~ sysctl net.ipv4.tcp_rmem: 4096 131072 6291456 -> 4096 87380 6291456']);
  });
});

describe('a primary address with secondaries in its subnet', () => {
  const withSecondary = () => {
    const f = converged();
    f.addresses.push({ dev: 'eth2', cidr: '10.0.5.1/24' }, { dev: 'eth2', cidr: '10.0.5.2/24', secondary: true });
    return f;
  };

  it('is not removed nor replaced: the kernel would remove its secondaries with it, and the undo could not put them back', () => {
    expect(() => plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }, withSecondary())).toThrow(/removing 10.0.5.1\/24 from eth2 would remove its secondary address 10.0.5.2\/24 with it/);
    expect(() => plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/25', state: 'present' } }, withSecondary())).toThrow(/promote_secondaries/);
  });

  it('a secondary itself, or a primary without secondaries, is removed as before', () => {
    expect(plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.2/24', state: 'absent' } }, withSecondary()).map((c) => c.action)).toEqual(['-']);
    const lone = converged();
    lone.addresses.push({ dev: 'eth2', cidr: '10.0.5.1/24' });
    expect(plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }, lone).map((c) => c.action)).toEqual(['-']);
  });
});

describe('an address that takes others with it, as the plan so far leaves the router', () => {
  it('a secondary added earlier in the same play counts: removing its primary later is refused', () => {
    const f = converged();
    f.addresses.push({ dev: 'eth2', cidr: '10.0.5.1/24' });
    const tasks = [
      task({ module: 'address', args: { dev: 'eth2', address: '10.0.5.5/24', state: 'present' } }),
      task({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }),
    ];
    expect(() => planHost('a', tasks, f)).toThrow(/would remove its secondary address 10.0.5.5\/24 with it/);
  });

  it('a route that gives the address as its source is not flushed with it: its removal refused, naming the route; a new prefix keeps the address, and the route', () => {
    const f = converged();
    f.addresses.push({ dev: 'eth2', cidr: '10.0.5.1/24' });
    f.routes.push({ to: 'default', via: '10.0.5.254', dev: 'eth2', metric: 100, protocol: 'dhcp', src: '10.0.5.1' });
    expect(() => plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }, f)).toThrow(/removing 10.0.5.1\/24 from eth2 would remove the route that gives it as source \(default via 10.0.5.254 dev eth2\)/);
    // The new prefix is added before the old one goes: the kernel keeps a route whose source is
    // still on the router (fib_del_ifaddr), as seen in a network namespace.
    const [replaced] = plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/30', state: 'present' } }, f);
    // Recorded first, so that a teardown puts the /24 back (address-baseline.ts).
    expect(replaced!.steps.map((s) => s.op.kind)).toEqual(['baseline-set', 'addr-add', 'addr-del']);
    expect(simulateAll(f, replaced!.steps.map((s) => s.op)).routes).toContainEqual(expect.objectContaining({ to: 'default', src: '10.0.5.1' }));
  });

  it('a link\'s last IPv4 address removed: the kernel flushes the routes through the link, and the undo adds the main table\'s back after it, those without a gateway first', () => {
    const f = converged();
    f.addresses = f.addresses.filter((a) => a.dev !== 'eth2');
    f.addresses.push({ dev: 'eth2', cidr: '10.0.5.1/24' });
    const viaGateway = { to: '172.16.0.0/16', via: '10.9.9.9', dev: 'eth2', metric: 0, protocol: 'static' } as const;
    const hostRoute = { to: '10.9.9.9', dev: 'eth2', metric: 0, protocol: 'static', scope: 'link' } as const;
    f.routes.push(viaGateway, hostRoute);
    const [removed] = plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }, f);
    expect(removed!.steps.map((s) => s.undo)).toEqual([[{ kind: 'addr-add', dev: 'eth2', cidr: '10.0.5.1/24' }, { kind: 'route-add', route: hostRoute }, { kind: 'route-add', route: viaGateway }]]);
    expect(simulateAll(f, removed!.steps.map((s) => s.op)).routes.filter((r) => r.dev === 'eth2')).toEqual([]);
    // Another address left on the link: nothing is flushed, nothing added back.
    f.addresses.push({ dev: 'eth2', cidr: '10.0.6.1/24' });
    const [other] = plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }, f);
    expect(other!.steps.map((s) => s.undo)).toEqual([[{ kind: 'addr-add', dev: 'eth2', cidr: '10.0.5.1/24' }]]);
  });
});

describe('an address removed or replaced is put back by its undo as it was read', () => {
  const withAddress = (extra: Partial<AddressFact>) => {
    const f = converged();
    f.addresses.push({ dev: 'eth2', cidr: '10.0.5.1/24', ...extra });
    return f;
  };

  it('a replacement by another prefix, and a removal: the undo adds back its broadcast, label, metric, flags', () => {
    const attrs = { broadcast: '10.0.5.255', label: 'eth2:old', metric: 77, flags: ['noprefixroute'] };
    const [replaced] = plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/31', state: 'present' } }, withAddress(attrs));
    expect(replaced!.steps[2]!.undo).toEqual([{ kind: 'addr-add', dev: 'eth2', cidr: '10.0.5.1/24', attrs }]);
    const [removed] = plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }, withAddress(attrs));
    expect(removed!.steps.map((s) => s.undo)).toEqual([[{ kind: 'addr-add', dev: 'eth2', cidr: '10.0.5.1/24', attrs }]]);
  });

  it('a point-to-point address is removed with its peer named (the kernel finds it by both)', () => {
    const [removed] = plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/32', state: 'absent' } }, withAddress({ cidr: '10.0.5.1/32', peer: '10.0.5.2' }));
    expect(removed!.steps[0]!.op).toEqual({ kind: 'addr-del', dev: 'eth2', cidr: '10.0.5.1/32', peer: '10.0.5.2' });
  });

  it('one with an attribute teqlctl cannot set again is not removed nor replaced, and says why', () => {
    const f = withAddress({ unrestorable: 'iproute2 shows weight on it, which teqlctl does not know how to set again' });
    expect(() => plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/24', state: 'absent' } }, f)).toThrow(/removing 10.0.5.1\/24 from eth2 could not be undone exactly: iproute2 shows weight on it/);
    expect(() => plan({ module: 'address', args: { dev: 'eth2', address: '10.0.5.1/31', state: 'present' } }, f)).toThrow(/could not be undone exactly/);
  });
});

describe('disable_ipv6, whose write deletes IPv6 addresses and routes teqlctl does not read', () => {
  const withV6 = (values: Record<string, string>) => ({ ...converged(), sysctls: { ...converged().sysctls, ...values } });

  it('turning IPv6 off on an interface, or any change of all.disable_ipv6, is refused, naming why', () => {
    expect(() => plan({ module: 'sysctl', args: { name: 'net.ipv6.conf.eth1.disable_ipv6', value: '1', state: 'present' } }, withV6({ 'net.ipv6.conf.eth1.disable_ipv6': '0' })))
      .toThrow(/setting net\.ipv6\.conf\.eth1\.disable_ipv6 to 1: turning IPv6 off on eth1 deletes its IPv6 addresses and routes, which no rollback could put back/);
    expect(() => plan({ module: 'sysctl', args: { name: 'net.ipv6.conf.all.disable_ipv6', value: '0', state: 'present' } }, withV6({ 'net.ipv6.conf.all.disable_ipv6': '1' })))
      .toThrow(/copies net\.ipv6\.conf\.all\.disable_ipv6 onto every interface/);
  });

  it('turning it on for one interface, or default\'s (for interfaces made later), is planned', () => {
    expect(plan({ module: 'sysctl', args: { name: 'net.ipv6.conf.eth1.disable_ipv6', value: '0', state: 'present' } }, withV6({ 'net.ipv6.conf.eth1.disable_ipv6': '1' })).map((c) => c.action)).toEqual(['~']);
    expect(plan({ module: 'sysctl', args: { name: 'net.ipv6.conf.default.disable_ipv6', value: '1', state: 'present' } }, withV6({ 'net.ipv6.conf.default.disable_ipv6': '0' })).map((c) => c.action)).toEqual(['~']);
  });
});
