import { describe, expect, it } from 'vitest';
import { partialResidual, rpFilterRaises } from '../../src/rollback/partial.js';
import { diffState } from '../../src/rollback/compare.js';
import { isDaemonRoute } from '../../src/gather/route-fact.js';
import type { Facts } from '../../src/gather/facts.js';
import { pristineFacts } from '../helpers/facts.js';

const withLink = (f: Facts, name: string, up: boolean): Facts => ({ ...f, links: [...f.links.filter((l) => l.name !== name), { name, up, operstate: up ? 'UP' : 'DOWN', mtu: 1500 }] });
const withAddr = (f: Facts, dev: string, cidr: string): Facts => ({ ...f, addresses: [...f.addresses, { dev, cidr }] });
// eth1 is bundle X's (failed), eth2 bundle Y's (kept); teqlN are made by the shared module.
const goes = (line: string) => /\beth1\b|\bteql1\b/.test(line);

describe('a partial rollback\'s residual', () => {
  const snapshot = pristineFacts();
  const before = withAddr(withAddr(withLink(withLink(withLink(withLink(snapshot, 'eth1', true), 'eth2', true), 'teql0', true), 'teql1', true), 'eth1', '10.0.0.0/31'), 'eth2', '10.0.1.0/31');

  it('is empty when the failed bundle\'s lines are as in the snapshot and the rest as before', () => {
    const after = withAddr(withLink(withLink(withLink(snapshot, 'eth2', true), 'teql0', true), 'teql1', false), 'eth2', '10.0.1.0/31');
    expect(partialResidual(snapshot, before, after, goes)).toEqual({ missing: [], extra: [] });
  });

  it('names a failed bundle\'s line left over, and a kept bundle\'s line lost', () => {
    const after = withAddr(withLink(withLink(snapshot, 'teql0', true), 'teql1', false), 'eth1', '10.0.0.0/31');
    const r = partialResidual(snapshot, before, after, goes);
    expect(r.extra).toEqual(['address 10.0.0.0/31 dev eth1', 'link eth2 down mtu 1500']);
    expect(r.missing).toEqual(['address 10.0.1.0/31 dev eth2', 'link eth2 up mtu 1500']);
  });

  it('accepts a module-made equalizer left down, not one left up or holding an address', () => {
    const up = withAddr(withLink(withLink(withLink(snapshot, 'eth2', true), 'teql0', true), 'teql1', true), 'eth2', '10.0.1.0/31');
    expect(partialResidual(snapshot, before, up, goes).extra).toEqual(['link teql1 up mtu 1500']);
    const addressed = withAddr(withAddr(withLink(withLink(withLink(snapshot, 'eth2', true), 'teql0', true), 'teql1', false), 'eth2', '10.0.1.0/31'), 'teql1', '10.0.9.4/31');
    expect(partialResidual(snapshot, before, addressed, goes).extra).toEqual(['address 10.0.9.4/31 dev teql1']);
  });
});

describe('a partial rollback\'s residual: what the kernel flushed with the failed bundle\'s links', () => {
  // A policy table's route and an IPv6 route through eth1 (failed bundle X's slave), an NDP entry on
  // it, and a daemon's policy table on eth2 (kept bundle Y's), which it rewrites as it likes.
  const snapshot: Facts = {
    ...pristineFacts(),
    flushable: {
      routes: [
        { to: '198.51.100.0/24', dev: 'eth1', metric: 0, scope: 'link', table: '200' },
        { family: 'inet6', to: '2001:db8:9::/64', via: '2001:db8:1::2', dev: 'eth1', metric: 1024 },
        { to: '10.99.0.0/16', dev: 'eth2', metric: 0, scope: 'link', table: '52' },
      ],
      neighbours: [{ dev: 'eth1', address: '2001:db8:1::7', lladdr: '02:00:00:00:00:07' }],
      ipv6: true,
    },
  };
  const without = (f: Facts, gone: (x: { dev?: string; to?: string; address?: string }) => boolean): Facts => ({ ...f, flushable: { ...f.flushable!, routes: f.flushable!.routes.filter((r) => !gone(r)), neighbours: f.flushable!.neighbours.filter((n) => !gone(n)) } });

  it('one the undo did not put back is said as missing, for the devices whose flush the undone steps caused; a daemon\'s table elsewhere is not the run\'s', () => {
    const flushed = new Set(['eth1']);
    expect(partialResidual(snapshot, snapshot, snapshot, goes, flushed)).toEqual({ missing: [], extra: [] });
    // The undo's re-adds failed: the kernel flushed them with eth1, nothing came back.
    const lost = without(snapshot, (x) => x.dev === 'eth1' && (x.to === '2001:db8:9::/64' || x.address !== undefined));
    expect(partialResidual(snapshot, snapshot, lost, goes, flushed)).toEqual({ missing: ['neighbour 2001:db8:1::7 lladdr 02:00:00:00:00:07 dev eth1', 'route 2001:db8:9::/64 via 2001:db8:1::2 dev eth1 metric 1024'], extra: [] });
    const rewritten = without(snapshot, (x) => x.to === '10.99.0.0/16');
    expect(partialResidual(snapshot, snapshot, rewritten, goes, flushed)).toEqual({ missing: [], extra: [] });
    // Without the devices (an older caller), nothing of it is compared, as before.
    expect(partialResidual(snapshot, snapshot, lost, goes)).toEqual({ missing: [], extra: [] });
  });
});

