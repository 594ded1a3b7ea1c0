import { describe, expect, it } from 'vitest';
import { WizardSession } from '../../src/wizard/session.js';
import { checkAddressing, checkBlock, checkPair, clashesWithRouters, defaultBlock, freeBlock, overlaps, proposeAddresses, suggestPeer } from '../../src/wizard/addressing.js';

describe('address proposal', () => {
  it("gives the HOWTO's addressing for two links: 10.0.0.0/29, A even, B odd, teql0 last", () => {
    expect(defaultBlock(2)).toBe('10.0.0.0/29');
    expect(proposeAddresses('10.0.0.0/29', 2)).toEqual({
      links: [{ a: '10.0.0.0/31', b: '10.0.0.1/31' }, { a: '10.0.0.2/31', b: '10.0.0.3/31' }],
      teql: { a: '10.0.0.4/31', b: '10.0.0.5/31' },
      block: '10.0.0.0/29',
    });
  });

  it('grows the default block with the number of links', () => {
    expect(defaultBlock(3)).toBe('10.0.0.0/29');
    expect(defaultBlock(4)).toBe('10.0.0.0/28');
    expect(proposeAddresses('172.16.5.0/28', 4).teql).toEqual({ a: '172.16.5.8/31', b: '172.16.5.9/31' });
  });

  it('refuses a block that is too small, not a network, or badly written', () => {
    expect(checkBlock('10.0.0.0/29', 2)).toBeUndefined();
    expect(checkBlock('10.0.0.0/30', 2)).toMatch(/holds 4 addresses; 2 link\(s\) and the equalizer need 6 \(a \/29 or bigger\)/);
    expect(checkBlock('10.0.0.8/28', 2)).toMatch(/host bits set; the network is 10.0.0.0\/28/);
    expect(checkBlock('010.0.0.0/29', 2)).toMatch(/not an IPv4 address/);
  });
});

describe('typed addresses', () => {
  it("suggests B's end", () => {
    expect(suggestPeer('10.9.0.6/31')).toBe('10.9.0.7/31');
    expect(suggestPeer('10.9.0.7/31')).toBe('10.9.0.6/31');
    expect(suggestPeer('10.9.0.1/30')).toBe('10.9.0.2/30');
    expect(suggestPeer('10.9.0.2/30')).toBe('10.9.0.1/30');
    expect(suggestPeer('nonsense')).toBeUndefined();
  });

  it('checks each pair with the loader rules', () => {
    expect(checkPair({ a: '10.0.0.0/31', b: '10.0.0.1/31' })).toBeUndefined();
    expect(checkPair({ a: '10.0.0.1/30', b: '10.0.0.2/30' })).toBeUndefined();
    expect(checkPair({ a: '10.0.0.0/30', b: '10.0.0.1/30' })).toMatch(/network address/);
    expect(checkPair({ a: '10.0.0.0/31', b: '10.0.0.3/31' })).toMatch(/not in 10.0.0.0\/31/);
    expect(checkPair({ a: '10.0.0.0/31', b: '10.0.0.0/31' })).toMatch(/cannot both have 10.0.0.0/);
    expect(checkPair({ a: '10.0.0.1/30', b: '10.0.0.2/29' })).toMatch(/different prefix lengths/);
    expect(checkPair({ a: '10.0.0.1/32', b: '10.0.0.2/32' })).toMatch(/\/32/);
  });

  it('refuses overlapping subnets between links and teql0', () => {
    const bad = { links: [{ a: '10.0.0.0/31', b: '10.0.0.1/31' }, { a: '10.0.0.1/30', b: '10.0.0.2/30' }], teql: { a: '10.0.0.4/31', b: '10.0.0.5/31' } };
    expect(checkAddressing(bad, ['eth1', 'eth2'])).toEqual(['link eth1 (10.0.0.0/31) and link eth2 (10.0.0.0/30) overlap: every link and the equalizer need their own subnet']);
    expect(checkAddressing(proposeAddresses('10.0.0.0/29', 2), ['eth1', 'eth2'])).toEqual([]);
  });

  it("finds clashes with the routers' own addresses, but not a rerun's", () => {
    const plan = proposeAddresses('10.0.2.0/29', 2);
    expect(clashesWithRouters(plan, { a: ['eth1', 'eth2'], b: ['eth1', 'eth2'] }, [{ router: 'A', dev: 'eth0', cidr: '10.0.2.15/24' }, { router: 'A', dev: 'lo', cidr: '127.0.0.1/8' }]))
      .toContain('10.0.2.0/31 for eth1 on A overlaps 10.0.2.15/24, already on eth0 of A');
    const rerun = proposeAddresses('10.0.0.0/29', 2);
    expect(clashesWithRouters(rerun, { a: ['eth1', 'eth2'], b: ['eth1', 'eth2'] }, [{ router: 'A', dev: 'eth1', cidr: '10.0.0.0/31' }, { router: 'B', dev: 'teql0', cidr: '10.0.0.5/31' }])).toEqual([]);
  });

  it('tells overlapping prefixes', () => {
    expect(overlaps('10.0.0.0/24', '10.0.0.128/25')).toBe(true);
    expect(overlaps('10.0.0.0/25', '10.0.0.128/25')).toBe(false);
  });
});

