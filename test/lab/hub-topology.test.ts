// `lab up --routers 3`: the hub's wiring and the inventory it writes, which teqlctl loads as two bundles.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { linkNumbers, linkPeer, parseTopology, routersOf } from '../../src/lab/topology.js';
import { socketNetdev } from '../../src/lab/qemu-args.js';
import { renderHubInventory } from '../../src/lab/hub-inventory.js';
import { loadRun } from '../../src/load/index.js';

const HUB = parseTopology(undefined, undefined, undefined, undefined, '3');

describe('the hub topology', () => {
  it('is three routers, the hub with 4 link NICs, each spoke with 2', () => {
    expect(HUB).toMatchObject({ hub: true, links: 2 });
    expect(routersOf(HUB)).toEqual(['h', 'a', 'b']);
    expect(routersOf(parseTopology(undefined, undefined))).toEqual(['a', 'b']);
    expect(linkNumbers(HUB, 'h')).toEqual([1, 2, 3, 4]);
    expect(linkNumbers(HUB, 'a')).toEqual([1, 2]);
  });

  it('wires h\'s links 1, 2 to a\'s and 3, 4 to b\'s, both ways', () => {
    expect([1, 2, 3, 4].map((k) => linkPeer(HUB, 'h', k))).toEqual([{ router: 'a', link: 1 }, { router: 'a', link: 2 }, { router: 'b', link: 1 }, { router: 'b', link: 2 }]);
    expect(linkPeer(HUB, 'b', 2)).toEqual({ router: 'h', link: 4 });
    // Each UDP socket sends to the port its peer listens on.
    expect(socketNetdev('h', 3, HUB)).toBe('socket,id=n3,udp=127.0.0.1:40021,localaddr=127.0.0.1:40033');
    expect(socketNetdev('b', 1, HUB)).toBe('socket,id=n1,udp=127.0.0.1:40033,localaddr=127.0.0.1:40021');
    expect(socketNetdev('a', 1)).toBe('socket,id=n1,udp=127.0.0.1:40021,localaddr=127.0.0.1:40011');
  });

  it.each([
    [['3', '4', undefined], /--routers 3 takes 2 links to each spoke/],
    [['3', undefined, 'busybox'], /debian flavour only/],
    [['4', undefined, undefined], /--routers 4 is not 2 or 3/],
  ])('refuses what it cannot give: %j', ([routers, links, flavor], message) => {
    expect(() => parseTopology(links, undefined, undefined, flavor, routers)).toThrow(message);
  });
});

describe('the hub inventory', () => {
  it('loads as the hub\'s two bundles, paired and checked, for playbooks/teql-bundles.yml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-hub-inv-'));
    writeFileSync(join(dir, 'hub.yml'), renderHubInventory({
      sshPorts: { h: 2203, a: 2201, b: 2202 }, privateKeyFile: '/k/id', knownHostsFile: '/k/kh',
      links: { h: ['eth1', 'eth2', 'eth3', 'eth4'], a: ['eth1', 'eth2'], b: ['eth1', 'eth2'] },
    }));
    const run = loadRun(join(dir, 'hub.yml'), join(import.meta.dirname, '../../playbooks/teql-bundles.yml'));
    expect(run.bundles.map((b) => b.name)).toEqual(['router_h:teql0<->router_a:teql0', 'router_h:teql1<->router_b:teql0']);
    const h = run.plays[0]!.tasks.get('router_h')!;
    expect(h.filter((t) => t.module === 'route').map((t) => t.args)).toMatchObject([{ to: '192.0.2.0/24', via: '10.0.0.5' }, { to: '198.51.100.0/24', via: '10.0.1.5' }]);
    expect(run.plays[0]!.tasks.get('router_a')!.filter((t) => t.module === 'ping').map((t) => (t.args as { to: string }).to)).toEqual(['10.0.0.0', '10.0.0.2', '10.0.0.4']);
  });
});
