import { describe, expect, it } from 'vitest';
import { addressIn, checkNetwork, connectedOn, linkSubnets, suggestNetwork } from '../../src/wizard/networks.js';
import { addressedLinkCaveats, defaultRouteCaveats, formatCaveats, forwardingCaveats, reorderingCaveat, rpFilterCaveats, teqlCaveats, wrap } from '../../src/wizard/caveats.js';
import { proposeAddresses } from '../../src/wizard/addressing.js';
import { labFacts } from './fixtures.js';

describe('networks', () => {
  const taken = linkSubnets(proposeAddresses('10.0.0.0/29', 2));

  it("suggests each lab router's LAN and finds the router's own address in it", () => {
    expect(suggestNetwork(labFacts('a'), ['eth1', 'eth2'])).toBe('192.0.2.0/24');
    expect(suggestNetwork(labFacts('b'), ['eth1', 'eth2'])).toBe('198.51.100.0/24');
    expect(addressIn(labFacts('a'), '192.0.2.0/24')).toBe('192.0.2.1');
    expect(addressIn(labFacts('a'), '198.51.100.0/24')).toBeUndefined();
    expect(connectedOn(labFacts('b'), '198.51.100.0/24')).toBe('lan0');
  });

  it('validates prefixes and overlaps', () => {
    expect(checkNetwork('192.0.2.0/24', taken)).toBeUndefined();
    expect(checkNetwork('192.0.2.1/24', taken)).toMatch(/host bits set/);
    expect(checkNetwork('10.0.0.0/16', taken)).toBe('10.0.0.0/16 overlaps link 1 (10.0.0.0/31)');
    expect(checkNetwork('0.0.0.0/0', [])).toMatch(/Internet/);
    expect(checkNetwork('192.0.2.0', [])).toMatch(/no prefix length/);
  });
});

describe('caveats from facts', () => {
  it('rp_filter: the links filter, and all=2 means the max rule applies', () => {
    const c = rpFilterCaveats('router_a', labFacts('a'), ['eth1', 'eth2']);
    expect(c).toHaveLength(2);
    expect(c[0]!.text).toContain('reverse-path filtering is on for eth1, eth2 (eth1=2, eth2=2, all=2)');
    expect(c[1]!.text).toContain('net.ipv4.conf.all.rp_filter is 2, and the kernel uses max(all, <interface>)');
    expect(c[1]!.text).toContain('raises every other interface below 2 to 2 (lo)');
  });

  it('rp_filter: nothing to say when it is off everywhere', () => {
    const facts = labFacts('a');
    for (const k of Object.keys(facts.sysctls)) facts.sysctls[k] = '0';
    expect(rpFilterCaveats('router_a', facts, ['eth1', 'eth2'])).toEqual([]);
  });

  it('sch_teql: available, loaded, or missing (the run would be refused)', () => {
    const facts = labFacts('a');
    expect(teqlCaveats('router_a', facts)[0]!.text).toMatch(/available but not loaded/);
    facts.teql = { loaded: false, available: false };
    expect(teqlCaveats('router_a', facts)[0]).toMatchObject({ level: 'stop' });
    facts.teql = { loaded: true, available: true };
    expect(teqlCaveats('router_a', facts)[0]!.text).toBe('router_a: sch_teql is loaded.');
  });

  it('reordering is always said', () => {
    expect(reorderingCaveat().text).toMatch(/packet by packet.*out of order/);
  });

  it('forwarding off is a warning', () => {
    const facts = labFacts('a');
    expect(forwardingCaveats('router_a', facts)).toEqual([]); // not read in the recording
    facts.sysctls['net.ipv4.ip_forward'] = '0';
    expect(forwardingCaveats('router_a', facts)[0]!.text).toMatch(/ip_forward is 0/);
  });

  it('Internet case: a session through the default route is explained; the lab session is on-link', () => {
    expect(defaultRouteCaveats('router_a', labFacts('a')).map((c) => c.level)).toEqual(['note']);
    const routed = labFacts('a');
    routed.management = { clientIp: '203.0.113.9', dev: 'eth0', via: '10.0.2.2' };
    const c = defaultRouteCaveats('router_a', routed);
    expect(c[1]).toMatchObject({ level: 'stop' });
    expect(c[1]!.text).toContain('ip route add 203.0.113.9/32 via 10.0.2.2 dev eth0');
    // An IPv6 session is not carried by the IPv4 default route: no stop, no invalid command (a review).
    routed.management = { clientIp: '2001:db8:1::5', dev: 'eth0', via: 'fe80::1' };
    expect(defaultRouteCaveats('router_a', routed).map((c) => c.level)).toEqual(['note']);
    // Replies sent by a rule on their source to an out-of-band port's own table: main's default does not take them.
    routed.management = { clientIp: '203.0.113.9', serverIp: '10.0.2.15', dev: 'eth0', via: '10.0.2.2', table: 'mgmt', rules: [{ priority: 0, table: 'local' }, { priority: 100, table: 'mgmt', from: '10.0.2.15/32' }, { priority: 32766, table: 'main' }] };
    expect(defaultRouteCaveats('router_a', routed).map((c) => c.level)).toEqual(['note']);
  });

  it('a picked link that holds an address is warned about', () => {
    expect(addressedLinkCaveats('router_a', [{ name: 'eth1', addresses: ['172.16.0.1/24'] }, { name: 'eth2', addresses: [] }], ['eth1', 'eth2'])[0]!.text)
      .toContain('eth1 on router_a already holds 172.16.0.1/24');
  });
});

describe('caveat layout', () => {
  it('wraps to the width with a hanging indent and a mark per level', () => {
    const text = formatCaveats(30, [
      { level: 'note', text: 'one two three four five six seven eight nine' },
      { level: 'stop', text: 'short' },
    ]);
    expect(text).toBe(['  - one two three four five', '    six seven eight nine', ' !! short'].join('\n'));
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('never breaks a word longer than the width', () => {
    expect(wrap('  ! ', 'x'.repeat(40) + ' y', 20)).toBe(`  ! ${'x'.repeat(40)}\n    y`);
  });
});
