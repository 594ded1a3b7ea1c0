// Each pair check on bundles as data: once where it must speak, once where it must stay silent.
import { describe, expect, it } from 'vitest';
import type { Bundle, BundleEnd } from '../../src/load/bundle-types.js';
import { checkPairs } from '../../src/load/pair-checks.js';
import { Problems } from '../../src/load/problems.js';

const pos = (line: number) => ({ file: 'inv.yml', line, col: 11 });

/** The HOWTO's addressing: the first end takes the even addresses, the second (odd = 1) the odd ones. */
function end(host: string, peer: string, odd: 0 | 1, over: Partial<BundleEnd> = {}): BundleEnd {
  return {
    host,
    peer,
    device: 'teql0',
    slaves: ['eth1', 'eth2'],
    linkAddresses: [`10.0.0.${odd}/31`, `10.0.0.${2 + odd}/31`],
    address: `10.0.0.${4 + odd}/31`,
    lanNetwork: odd ? '198.51.100.0/24' : '192.0.2.0/24',
    declared: 'teql_peer',
    pos: pos(odd ? 20 : 10),
    at: {
      slaves: { name: 'teql_slaves', pos: pos(odd ? 21 : 11) },
      linkAddresses: { name: 'link_addresses', pos: pos(odd ? 22 : 12) },
      address: { name: 'teql_address', pos: pos(odd ? 23 : 13) },
      lanNetwork: { name: 'lan_network', pos: pos(odd ? 24 : 14) },
      device: { name: 'teql_device', pos: pos(odd ? 25 : 15) },
    },
    ...over,
  };
}

function bundle(a: Partial<BundleEnd> = {}, b: Partial<BundleEnd> = {}, hosts: [string, string] = ['a', 'b']): Bundle {
  const ea = end(hosts[0], hosts[1], 0, a);
  const eb = end(hosts[1], hosts[0], 1, b);
  // What deriveBundles does: each end routes the other's network.
  return { name: `${hosts[0]}:${ea.device}<->${hosts[1]}:${eb.device}`, ends: [{ ...ea, peerNetwork: a.peerNetwork ?? eb.lanNetwork }, { ...eb, peerNetwork: b.peerNetwork ?? ea.lanNetwork }] };
}

function problemsOf(bundles: Bundle[]): Array<{ message: string; at: string; hint: string }> {
  const problems = new Problems();
  checkPairs(bundles, problems);
  return problems.errors().map((e) => ({ message: e.message, at: `${e.pos?.line}`, hint: e.hint ?? '' }));
}

describe('pair checks', () => {
  it('find nothing wrong with the HOWTO pair', () => {
    expect(problemsOf([bundle()])).toEqual([]);
  });

  it('refuse the two ends of a link in different subnets, at the second end', () => {
    const [p] = problemsOf([bundle({}, { linkAddresses: ['10.0.0.1/31', '10.0.0.9/31'] })]);
    expect(p!.message).toContain('the two ends of link 2 (a eth2 - b eth2) are not in one subnet: a has 10.0.0.2/31');
    expect(p!.at).toBe('22');
    expect(p!.hint).toBe('give b 10.0.0.3/31, the other end of 10.0.0.2/31');
  });

  it('refuse the two ends of a link with different prefix lengths', () => {
    expect(problemsOf([bundle({}, { linkAddresses: ['10.0.0.1/30', '10.0.0.3/31'] })])[0]!.message).toContain('link 1 (a eth1 - b eth1) are not in one subnet');
  });

  it('refuse the same address at both ends of a link', () => {
    expect(problemsOf([bundle({}, { linkAddresses: ['10.0.0.0/31', '10.0.0.3/31'] })])[0]!.message).toContain('both ends of link 1 (a eth1 - b eth1) have the same address');
  });

  it('refuse equalizer addresses that are not paired', () => {
    const unpaired = problemsOf([bundle({}, { address: '10.0.0.7/31' })]);
    expect(unpaired.map((p) => [p.message.includes('the two ends of the equalizer (a teql0 - b teql0) are not in one subnet'), p.at])).toEqual([[true, '23']]);
    expect(problemsOf([bundle({}, { address: '10.0.0.4/31' })])[0]!.message).toContain('both ends of the equalizer (a teql0 - b teql0) have the same address');
  });

  it('refuse a bundle whose ends list different numbers of links', () => {
    const [p] = problemsOf([bundle({}, { slaves: ['eth1', 'eth2', 'eth3'], linkAddresses: [undefined, undefined, undefined] })]);
    expect(p!.message).toContain('a bundles 2 links (eth1, eth2), b 3 (eth1, eth2, eth3)');
    expect(p!.at).toBe('21');
  });

  it('refuse a peer network that overlaps the own one, once per bundle', () => {
    const overlapping = problemsOf([bundle({}, { lanNetwork: '192.0.0.0/16' })]);
    expect(overlapping).toHaveLength(1);
    expect(overlapping[0]!.message).toContain('overlaps its own network');
    expect(problemsOf([bundle({}, { lanNetwork: '192.0.3.0/24' })])).toEqual([]);
    // `default` (the Internet behind B) overlaps everything by design.
    expect(problemsOf([bundle({}, { lanNetwork: 'default' })])).toEqual([]);
    expect(problemsOf([bundle({ lanNetwork: 'default' }, {})])).toEqual([]);
  });

  it('refuse `default` behind both ends, however written: each router\'s default route through the other, a loop (found by a review)', () => {
    for (const [x, y] of [['default', 'default'], ['default', '0.0.0.0/0'], ['0.0.0.0/0', 'default']]) {
      const both = problemsOf([bundle({ lanNetwork: x }, { lanNetwork: y })]);
      expect(both, `${x} ${y}`).toHaveLength(1);
      expect(both[0]!.message).toMatch(/^bundle a:teql0<->b:teql0: a routes (default|0\.0\.0\.0\/0) \([^)]*\) to its peer, which overlaps its own network (default|0\.0\.0\.0\/0)/);
    }
  });

  it('refuse a slave in two bundles of one host, and accept distinct slaves', () => {
    const hub = (slaves2: string[]) => [
      bundle({}, {}, ['h', 'b']),
      bundle({ device: 'teql1', slaves: slaves2, linkAddresses: ['10.0.1.0/31', '10.0.1.2/31'], address: '10.0.1.4/31' }, { linkAddresses: ['10.0.1.1/31', '10.0.1.3/31'], address: '10.0.1.5/31', lanNetwork: '203.0.113.0/24' }, ['h', 'c']),
    ];
    const [p] = problemsOf(hub(['eth2', 'eth3']));
    expect(p!.message).toBe('h eth2 is a slave of two bundles: h:teql0<->b:teql0 and h:teql1<->c:teql0');
    expect(problemsOf(hub(['eth3', 'eth4']))).toEqual([]);
  });

  it('refuse one equalizer for two bundles of one host', () => {
    const hub = (device: string) => [
      bundle({}, {}, ['h', 'b']),
      bundle({ device, slaves: ['eth3', 'eth4'], linkAddresses: ['10.0.1.0/31', '10.0.1.2/31'], address: '10.0.1.4/31' }, { linkAddresses: ['10.0.1.1/31', '10.0.1.3/31'], address: '10.0.1.5/31', lanNetwork: '203.0.113.0/24' }, ['h', 'c']),
    ];
    const [p] = problemsOf(hub('teql0'));
    expect(p!.message).toBe('h uses teql0 for two bundles: h:teql0<->b:teql0 and h:teql0<->c:teql0');
    expect(p!.at).toBe('15');
    expect(problemsOf(hub('teql1'))).toEqual([]);
  });
});
