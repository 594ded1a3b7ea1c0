// Bundles read from the inventory: teql_peer and teql_bundles, the peer variables they derive, the
// older hand-written form recognised, and every reference that does not pair up refused at its place.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const ROOT = join(import.meta.dirname, '../..');
const TEQL = join(ROOT, 'playbooks/teql.yml');

/** A host entry of the HOWTO pair: `side` 0 is A (even addresses, network 1), 1 is B. */
function host(name: string, side: 0 | 1, extra: string[] = []): string {
  return [
    `        ${name}:`,
    `          teql_slaves: [eth1, eth2]`,
    `          link_addresses: [{ dev: eth1, address: 10.0.0.${side}/31 }, { dev: eth2, address: 10.0.0.${2 + side}/31 }]`,
    `          teql_address: 10.0.0.${4 + side}/31`,
    `          lan_network: ${side ? '198.51.100.0/24' : '192.0.2.0/24'}`,
    ...extra.map((l) => `          ${l}`),
  ].join('\n');
}

function inventory(...hosts: string[]): string {
  return ['all:', '  children:', '    routers:', '      hosts:', ...hosts, '      vars: { ansible_user: root }', ''].join('\n');
}

function load(inv: string, playbook?: string) {
  const dir = writeCase({ 'inventory.yml': inv, ...(playbook ? { 'playbook.yml': playbook } : {}) });
  return { dir, run: () => loadRun(join(dir, 'inventory.yml'), playbook ? join(dir, 'playbook.yml') : TEQL) };
}

const pair = (a: string[] = [], b: string[] = []) => inventory(host('router_a', 0, ['teql_peer: router_b', ...a]), host('router_b', 1, ['teql_peer: router_a', ...b]));

describe('teql_peer', () => {
  it('derives the peer variables playbooks/teql.yml reads, from the other end', () => {
    const run = load(pair()).run();
    const a = run.plays[0]!.tasks.get('router_a')!;
    expect(a.filter((t) => t.module === 'ping').map((t) => t.args)).toEqual(['10.0.0.1', '10.0.0.3', '10.0.0.5'].map((to) => ({ to, count: 3, timeout: 2 })));
    expect(a.find((t) => t.module === 'route')!.args).toMatchObject({ to: '198.51.100.0/24', via: '10.0.0.5' });
    const b = run.plays[0]!.tasks.get('router_b')!;
    expect(b.find((t) => t.module === 'route')!.args).toMatchObject({ to: '192.0.2.0/24', via: '10.0.0.4' });
  });

  it('gives the run its bundle as data, both ends, with where each fact was written', () => {
    const { dir, run } = load(pair());
    const [bundle, ...rest] = run().bundles;
    expect(rest).toEqual([]);
    expect(bundle!.name).toBe('router_a:teql0<->router_b:teql0');
    expect(bundle!.ends.map((e) => [e.host, e.peer, e.device, e.slaves, e.linkAddresses, e.address, e.peerNetwork, e.declared])).toEqual([
      ['router_a', 'router_b', 'teql0', ['eth1', 'eth2'], ['10.0.0.0/31', '10.0.0.2/31'], '10.0.0.4/31', '198.51.100.0/24', 'teql_peer'],
      ['router_b', 'router_a', 'teql0', ['eth1', 'eth2'], ['10.0.0.1/31', '10.0.0.3/31'], '10.0.0.5/31', '192.0.2.0/24', 'teql_peer'],
    ]);
    expect(bundle!.ends[1].at.peer).toEqual({ name: 'teql_peer', pos: { file: join(dir, 'inventory.yml'), line: 16, col: 11 } });
  });

  it('loads inventories/example.yml into the same tasks as the peer variables written by hand', () => {
    const written = (side: 0 | 1) => side ? ['peer_network: 192.0.2.0/24', 'peer_teql_address: 10.0.0.4', 'peer_addresses: [10.0.0.0, 10.0.0.2, 10.0.0.4]'] : ['peer_network: 198.51.100.0/24', 'peer_teql_address: 10.0.0.5', 'peer_addresses: [10.0.0.1, 10.0.0.3, 10.0.0.5]'];
    const byHand = load(inventory(host('router_a', 0, written(0)), host('router_b', 1, written(1)))).run();
    const example = loadRun(join(ROOT, 'inventories/example.yml'), TEQL);
    const tasks = (r: typeof example) => [...r.plays[0]!.tasks].map(([h, ts]) => [h, ts.map(({ pos: _, ...t }) => t)]);
    expect(tasks(example)).toEqual(tasks(byHand));
    expect(example.bundles.map((b) => b.ends.map((e) => e.declared))).toEqual([['teql_peer', 'teql_peer']]);
  });

  it('accepts peer variables written as well when they agree (the pings in any order)', () => {
    expect(() => load(pair(['peer_teql_address: 10.0.0.5', 'peer_addresses: [10.0.0.5, 10.0.0.1, 10.0.0.3]', 'peer_network: 198.51.100.0/24'])).run()).not.toThrow();
  });

  it('refuses peer variables that disagree with the peer, at the variable', () => {
    const { dir, run } = load(pair(['peer_teql_address: 10.0.0.7']));
    const [e, ...rest] = errorsOf(run);
    expect(rest).toEqual([]);
    expect(e!.located).toBe(`${join(dir, 'inventory.yml')}:11:11: peer_teql_address of host router_a is "10.0.0.7", but its teql_peer router_b gives "10.0.0.5" (from router_b's teql_address at ${join(dir, 'inventory.yml')}:15:11)`);
    expect(e!.exitCode).toBe(2);
    expect(e!.hint).toContain('remove peer_teql_address');
  });
});

