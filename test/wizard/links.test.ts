import { describe, expect, it } from 'vitest';
import { countMismatch, formatLinkTable, likelyLinks, linkRows, mtuMismatches, offered, pairLinks } from '../../src/wizard/links.js';
import { labFacts } from './fixtures.js';

describe('link filtering', () => {
  it('shows every interface of the lab router, offers only eth1 and eth2', () => {
    const rows = linkRows(labFacts('a'));
    expect(rows.map((r) => [r.name, r.notOffered])).toEqual([
      ['lo', 'loopback'],
      ['eth0', 'carries this SSH session'],
      ['eth1', undefined],
      ['eth2', undefined],
      ['lan0', 'dummy interface, no wire'],
    ]);
    expect(offered(rows).map((r) => r.name)).toEqual(['eth1', 'eth2']);
    expect(likelyLinks(rows)).toEqual(['eth1', 'eth2']);
  });

  it("on a far router managed over its bundle, run again: the equalizer's slaves are offered, not taken for the session's carriers (a review)", () => {
    const facts = labFacts('a');
    facts.management = { clientIp: '10.0.0.5', dev: 'teql0' };
    facts.links.push({ name: 'teql0', up: true, operstate: 'UNKNOWN', mtu: 1500 });
    facts.rootQdiscs.push({ dev: 'eth1', kind: 'teql0', handle: '8001:' } as never, { dev: 'eth2', kind: 'teql0', handle: '8002:' } as never);
    const rows = linkRows(facts);
    expect(likelyLinks(rows)).toEqual(['eth1', 'eth2']);
    expect(rows.find((r) => r.name === 'eth1')!.slaveOf).toBe('teql0');
  });

  it('never offers the management interface, whatever it is called, nor an equalizer', () => {
    const facts = labFacts('a');
    facts.management = { clientIp: '192.0.2.50', dev: 'eth2' };
    facts.links.push({ name: 'teql0', up: false, operstate: 'DOWN', mtu: 1500 });
    const rows = linkRows(facts);
    expect(offered(rows).map((r) => r.name)).toEqual(['eth0', 'eth1']);
    expect(rows.find((r) => r.name === 'teql0')!.notOffered).toBe('an equalizer itself');
  });

  it('never offers an interface a playbook could not name (non-ASCII, or a character its rp_filter sysctl cannot hold): the wizard stopped at its review with the loader\'s errors (a review)', () => {
    const facts = labFacts('a');
    for (const name of ['wän2', 'eth#3', 'br{x}', 'a+b']) facts.links.push({ name, up: true, operstate: 'UP', mtu: 1500 });
    facts.links.push({ name: 'eth1.100', up: true, operstate: 'UP', mtu: 1500, kind: 'vlan', lower: 'eth1' });
    const rows = linkRows(facts);
    expect(rows.find((r) => r.name === 'wän2')!.notOffered).toMatch(/^a name a playbook cannot hold \(interface name .* contains/);
    for (const name of ['eth#3', 'br{x}', 'a+b']) expect(rows.find((r) => r.name === name)!.notOffered, name).toBe('a name its sysctls cannot hold (only letters, digits, _ and - between dots)');
    expect(offered(rows).map((r) => r.name)).toEqual(['eth1', 'eth2', 'eth1.100']);
  });

  it('never offers the devices under the management interface: the link under its VLAN, its bridge\'s ports', () => {
    const facts = labFacts('a');
    facts.management = { clientIp: '192.0.2.50', dev: 'eth1.10' };
    facts.links.push({ name: 'eth1.10', up: true, operstate: 'UP', mtu: 1500, kind: 'vlan', lower: 'eth1' });
    expect(linkRows(facts).find((r) => r.name === 'eth1')!.notOffered).toBe('carries this SSH session (eth1.10 is stacked on eth1)');
    facts.management = { clientIp: '192.0.2.50', dev: 'br0' };
    facts.links.push({ name: 'br0', up: true, operstate: 'UP', mtu: 1500, kind: 'bridge' });
    facts.links.find((l) => l.name === 'eth2')!.master = 'br0';
    expect(offered(linkRows(facts)).map((r) => r.name)).toEqual(['eth0', 'eth1', 'eth1.10']);
  });

  it("never offers a port of another bridge, bond or VRF (the plan refuses it), and does not preselect a link up without a carrier (a review)", () => {
    const facts = labFacts('a');
    facts.links.push({ name: 'eth3', up: true, operstate: 'UP', mtu: 1500, master: 'bond0' });
    facts.links.push({ name: 'eth4', up: true, operstate: 'DOWN', mtu: 1500 });
    facts.links.push({ name: 'eth5', up: false, operstate: 'DOWN', mtu: 1500 });
    const rows = linkRows(facts);
    expect(rows.find((r) => r.name === 'eth3')!.notOffered).toBe('a port of bond0');
    expect(offered(rows).map((r) => r.name)).toEqual(['eth1', 'eth2', 'eth4', 'eth5']);
    // eth4 is offered (a cable may come), not preselected; eth5, down, may have one once up.
    expect(likelyLinks(rows)).toEqual(['eth1', 'eth2', 'eth5']);
  });

  it('falls back to the interface holding the address it connected to when sudo hid SSH_CONNECTION', () => {
    const facts = labFacts('a');
    delete facts.management;
    expect(linkRows(facts, '10.0.2.15').find((r) => r.name === 'eth0')!.notOffered).toBe('carries this SSH session');
    expect(linkRows(facts, '127.0.0.1').find((r) => r.name === 'eth0')!.notOffered).toBeUndefined();
  });

  it('prints a table with carrier, MTU and addresses', () => {
    const table = formatLinkTable(linkRows(labFacts('a')));
    expect(table).toContain('eth0  up     UP       1500   10.0.2.15/24  (not offered: carries this SSH session)');
    expect(table).toContain('eth1  down   DOWN     1500   -');
  });
});

describe('pairing the two sides', () => {
  it('pairs same names first, the rest in order', () => {
    expect(pairLinks(['eth1', 'eth2'], ['eth2', 'eth1'])).toEqual([{ a: 'eth1', b: 'eth1' }, { a: 'eth2', b: 'eth2' }]);
    expect(pairLinks(['ens3', 'ens4'], ['enp1s0', 'enp2s0'])).toEqual([{ a: 'ens3', b: 'enp1s0' }, { a: 'ens4', b: 'enp2s0' }]);
    expect(pairLinks(['x', 'eth1'], ['eth1', 'y'])).toEqual([{ a: 'x', b: 'y' }, { a: 'eth1', b: 'eth1' }]);
  });

  it('explains a count mismatch, and nothing when the counts agree', () => {
    expect(countMismatch(['eth1', 'eth2'], ['eth1', 'eth2'])).toBeUndefined();
    expect(countMismatch(['eth1', 'eth2', 'eth3'], ['eth1', 'eth2'])).toMatch(/A has 3 link\(s\) picked and B 2: each link is one wire/);
  });

  it('explains MTU differences along a wire and between the links of one side', () => {
    const a = linkRows(labFacts('a'));
    const b = linkRows(labFacts('b'));
    const pairs = [{ a: 'eth1', b: 'eth1' }, { a: 'eth2', b: 'eth2' }];
    expect(mtuMismatches(pairs, a, b)).toEqual([]);
    b.find((r) => r.name === 'eth2')!.mtu = 9000;
    expect(mtuMismatches(pairs, a, b)).toEqual([
      'link eth2 (A) <-> eth2 (B): MTU 1500 on A but 9000 on B; packets bigger than 1500 would be dropped on that wire. Set the same MTU on both ends.',
      "on B the links have MTUs 1500, 9000: teql0 takes the smallest (1500), and the kernel refuses a slave below teql0's MTU once teql0 is up.",
    ]);
  });
});

describe('a rerun on converged routers', () => {
  it("preselects the equalizer's slaves, which hold addresses by then", () => {
    const facts = labFacts('a');
    facts.addresses.push({ dev: 'eth1', cidr: '10.0.0.0/31' }, { dev: 'eth2', cidr: '10.0.0.2/31' });
    facts.rootQdiscs.push({ dev: 'eth1', kind: 'teql0', handle: '8001:', isDefault: false }, { dev: 'eth2', kind: 'teql0', handle: '8002:', isDefault: false });
    const rows = linkRows(facts);
    expect(likelyLinks(rows)).toEqual(['eth1', 'eth2']);
    expect(formatLinkTable(rows)).toContain('eth1  down   DOWN     1500   10.0.0.0/31   (slave of teql0)');
  });
});