describe('reverse-path filtering on a rolled-back bundle\'s links (conf.all stays low for the kept ones)', () => {
  const set = (f: Facts, sysctls: Record<string, string>): Facts => ({ ...f, sysctls: { ...f.sysctls, ...sysctls } });
  // Before the run: all=2, eth1=0, so eth1 filtered at 2. The run lowered all to 0 for the kept bundle (eth2).
  const snapshot = set(pristineFacts(), { 'net.ipv4.conf.all.rp_filter': '2', 'net.ipv4.conf.eth1.rp_filter': '0', 'net.ipv4.conf.eth2.rp_filter': '0' });
  const undone = set(snapshot, { 'net.ipv4.conf.all.rp_filter': '0' });
  const goesEth1 = (line: string) => /\beth1\b/.test(line);

  it('names the failed bundle\'s links that now filter less than before, and the value they need', () => {
    expect(rpFilterRaises(snapshot, undone, goesEth1)).toEqual([{ name: 'net.ipv4.conf.eth1.rp_filter', from: '0', to: '2' }]);
    expect(rpFilterRaises(snapshot, set(undone, { 'net.ipv4.conf.eth1.rp_filter': '2' }), goesEth1)).toEqual([]);
  });

  it('judges those links by the filtering in effect: loosened is a residual, raised back is as before', () => {
    const before = undone;
    expect(partialResidual(snapshot, before, undone, goesEth1).missing).toEqual(['rp_filter in effect on eth1 = 2']);
    const raised = set(undone, { 'net.ipv4.conf.eth1.rp_filter': '2' });
    expect(partialResidual(snapshot, before, raised, goesEth1)).toEqual({ missing: [], extra: [] });
  });

  it('accepts the raise\'s baseline record of the link\'s own value before the run, and no other', () => {
    const raised = set(undone, { 'net.ipv4.conf.eth1.rp_filter': '2' });
    const recorded = (value: string, f: Facts = raised): Facts => ({ ...f, baseline: { ...f.baseline, 'sysctl:net.ipv4.conf.eth1.rp_filter': value } });
    expect(partialResidual(snapshot, undone, recorded('0'), goesEth1)).toEqual({ missing: [], extra: [] });
    // Not its value before the run, or a link not raised: a residual.
    expect(partialResidual(snapshot, undone, recorded('1'), goesEth1).extra).toEqual(['baseline sysctl:net.ipv4.conf.eth1.rp_filter = 1']);
    expect(partialResidual(snapshot, undone, recorded('0', set(undone, { 'net.ipv4.conf.eth1.rp_filter': '0' })), goesEth1).extra).toEqual(['baseline sysctl:net.ipv4.conf.eth1.rp_filter = 0', 'rp_filter in effect on eth1 = 0']);
  });
});

describe('a partial rollback after a run that turned forwarding on (shared, kept with the healthy bundle)', () => {
  const fw = (v: string): Record<string, string> => ({
    'net.ipv4.ip_forward': v, 'net.ipv4.conf.all.forwarding': v, 'net.ipv4.conf.default.forwarding': v,
    'net.ipv4.conf.eth1.forwarding': v, 'net.ipv4.conf.eth2.forwarding': v, 'net.ipv4.conf.all.accept_redirects': v === '1' ? '0' : '1',
  });
  const snapshot: Facts = { ...pristineFacts(), sysctls: { ...pristineFacts().sysctls, ...fw('0') } };
  const before: Facts = { ...snapshot, sysctls: { ...snapshot.sysctls, ...fw('1') } };

  it('the failed bundle\'s link keeps the forwarding the kept global gave it: nothing left over (it was "incomplete")', () => {
    expect(partialResidual(snapshot, before, before, goes)).toEqual({ missing: [], extra: [] });
  });

  it('with the global undone too (no bundle left), the link\'s forwarding is compared with the snapshot\'s', () => {
    const all = () => true;
    expect(partialResidual(snapshot, before, before, all).missing).toContain('sysctl net.ipv4.conf.eth1.forwarding = 0');
    expect(partialResidual(snapshot, before, snapshot, all)).toEqual({ missing: [], extra: [] });
  });
});

describe('a routing daemon\'s routes (bird, FRR\'s zebra, bgp, a protocol number): not the run\'s, never compared', () => {
  const route = (to: string, protocol?: string) => ({ to, via: '192.0.2.1', dev: 'eth0', metric: 20, ...(protocol ? { protocol } : {}) });
  const snapshot: Facts = { ...pristineFacts(), routes: [...pristineFacts().routes, route('198.51.100.0/24', 'bird')] };

  it('one that appeared or went between the snapshot and a rollback leaves it complete (was: exit 6)', () => {
    // An adjacency formed over the new equalizer: a new route; a path lost: the old one gone.
    const now: Facts = { ...snapshot, routes: [...pristineFacts().routes, route('203.0.113.0/24', 'zebra'), route('192.0.2.128/25', '186')] };
    expect(diffState(snapshot, now)).toEqual({ missing: [], extra: [] });
    expect(partialResidual(snapshot, snapshot, now, goes)).toEqual({ missing: [], extra: [] });
  });

  it('a route by hand, a script, a DHCP client or the kernel still is', () => {
    for (const protocol of [undefined, 'static', 'dhcp', 'kernel']) {
      const now: Facts = { ...snapshot, routes: [...snapshot.routes, route('203.0.113.0/24', protocol)] };
      expect(diffState(snapshot, now).extra, String(protocol)).toHaveLength(1);
    }
    expect(isDaemonRoute('route 203.0.113.0/24 via 192.0.2.1 dev eth0 proto bird metric 20')).toBe(true);
    expect(isDaemonRoute('route 203.0.113.0/24 via 192.0.2.1 dev eth0 proto static metric 20')).toBe(false);
    expect(isDaemonRoute('link eth0 up mtu 1500')).toBe(false);
  });
});
