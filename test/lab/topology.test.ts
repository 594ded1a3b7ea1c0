import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { ethInterfaces, interfacesFromIpLink } from '../../src/lab/interfaces.js';
import { describeTopology, linkPort, macAddress, parseTopology, sameTopology } from '../../src/lab/topology.js';

describe('parseTopology (lab up --links, --names)', () => {
  it('defaults to two links with eth names, the lab as it always was', () => {
    expect(parseTopology(undefined, undefined)).toEqual({ links: 2, names: 'eth' });
  });
  it('takes 2 to 4 links and either name scheme', () => {
    expect(parseTopology('3', 'predictable')).toEqual({ links: 3, names: 'predictable' });
    expect(parseTopology('4', 'eth')).toEqual({ links: 4, names: 'eth' });
  });
  it.each(['1', '5', '0', '3.5', 'three', '', ' 3'])('refuses --links %j with a LabError (exit 7)', (links) => {
    expect(() => parseTopology(links, undefined)).toThrow(LabError);
    expect(() => parseTopology(links, undefined)).toThrow(/from 2 to 4/);
  });
  it('refuses an unknown name scheme', () => {
    expect(() => parseTopology('3', 'ens')).toThrow(/--names ens is not one of eth, predictable/);
  });
  it('compares and describes topologies', () => {
    expect(sameTopology({ links: 3, names: 'eth' }, { links: 3, names: 'eth' })).toBe(true);
    expect(sameTopology({ links: 3, names: 'eth' }, { links: 3, names: 'predictable' })).toBe(false);
    expect(describeTopology({ links: 3, names: 'predictable' })).toBe('3 links, predictable names');
  });
});

describe('link ports and MACs', () => {
  it('link k of router r listens on 40000 + 10r + k and has MAC 52:54:00:7e:0r:0k', () => {
    expect([1, 2, 3, 4].map((k) => linkPort('a', k))).toEqual([40011, 40012, 40013, 40014]);
    expect(linkPort('b', 3)).toBe(40023);
    expect(macAddress('b', 3)).toBe('52:54:00:7e:02:03');
    expect(macAddress('a', 0)).toBe('52:54:00:7e:01:00');
  });
});

// `ip -j link show` on router b of a three-link lab with predictable names, shortened; lan0 and
// teql0 are there too and must be ignored, and the order of the output must not matter.
const IP_LINK_B = JSON.stringify([
  { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP'], link_type: 'loopback', address: '00:00:00:00:00:00' },
  { ifindex: 4, ifname: 'ens5', flags: ['BROADCAST', 'MULTICAST'], link_type: 'ether', address: '52:54:00:7e:02:02' },
  { ifindex: 2, ifname: 'ens3', flags: ['BROADCAST', 'UP'], link_type: 'ether', address: '52:54:00:7e:02:00' },
  { ifindex: 3, ifname: 'ens4', flags: ['BROADCAST', 'MULTICAST'], link_type: 'ether', address: '52:54:00:7e:02:01' },
  { ifindex: 5, ifname: 'ens6', flags: ['BROADCAST', 'MULTICAST'], link_type: 'ether', address: '52:54:00:7e:02:03' },
  { ifindex: 6, ifname: 'lan0', flags: ['BROADCAST', 'NOARP', 'UP'], link_type: 'ether', address: '52:54:00:7e:02:10' },
  { ifindex: 7, ifname: 'teql0', flags: ['POINTOPOINT', 'NOARP'], link_type: 'void' },
]);

describe('interfacesFromIpLink', () => {
  it("finds each NIC by the MAC the lab gave it, link 1 first", () => {
    expect(interfacesFromIpLink(IP_LINK_B, 'b', { links: 3, names: 'predictable' })).toEqual({
      management: 'ens3',
      links: ['ens4', 'ens5', 'ens6'],
    });
  });
  it("does not take router a's MACs for b's", () => {
    expect(() => interfacesFromIpLink(IP_LINK_B, 'a', { links: 3, names: 'predictable' })).toThrow(/router a has no interface with MAC 52:54:00:7e:01:00/);
  });
  it('fails when the router has fewer links than the topology says', () => {
    expect(() => interfacesFromIpLink(IP_LINK_B, 'b', { links: 4, names: 'predictable' })).toThrow(/MAC 52:54:00:7e:02:04/);
  });
  it("the default lab's names are eth0 for management and eth1..ethN for the links", () => {
    expect(ethInterfaces({ links: 2, names: 'eth' })).toEqual({ management: 'eth0', links: ['eth1', 'eth2'] });
  });
});