describe('peer references', () => {
  it('refuse a peer that is not a host', () => {
    const { dir, run } = load(inventory(host('router_a', 0, ['teql_peer: router_c']), host('router_b', 1)));
    // The shipped playbook's own errors (its peer variables stay undefined) sort with the inventory's
    // by file path, which depends on where the clone is: the bundle's error is found by its text.
    const e = errorsOf(run).find((x) => x.message.startsWith('teql_peer'));
    expect(e!.located).toBe(`${join(dir, 'inventory.yml')}:10:11: teql_peer of host router_a names 'router_c', which is not a host of the inventory`);
  });

  it('refuse a peer that does not name the host back', () => {
    const inv = inventory(host('router_a', 0, ['teql_peer: router_b']), host('router_b', 1, ['teql_peer: router_c']), host('router_c', 0, ['teql_peer: router_b']));
    const messages = errorsOf(load(inv).run).map((e) => e.message);
    expect(messages).toContain('teql_peer of host router_a names router_b, but router_b does not name router_a back (it names router_c)');
  });

  it('refuse a host that names itself', () => {
    expect(errorsOf(load(inventory(host('router_a', 0, ['teql_peer: router_a']))).run).map((e) => e.message)).toContain('teql_peer of host router_a names the host itself');
  });

  it('refuse teql_peer and teql_bundles on one host', () => {
    const inv = pair(['teql_bundles: []']);
    expect(errorsOf(load(inv).run).map((e) => e.message)).toContain('host router_a sets both teql_peer and teql_bundles');
  });
});

describe('older inventories, peer variables by hand', () => {
  it('still form a bundle when each peer_teql_address gives the other equalizer', () => {
    const written = (side: 0 | 1) => [`peer_teql_address: 10.0.0.${5 - side}`, 'peer_network: 203.0.113.0/24', 'peer_addresses: []'];
    const run = load(inventory(host('router_a', 0, written(0)), host('router_b', 1, written(1)))).run();
    expect(run.bundles.map((b) => [b.name, b.ends.map((e) => e.declared)])).toEqual([['router_a:teql0<->router_b:teql0', ['peer_teql_address', 'peer_teql_address']]]);
  });

  it('form none when the addresses do not point at each other', () => {
    const written = ['peer_teql_address: 10.0.0.9', 'peer_network: 203.0.113.0/24', 'peer_addresses: []'];
    expect(load(inventory(host('router_a', 0, written), host('router_b', 1, written))).run().bundles).toEqual([]);
  });
});
