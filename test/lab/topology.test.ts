import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
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
  it.each(['1', '5', '0', '3.5', 'three', '', ' 3'])('refuses --links %j as bad input (exit 2; 7 is a broken lab: a review)', (links) => {
    expect(() => parseTopology(links, undefined)).toThrow(ConfigError);
    try {
      parseTopology(links, undefined);
    } catch (err) {
      expect((err as ConfigError).exitCode).toBe(2);
    }
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

  it('TEQLCTL_LAB_LINK_PORT_BASE moves every link port, for a second lab on the same host; a bad value is refused', () => {
    const env = { TEQLCTL_LAB_LINK_PORT_BASE: '40100' };
    expect([linkPort('a', 1, env), linkPort('b', 2, env), linkPort('h', 8, env)]).toEqual([40111, 40122, 40138]);
    expect(linkPort('a', 1, { TEQLCTL_LAB_LINK_PORT_BASE: '' })).toBe(40011);
    for (const bad of ['4e4', '-1', '80', '65530', ' 40100']) {
      expect(() => linkPort('a', 1, { TEQLCTL_LAB_LINK_PORT_BASE: bad }), bad).toThrow(/TEQLCTL_LAB_LINK_PORT_BASE=.* is not a port/);
    }
  });
});

// `ip -j link show`, recorded on router b of `lab up --links 3 --names predictable` (ens3..ens6,
// altnames enp0s3..enp0s6, and lan0, whose MAC is not a NIC's and must be ignored).
const IP_LINK_B = readFileSync(join(import.meta.dirname, 'fixtures', 'ip-link-b-3-links-predictable.json'), 'utf8');

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
  it('does not depend on the order of the output', () => {
    const reversed = JSON.stringify((JSON.parse(IP_LINK_B) as unknown[]).reverse());
    expect(interfacesFromIpLink(reversed, 'b', { links: 3, names: 'predictable' }).links).toEqual(['ens4', 'ens5', 'ens6']);
  });
  it('fails when the router has fewer links than the topology says', () => {
    expect(() => interfacesFromIpLink(IP_LINK_B, 'b', { links: 4, names: 'predictable' })).toThrow(/MAC 52:54:00:7e:02:04/);
  });
  it("the default lab's names are eth0 for management and eth1..ethN for the links", () => {
    expect(ethInterfaces({ links: 2, names: 'eth' })).toEqual({ management: 'eth0', links: ['eth1', 'eth2'] });
  });
});

describe('--link-manager', () => {
  it('defaults to none, takes networkd, refuses anything else with a hint', () => {
    expect(parseTopology('3', 'predictable')).toEqual({ links: 3, names: 'predictable' });
    expect(parseTopology('3', 'predictable', 'networkd')).toEqual({ links: 3, names: 'predictable', linkManager: 'networkd' });
    expect(() => parseTopology('3', 'predictable', 'ifupdown')).toThrow(/--link-manager ifupdown is not one of none, networkd/);
  });
  it('is part of the topology: a lab with networkd-managed links is another lab', () => {
    expect(sameTopology({ links: 3, names: 'eth' }, { links: 3, names: 'eth', linkManager: 'none' })).toBe(true);
    expect(sameTopology({ links: 3, names: 'eth' }, { links: 3, names: 'eth', linkManager: 'networkd' })).toBe(false);
    expect(describeTopology({ links: 3, names: 'predictable', linkManager: 'networkd' })).toBe('3 links, predictable names, links managed by systemd-networkd');
  });
});

describe('lab up --flavor', () => {
  it('defaults to debian, the lab as it always was, and takes busybox', () => {
    expect(parseTopology(undefined, undefined)).toEqual({ links: 2, names: 'eth' });
    expect(parseTopology(undefined, undefined, undefined, 'busybox')).toEqual({ links: 2, names: 'eth', flavor: 'busybox' });
    expect(parseTopology('3', undefined, undefined, 'debian')).toEqual({ links: 3, names: 'eth' });
  });
  it('refuses an unknown flavour, and what the busybox flavour cannot give (udev names, networkd)', () => {
    expect(() => parseTopology(undefined, undefined, undefined, 'alpine')).toThrow(/--flavor alpine is not one of debian, busybox/);
    expect(() => parseTopology(undefined, 'predictable', undefined, 'busybox')).toThrow(/no udev and no systemd-networkd/);
    expect(() => parseTopology(undefined, undefined, 'networkd', 'busybox')).toThrow(ConfigError);
  });
  it('a busybox lab is another topology than a debian one with the same links', () => {
    const busybox = parseTopology('2', 'eth', undefined, 'busybox');
    expect(sameTopology(busybox, { links: 2, names: 'eth' })).toBe(false);
    expect(sameTopology(busybox, { links: 2, names: 'eth', flavor: 'busybox' })).toBe(true);
    expect(describeTopology(busybox)).toBe('2 links, eth names (net.ifnames=0), BusyBox routers without systemd');
  });
});
