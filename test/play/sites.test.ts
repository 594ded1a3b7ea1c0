import { describe, expect, it } from 'vitest';
import type { Bundle } from '../../src/load/bundle-types.js';
import { batchesOf, serialNote, sitesOf } from '../../src/play/sites.js';

const pos = { file: 'i.yml', line: 1, col: 1 };
const bundle = (a: string, b: string, dev = 'teql0'): Bundle => ({
  name: `${a}:${dev}<->${b}:teql0`,
  ends: [a, b].map((host) => ({ host, peer: host === a ? b : a, device: dev, slaves: ['eth1'], linkAddresses: [], declared: 'teql_peer', pos, at: {} })) as unknown as Bundle['ends'],
});

describe('sites', () => {
  it('a hub and all of its spokes are one site; a pair is a site; a host in no bundle is a site of its own (serial: 1 over six of them is six batches, as in Ansible)', () => {
    const bundles = [bundle('hub', 'br1'), bundle('hub', 'br2', 'teql1'), bundle('x_a', 'x_b')];
    expect(sitesOf(bundles, ['hub', 'x_a', 'br1', 'lone1', 'x_b', 'br2', 'lone2'])).toEqual([['hub', 'br1', 'br2'], ['x_a', 'x_b'], ['lone1'], ['lone2']]);
    const six = ['r01', 'r02', 'r03', 'r04', 'r05', 'r06'];
    expect(batchesOf(sitesOf([], six), { count: 1, pos })).toEqual(six.map((h) => [[h]]));
  });

  it("hosts in no bundle whose tasks set two ends of one link are one site: in two batches the first one's check of the link could never pass (a review)", () => {
    const linked = (loose: string[]) => [loose.filter((h) => h !== 'lone2'), ['lone2']].filter((g) => g.length > 0);
    expect(sitesOf([bundle('x_a', 'x_b')], ['lone1', 'x_a', 'lone3', 'x_b', 'lone2'], linked)).toEqual([['lone1', 'lone3'], ['x_a', 'x_b'], ['lone2']]);
    expect(batchesOf(sitesOf([], ['r1', 'r2', 'r3'], () => [['r1', 'r3'], ['r2']]), { count: 1, pos })).toEqual([[['r1', 'r3']], [['r2']]]);
  });

  it('two hubs joined by a bundle are one site (a chain is batched whole)', () => {
    expect(sitesOf([bundle('h1', 's1'), bundle('h1', 'h2', 'teql1'), bundle('h2', 's2')], ['h1', 'h2', 's1', 's2'])).toEqual([['h1', 'h2', 's1', 's2']]);
  });

  it("only the run's hosts count: a bundle whose other end is not in the run joins nothing", () => {
    expect(sitesOf([bundle('a', 'b'), bundle('b', 'c', 'teql1')], ['a', 'c'])).toEqual([['a'], ['c']]);
  });

  it('batches by count or percentage of the sites (rounded down, at least one)', () => {
    const sites = [['a'], ['b'], ['c'], ['d'], ['e']];
    expect(batchesOf(sites, { count: 2, pos })).toEqual([[['a'], ['b']], [['c'], ['d']], [['e']]]);
    expect(batchesOf(sites, { percent: 40, pos })).toEqual([[['a'], ['b']], [['c'], ['d']], [['e']]]);
    expect(batchesOf(sites, { percent: 10, pos }).length).toBe(5);
    expect(batchesOf(sites, { percent: 100, pos }).length).toBe(1);
  });
});

describe('serialNote', () => {
  it('says, before the run, that a hub and its spokes are one site of a serial run, and how many batches there are', () => {
    const bundles = [bundle('br1', 'hub'), bundle('hub', 'br2', 'teql1'), bundle('hub', 'br3', 'teql2'), bundle('x_a', 'x_b')];
    const plays = [{ hosts: ['br1', 'hub', 'br2', 'br3', 'x_a', 'x_b'], serial: { count: 2, pos } }];
    expect(serialNote(bundles, plays)).toBe("serial batches sites, not hosts: hub and 3 other host(s) is one site (a hub's bundles are applied and confirmed together), so this run has 1 batch(es)");
  });

  it('says nothing without serial, or where every site is a pair', () => {
    expect(serialNote([bundle('hub', 'br1'), bundle('hub', 'br2', 'teql1')], [{ hosts: ['hub', 'br1', 'br2'] }])).toBeUndefined();
    expect(serialNote([bundle('a', 'b'), bundle('c', 'd')], [{ hosts: ['a', 'b', 'c', 'd'], serial: { count: 1, pos } }])).toBeUndefined();
  });
});
