import { describe, expect, it } from 'vitest';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { stateLines } from '../../src/rollback/compare.js';
import { legacyAddressLine, legacyRouteLine, movedSince, qdiscDetailSelectors, sysctlNames } from '../../src/rollback/drift.js';
import { inRunScope, runScope, scopeLines, type RunScope } from '../../src/rollback/run-scope.js';
import type { Op } from '../../src/plan/ops.js';
import { recording } from '../helpers/replay-transport.js';

const converged = parseFacts('router_a', recording('a', 'converged'));
const pristine = parseFacts('router_a', recording('a', 'pristine'));
/** What confirmation records on the router: the state lines of the facts the run left, sorted. */
const afterRun = [...stateLines(converged)].sort().join('\n').split('\n');

describe('what moved on a router since a run', () => {
  it('nothing, when the router still holds what the run left', () => {
    expect(movedSince('router_a', afterRun, converged)).toEqual([]);
  });

  it('names what is gone and what is new, per host', () => {
    const moved = movedSince('router_a', afterRun, pristine);
    expect(moved).toContain('router_a: no longer holds module sch_teql loaded');
    expect(moved).toContain('router_a: now also holds module sch_teql not loaded');
    expect(moved.some((m) => m.startsWith('router_a: no longer holds address 10.0.0.4/31 dev teql0'))).toBe(true);
  });

  it('a routing daemon\'s route the run recorded (an older teqlctl did), gone or new since: no drift', () => {
    const withBird = (to: string) => ({ ...converged, routes: [...converged.routes, { to, via: '10.0.0.5', dev: 'teql0', metric: 32, protocol: 'bird' }] });
    const recorded = [...afterRun, 'route 198.51.100.0/24 via 10.0.0.5 dev teql0 proto bird metric 32'];
    expect(movedSince('router_a', recorded, converged)).toEqual([]);
    expect(movedSince('router_a', afterRun, withBird('203.0.113.0/24'))).toEqual([]);
  });

  it('an after-state an older teqlctl wrote (routes as network, gateway, device, metric) is compared in its own terms: no drift after an upgrade', () => {
    const older = afterRun.map(legacyRouteLine);
    expect(older.filter((l) => l.startsWith('route ')).every((l) => !/ (src|proto) /.test(l))).toBe(true);
    expect(older).not.toEqual(afterRun);
    expect(movedSince('router_a', older, converged)).toEqual([]);
    // A route moved is still seen.
    const moved = movedSince('router_a', older, pristine);
    expect(moved.some((m) => /no longer holds route 198\.51\.100\.0\/24|no longer holds route .* dev teql0/.test(m))).toBe(true);
  });

  it('an after-state written before addresses were read whole (CIDR and device only) is compared in its own terms: no drift after an upgrade', () => {
    const older = afterRun.map(legacyRouteLine).map(legacyAddressLine);
    expect(older).toContain('address 127.0.0.1/8 dev lo');
    expect(afterRun).toContain('address 127.0.0.1/8 scope host dev lo');
    expect(movedSince('router_a', older, converged)).toEqual([]);
    // An address gone is still seen.
    expect(movedSince('router_a', older, pristine)).toContain('router_a: no longer holds address 10.0.0.4/31 dev teql0');
    // This version's after-state still compares every attribute: a broadcast lost shows.
    const lostBroadcast = { ...converged, addresses: converged.addresses.map((a) => ({ ...a, broadcast: undefined })) };
    expect(movedSince('router_a', afterRun, lostBroadcast).some((m) => /no longer holds address 192\.0\.2\.1\/24 broadcast 192\.0\.2\.255/.test(m))).toBe(true);
  });

  it('an after-state of this version whose routes carry no source or protocol (only /32 addresses, an onlink default) is not taken for an older one', () => {
    const hosting = parseFacts('r1', recording('a', 'converged'));
    hosting.routes = [{ to: 'default', via: '192.0.2.1', dev: 'eth1', metric: 0, onlink: true }];
    const after = [...stateLines(hosting)].sort();
    expect(after).toContain('route default via 192.0.2.1 dev eth1 metric 0 onlink');
    expect(movedSince('r1', after, hosting)).toEqual([]);
  });

  it('compares the sysctls the run left, by their names (read again for it); a sysctl the run did not leave is not compared (a review: a later run\'s change to one was undone unseen)', () => {
    expect(sysctlNames(['sysctl net.ipv4.tcp_reordering = 30', 'module sch_teql loaded', 'sysctl net.ipv4.tcp_reordering = 30'])).toEqual(['net.ipv4.tcp_reordering']);
    const left = [...afterRun.filter((l) => !l.startsWith('sysctl net.ipv4.tcp_reordering ')), 'sysctl net.ipv4.tcp_reordering = 30'];
    const now = (v: string) => ({ ...converged, sysctls: { ...converged.sysctls, 'net.ipv4.tcp_reordering': v } });
    expect(movedSince('router_a', left, now('30'))).toEqual([]);
    expect(movedSince('router_a', left, now('64'))).toEqual(['router_a: no longer holds sysctl net.ipv4.tcp_reordering = 30', 'router_a: now also holds sysctl net.ipv4.tcp_reordering = 64']);
    // Read now but not left by the run (an older after-state, another run's sysctl): not compared.
    const withoutIt = afterRun.filter((l) => !l.startsWith('sysctl net.ipv4.tcp_reordering '));
    expect(movedSince('router_a', withoutIt, now('64'))).toEqual([]);
  });

  it('ignores blank lines of the recorded state', () => {
    expect(movedSince('router_a', ['', ...afterRun, ''], converged)).toEqual([]);
  });

  it('asks the detail of the root qdiscs the after-state holds in detail, not of teql\'s nor of one held by its kind (an older teqlctl\'s held every shaped device)', () => {
    const lines = ['root qdisc htb dev eth0 1: 0123456789abcdef', 'root qdisc teql0 dev eth1', 'root qdisc sfq dev lan0', 'root qdisc tbf dev eth3 2: fedcba9876543210', 'link eth1 up mtu 1500'];
    expect(qdiscDetailSelectors(lines)).toEqual(['qdisc eth0', 'qdisc eth3']);
  });

  it('a device that appeared since (a subscriber\'s session) is no drift; a change on one the after-state names still is', () => {
    const session = {
      ...converged,
      links: [...converged.links, { name: 'sess0', up: true, operstate: 'UNKNOWN', mtu: 1492 }],
      addresses: [...converged.addresses, { dev: 'sess0', cidr: '100.64.9.1/32', peer: '100.64.9.2/32' }],
      sysctls: { ...converged.sysctls, 'net.ipv4.conf.sess0.rp_filter': '2' },
    };
    expect(movedSince('router_a', afterRun, session)).toEqual([]);
    const eth1Down = { ...session, links: session.links.map((l) => (l.name === 'eth1' ? { ...l, up: false } : l)) };
    expect(movedSince('router_a', afterRun, eth1Down)).toEqual(['router_a: no longer holds link eth1 up mtu 1500', 'router_a: now also holds link eth1 down mtu 1500']);
  });

  describe('an after-state recorded with its run\'s scope', () => {
    const scope: RunScope = { devices: new Set(['eth1', 'eth2', 'teql0']), networks: new Set(['198.51.100.0/24', '203.0.113.0/24']), sources: new Set(['10.0.0.0']), named: new Set(['eth1', 'eth2', 'teql0']) };
    // As play/rollback-all.ts afterStateOf records it: the run's lines, then the scope.
    const record = (f: typeof converged) => [...[...stateLines(f)].filter((l) => inRunScope(l, scope)).sort(), ...scopeLines(scope)];
    const backup = { ...converged, routes: [...converged.routes, { to: '198.51.100.0/24', via: '192.0.2.254', dev: 'lan0', metric: 100 }] };

    it('nothing moved: no drift, though a backup route at the run\'s network is on a device the run did not touch (its other lines were refused as moved, a review)', () => {
      expect(record(backup).some((l) => l.startsWith('route 198.51.100.0/24 via 192.0.2.254 dev lan0'))).toBe(true);
      expect(movedSince('router_a', record(backup), backup)).toEqual([]);
    });

    it('a route added since at a network the run removed a route from, on any device, is drift (its undo would meet it)', () => {
      const added = { ...converged, routes: [...converged.routes, { to: '203.0.113.0/24', via: '172.16.0.254', dev: 'eth3', metric: 0 }] };
      expect(movedSince('router_a', record(converged), added)).toEqual(['router_a: now also holds route 203.0.113.0/24 via 172.16.0.254 dev eth3 metric 0']);
    });

    it('a run whose scope is empty (a global sysctl alone) is not read as an older after-state: a backup route at the chapter\'s network is no drift (a review)', () => {
      const empty: RunScope = { devices: new Set(), networks: new Set(), sources: new Set() };
      const lines = [...[...stateLines(backup)].filter((l) => inRunScope(l, empty)).sort(), ...scopeLines(empty)];
      expect(lines).toContain('scope recorded');
      expect(movedSince('router_a', lines, backup)).toEqual([]);
    });

    it('an address of the run whose attributes changed is drift, though no recorded address has any to tell the version by (a review)', () => {
      const peer = { ...converged, addresses: converged.addresses.map((x) => (x.cidr === '10.0.0.0/31' ? { ...x, peer: '10.0.0.1/32' } : x)) };
      expect(movedSince('router_a', record(converged), peer)).toEqual(expect.arrayContaining([expect.stringMatching(/^router_a: now also holds address 10\.0\.0\.0\/31 peer 10\.0\.0\.1\/32 /)]));
    });

    it('a VLAN made since on one of the run\'s links, or a bridge it was made a port of, is drift (its undo reaches them; a review found them unseen); one on another link is not', () => {
      const vlan = (name: string, lower: string) => ({ name, up: true, operstate: 'UP', mtu: 1500, kind: 'vlan', lower, vlanId: 100 });
      const onEth1 = { ...converged, links: [...converged.links, vlan('eth1.100', 'eth1')], addresses: [...converged.addresses, { dev: 'eth1.100', cidr: '172.16.100.1/24' }] };
      expect(movedSince('router_a', record(converged), onEth1 as never)).toEqual(['router_a: now also holds link eth1.100 up mtu 1500', 'router_a: now also holds address 172.16.100.1/24 dev eth1.100']);
      const onLan = { ...converged, links: [...converged.links, vlan('lan0.100', 'lan0')], addresses: [...converged.addresses, { dev: 'lan0.100', cidr: '172.16.100.1/24' }] };
      expect(movedSince('router_a', record(converged), onLan as never)).toEqual([]);
      const bridged = { ...converged, links: [...converged.links.map((l) => (l.name === 'eth2' ? { ...l, master: 'br0' } : l)), { name: 'br0', up: true, operstate: 'UP', mtu: 1500, kind: 'bridge' }] };
      expect(movedSince('router_a', record(converged), bridged as never)).toEqual(['router_a: now also holds link br0 up mtu 1500']);
    });

    it('what was stacked on the run\'s links when it recorded its scope, a step further than its scope, is no drift where nothing moved (a bridge over a VLAN of eth1, eth2 a port of a bond with other ports, of a bridge with a VLAN: a second review found them refused)', () => {
      const link = (name: string, extra: object) => ({ name, up: true, operstate: 'UP', mtu: 1500, ...extra });
      const recordFrom = (f: typeof converged, ops: Op[]) => { const sc = runScope(ops, f); return [...[...stateLines(f)].filter((l) => inRunScope(l, sc)).sort(), ...scopeLines(sc)]; };
      const bridged = { ...converged, links: [...converged.links, link('eth1.100', { kind: 'vlan', lower: 'eth1', vlanId: 100, master: 'br100' }), link('br100', { kind: 'bridge' })], addresses: [...converged.addresses, { dev: 'br100', cidr: '172.16.100.1/24' }] } as never;
      expect(movedSince('router_a', recordFrom(bridged, [{ kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' } as Op]), bridged)).toEqual([]);
      const bond = { ...converged, links: [...converged.links.map((l) => (l.name === 'eth2' ? { ...l, master: 'bond0' } : l)), link('eth3', { master: 'bond0' }), link('bond0', { kind: 'bond' }), link('bond0.7', { kind: 'vlan', lower: 'bond0', vlanId: 7 })], addresses: [...converged.addresses, { dev: 'bond0.7', cidr: '172.16.7.1/24' }] } as never;
      expect(movedSince('router_a', recordFrom(bond, [{ kind: 'link', dev: 'eth2', up: true } as Op]), bond)).toEqual([]);
      const br0 = { ...converged, links: [...converged.links.map((l) => (l.name === 'eth2' ? { ...l, master: 'br0' } : l)), link('br0', { kind: 'bridge' }), link('br0.5', { kind: 'vlan', lower: 'br0', vlanId: 5 })], addresses: [...converged.addresses, { dev: 'br0.5', cidr: '172.16.5.1/24' }] } as never;
      expect(movedSince('router_a', recordFrom(br0, [{ kind: 'link', dev: 'eth2', up: true } as Op]), br0)).toEqual([]);
      // A VLAN made since on eth1 under the same record: drift.
      const later = { ...(bridged as typeof converged), links: [...(bridged as typeof converged).links, link('eth1.200', { kind: 'vlan', lower: 'eth1', vlanId: 200 })] } as never;
      expect(movedSince('router_a', recordFrom(bridged, [{ kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' } as Op]), later)).toEqual(['router_a: now also holds link eth1.200 up mtu 1500']);
      // An after-state recorded without the named devices (earlier on 2026-12-07) is not grown.
      const older = recordFrom(bridged, [{ kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' } as Op]).filter((l) => !l.startsWith('scope named '));
      expect(movedSince('router_a', older, later)).toEqual([]);
    });

    it('a route added since on another device with one of the run\'s addresses as source is drift (the undo\'s address removal takes it)', () => {
      const added = { ...converged, routes: [...converged.routes, { to: '192.0.2.128/25', dev: 'lan0', metric: 0, src: '10.0.0.0' }] };
      expect(movedSince('router_a', record(converged), added)).toEqual(['router_a: now also holds route 192.0.2.128/25 dev lan0 metric 0 src 10.0.0.0']);
    });
  });
});

