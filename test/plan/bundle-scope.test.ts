import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/load/bundle-types.js';
import { changeBundles, checkBundles, goesWith, lineBundles, opBundles, scopesOf, taskBundles } from '../../src/plan/bundle-scope.js';
import type { Check, Change } from '../../src/plan/types.js';
import type { TaskInstance } from '../../src/load/types.js';

const pos = { file: 'inv.yml', line: 1, col: 1 };
const end = (host: string, peer: string, device: string, slaves: string[], links: string[], address: string, lanNetwork?: string) => ({
  host, peer, device, slaves, linkAddresses: links, address, ...(lanNetwork ? { lanNetwork, peerNetwork: undefined } : {}), declared: 'teql_bundles' as const, pos, at: {},
});
// A hub with teql0 to branch1 (eth1, eth2) and teql1 to branch2 (eth3).
const B1 = 'hub:teql0<->branch1:teql0';
const B2 = 'hub:teql1<->branch2:teql0';
const bundles: Bundle[] = [
  { name: B1, ends: [{ ...end('hub', 'branch1', 'teql0', ['eth1', 'eth2'], ['10.0.0.0/31', '10.0.0.2/31'], '10.0.0.4/31'), peerNetwork: '10.1.0.0/16' }, end('branch1', 'hub', 'teql0', ['eth1', 'eth2'], ['10.0.0.1/31', '10.0.0.3/31'], '10.0.0.5/31', '10.1.0.0/16')] },
  { name: B2, ends: [{ ...end('hub', 'branch2', 'teql1', ['eth3'], ['10.0.1.0/31'], '10.0.1.4/31'), peerNetwork: '10.2.0.0/16' }, end('branch2', 'hub', 'teql0', ['eth1'], ['10.0.1.1/31'], '10.0.1.5/31', '10.2.0.0/16')] },
];
const hub = scopesOf('hub', bundles);
const task = (t: Omit<TaskInstance, 'name' | 'pos'>): TaskInstance => ({ ...t, name: 't', pos } as TaskInstance);