describe('the block the wizard proposes', () => {
  const devs = { a: ['eth1', 'eth2'], b: ['eth1', 'eth2'] };
  const clash = (existing: Parameters<typeof clashesWithRouters>[2]) => (block: string) => clashesWithRouters(proposeAddresses(block, 2), devs, existing)[0];

  it('is the HOWTO\'s where it is free, else the first free one: never a default its own question refuses (a review: a LAN of 10.0.0.0/24)', () => {
    expect(freeBlock(2, clash([{ router: 'A', dev: 'eth0', cidr: '10.0.2.15/24' }]))).toBe('10.0.0.0/29');
    const lan = clash([{ router: 'A', dev: 'lan0', cidr: '10.0.0.9/24' }]);
    expect(lan('10.0.0.0/29')).toMatch(/overlaps 10\.0\.0\.9\/24/);
    expect(freeBlock(2, lan)).toBe('10.0.1.0/29');
    expect(lan('10.0.1.0/29')).toBeUndefined();
    // All of 10.0/16 taken: 172.16's first.
    expect(freeBlock(2, clash([{ router: 'B', dev: 'lan0', cidr: '10.0.0.1/16' }]))).toBe('172.16.0.0/29');
  });

  it("never holds the address the routers see this machine's SSH session come from, nor its gateway (a review: 10.0.0.3 over a routed management network)", () => {
    const session = WizardSession.prototype.existingAddresses.call({
      router: (side: 'a' | 'b') => ({ facts: { addresses: [{ dev: 'eth0', cidr: side === 'a' ? '192.168.7.2/24' : '192.168.8.2/24' }], management: side === 'a' ? { clientIp: '10.0.0.3', dev: 'eth0', via: '192.168.7.1' } : { clientIp: '10.0.0.3', dev: 'eth0', via: '192.168.8.1' } } }),
    } as unknown as WizardSession);
    expect(session.filter((e) => e.what).map((e) => [e.router, e.cidr, e.what])).toEqual([
      ['A', '10.0.0.3/32', "the address A sees this machine's SSH session come from"], ['B', '10.0.0.3/32', "the address A sees this machine's SSH session come from"],
      ['A', '192.168.7.1/32', "the gateway of A's SSH session"], ['B', '192.168.7.1/32', "the gateway of A's SSH session"],
      ['A', '10.0.0.3/32', "the address B sees this machine's SSH session come from"], ['B', '10.0.0.3/32', "the address B sees this machine's SSH session come from"],
      ['A', '192.168.8.1/32', "the gateway of B's SSH session"], ['B', '192.168.8.1/32', "the gateway of B's SSH session"],
    ]);
    expect(clash(session)('10.0.0.0/29')).toBe("10.0.0.2/31 for eth2 on A overlaps 10.0.0.3/32, the address A sees this machine's SSH session come from");
    expect(freeBlock(2, clash(session))).toBe('10.0.0.8/29');
  });
});
