// Which devices a run's flush took routes and neighbours from, and of which family: what a
// rollback's check compares there (rollback/compare.ts). Only those: an MTU change or an address
// that leaves another one on the link flushes nothing (a review found a daemon's policy table on
// such a link compared, and a correct rollback said incomplete).
import { describe, expect, it } from 'vitest';
import { flushedDevices } from '../../src/plan/simulate-routes.js';
import { diffState } from '../../src/rollback/compare.js';
import type { Facts } from '../../src/gather/facts.js';
import { pristineFacts } from '../helpers/facts.js';

const base = (): Facts => {
  const f = pristineFacts();
  return {
    ...f,
    links: [...f.links, { name: 'eth1.100', up: true, operstate: 'UP', mtu: 1500, kind: 'vlan', lower: 'eth1' }],
    addresses: [...f.addresses.filter((a) => a.dev !== 'eth1' && a.dev !== 'eth2'), { dev: 'eth2', cidr: '10.2.0.1/24' }],
  };
};

describe('flushedDevices', () => {
  it('a link taken down or up: it and its VLANs, every family', () => {
    expect(flushedDevices([{ kind: 'link', dev: 'eth1', up: false }], base())).toEqual(new Map([['eth1', 'all'], ['eth1.100', 'all']]));
    expect(flushedDevices([{ kind: 'link', dev: 'eth1', up: true }], base())).toEqual(new Map([['eth1', 'all'], ['eth1.100', 'all']]));
  });

  it('a link whose MTU alone changes: nothing', () => {
    expect(flushedDevices([{ kind: 'link', dev: 'eth1', mtu: 1400 } as never], base())).toEqual(new Map());
  });

  it('an address added to a link that had none (its undo leaves it bare), or its last one deleted: IPv4\'s alone, not its VLANs', () => {
    expect(flushedDevices([{ kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' }], base())).toEqual(new Map([['eth1', 'ipv4']]));
    expect(flushedDevices([{ kind: 'addr-del', dev: 'eth2', cidr: '10.2.0.1/24' }], base())).toEqual(new Map([['eth2', 'ipv4']]));
  });

  it('an address added beside another, or one of two deleted: nothing', () => {
    expect(flushedDevices([{ kind: 'addr-add', dev: 'eth2', cidr: '10.2.0.9/24' }], base())).toEqual(new Map());
    const two = { ...base(), addresses: [...base().addresses, { dev: 'eth2', cidr: '10.3.0.1/24' }] };
    expect(flushedDevices([{ kind: 'addr-del', dev: 'eth2', cidr: '10.2.0.1/24' }], two)).toEqual(new Map());
  });

  it('the rollback\'s check compares IPv6 routes only where the flush took them', () => {
    const v6 = { family: 'inet6' as const, to: '2001:db8:9::/64', dev: 'eth1', metric: 1024 };
    const v4 = { to: '198.51.100.0/24', dev: 'eth1', metric: 0, scope: 'link', table: '200' };
    const snapshot = { ...base(), flushable: { routes: [v4, v6], neighbours: [], ipv6: true as const } };
    const now = { ...snapshot, flushable: { routes: [], neighbours: [], ipv6: true as const } };
    const ipv4 = flushedDevices([{ kind: 'addr-add', dev: 'eth1', cidr: '10.0.0.0/31' }], snapshot);
    expect(diffState(snapshot, now, ipv4).missing).toEqual(['route 198.51.100.0/24 dev eth1 metric 0 table 200']);
    const down = flushedDevices([{ kind: 'link', dev: 'eth1', up: false }], snapshot);
    expect(diffState(snapshot, now, down).missing).toEqual(['route 198.51.100.0/24 dev eth1 metric 0 table 200', 'route 2001:db8:9::/64 dev eth1 metric 1024']);
  });
});