describe('which bundle a thing on a hub belongs to', () => {
  it('a step on a slave, the equalizer or a per-device sysctl is its bundle\'s; the module and files are shared', () => {
    expect(opBundles({ kind: 'addr-add', dev: 'eth3', cidr: '10.0.1.0/31' }, hub)).toEqual([B2]);
    expect(opBundles({ kind: 'qdisc-root', dev: 'eth1', qdisc: 'teql0', replace: false }, hub)).toEqual([B1]);
    expect(opBundles({ kind: 'link', dev: 'teql1', up: true }, hub)).toEqual([B2]);
    expect(opBundles({ kind: 'sysctl', name: 'net.ipv4.conf.eth2.rp_filter', value: '0' }, hub)).toEqual([B1]);
    expect(opBundles({ kind: 'baseline-set', key: 'sysctl:net.ipv4.conf.eth3.rp_filter', value: '2' }, hub)).toEqual([B2]);
    expect(opBundles({ kind: 'baseline-set', key: 'link:eth1', value: 'down mtu 1500' }, hub)).toEqual([B1]);
    // An address a run replaced (address-baseline.ts) is its device's bundle's: a partial rollback forgets it (a review).
    expect(opBundles({ kind: 'baseline-set', key: 'address:eth3:10.0.1.0', value: '{"cidr":"10.0.1.0/24"}' }, hub)).toEqual([B2]);
    expect(lineBundles('baseline address:eth1:10.0.0.0 = {"cidr":"10.0.0.0/24"}', hub)).toEqual([B1]);
    // A replaced root qdisc's record is its slave's bundle's, a route's record its network's (route-baseline.ts, qdisc-baseline.ts; a review).
    expect(opBundles({ kind: 'baseline-set', key: 'qdisc:eth3', value: '{}' }, hub)).toEqual([B2]);
    expect(lineBundles('baseline qdisc:eth2 = {}', hub)).toEqual([B1]);
    expect(opBundles({ kind: 'baseline-set', key: 'route:10.2.0.0/16:0', value: 'none' }, hub)).toEqual([B2]);
    expect(lineBundles('baseline route:10.1.0.0/16:0 = none', hub)).toEqual([B1]);
    expect(opBundles({ kind: 'baseline-unset', key: 'route:172.16.0.0/12:0' }, hub)).toEqual([]);
    expect(opBundles({ kind: 'sysctl', name: 'net.ipv4.conf.all.rp_filter', value: '0' }, hub)).toEqual([]);
    expect(opBundles({ kind: 'modprobe', module: 'sch_teql', maxEqualizers: 2 }, hub)).toEqual([]);
    expect(opBundles({ kind: 'file-write', path: '/etc/x', content: '', executable: false }, hub)).toEqual([]);
  });

  it('a route is its bundle\'s by its device, its gateway (the peer\'s equalizer) or its destination (the peer\'s network)', () => {
    expect(opBundles({ kind: 'route-add', route: { to: '10.2.0.0/16', via: '10.0.1.5', metric: 0 } }, hub)).toEqual([B2]);
    expect(opBundles({ kind: 'route-add', route: { to: '10.1.0.0/16', dev: 'teql0', metric: 0 } }, hub)).toEqual([B1]);
    expect(opBundles({ kind: 'route-add', route: { to: '172.16.0.0/12', via: '192.0.2.254', metric: 0 } }, hub)).toEqual([]);
  });

  it('a ping is the bundle of the address it pings, or of the device it pings through', () => {
    const check = (c: Partial<Check>): Check => ({ task: 't', to: '', count: 3, timeout: 1, pos, ...c });
    expect(checkBundles(check({ to: '10.0.1.1' }), hub)).toEqual([B2]);
    expect(checkBundles(check({ to: '10.0.0.5' }), hub)).toEqual([B1]);
    expect(checkBundles(check({ to: '198.51.100.7', dev: 'teql1' }), hub)).toEqual([B2]);
    expect(checkBundles(check({ to: '198.51.100.7' }), hub)).toEqual([]);
    // Inside the network routed to a peer: that bundle's, whatever the source.
    expect(checkBundles(check({ to: '10.2.7.9', from: '192.0.2.1' }), hub)).toEqual([B2]);
  });

  it('tasks and lines of router state follow the same rules', () => {
    expect(taskBundles(task({ module: 'teql', args: { device: 'teql1', slaves: ['eth3'], state: 'present', replace: false } }), hub)).toEqual([B2]);
    expect(taskBundles(task({ module: 'ping', args: { to: '10.0.0.1', count: 3, timeout: 1 } }), hub)).toEqual([B1]);
    expect(taskBundles(task({ module: 'sysctl', args: { name: 'net.ipv4.tcp_reordering', value: '30', state: 'present' } }), hub)).toEqual([]);
    expect(lineBundles('address 10.0.1.0/31 dev eth3', hub)).toEqual([B2]);
    expect(lineBundles('link eth2 up mtu 1500', hub)).toEqual([B1]);
    expect(lineBundles('root qdisc teql0 dev eth1', hub)).toEqual([B1]);
    expect(lineBundles('route 10.2.0.0/16 via 10.0.1.5 dev teql1 metric 0', hub)).toEqual([B2]);
    expect(lineBundles('sysctl net.ipv4.conf.eth3.rp_filter = 0', hub)).toEqual([B2]);
    expect(lineBundles('baseline link:eth3 = down mtu 1500', hub)).toEqual([B2]);
    expect(lineBundles('module sch_teql loaded', hub)).toEqual([]);
  });

  it('a change is its steps\' bundles', () => {
    const change: Change = { action: '+', resource: 'teql1 on eth3', before: null, after: 'x', task: 't', pos, steps: [
      { op: { kind: 'modprobe', module: 'sch_teql', maxEqualizers: 2 }, undo: [] },
      { op: { kind: 'qdisc-root', dev: 'eth3', qdisc: 'teql1', replace: false }, undo: [] },
    ] };
    expect(changeBundles(change, hub)).toEqual([B2]);
  });
});

describe('what goes with the failed bundles', () => {
  it('a thing goes when every bundle that owns it failed; a shared thing only when the host has none left', () => {
    const mine = [B1, B2];
    expect(goesWith([B2], new Set([B2]), mine)).toBe(true);
    expect(goesWith([B1], new Set([B2]), mine)).toBe(false);
    expect(goesWith([], new Set([B2]), mine)).toBe(false);
    expect(goesWith([], new Set([B1, B2]), mine)).toBe(true);
    expect(goesWith([B1, B2], new Set([B2]), mine)).toBe(false);
  });

  it('on a host with one bundle everything is that bundle\'s', () => {
    const branch = scopesOf('branch2', bundles);
    expect(branch.map((s) => s.bundle)).toEqual([B2]);
    expect(goesWith(opBundles({ kind: 'modprobe', module: 'sch_teql' }, branch), new Set([B2]), [B2])).toBe(true);
  });
});
