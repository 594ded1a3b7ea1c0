// A hub: several bundles on one host (teql_bundles), each paired with a spoke's teql_peer, and the
// derived `bundles` and `bundle_links` a hub's playbook loops over. Malformed entries are refused.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

function hubInventory(second = '{ peer: branch2, device: teql1, slaves: [eth3, eth4], link_addresses: [{ dev: eth3, address: 10.0.1.0/31 }, { dev: eth4, address: 10.0.1.2/31 }], address: 10.0.1.4/31 }'): string {
  const spoke = (name: string, n: number, lan: string) => `
        ${name}:
          teql_peer: hub
          teql_slaves: [eth1, eth2]
          link_addresses: [{ dev: eth1, address: 10.0.${n}.1/31 }, { dev: eth2, address: 10.0.${n}.3/31 }]
          teql_address: 10.0.${n}.5/31
          lan_network: ${lan}`;
  return `
all:
  children:
    routers:
      hosts:
        hub:
          lan_network: 10.10.0.0/16
          lan_address: 10.10.0.1
          teql_bundles:
            - { peer: branch1, device: teql0, slaves: [eth1, eth2], link_addresses: [{ dev: eth1, address: 10.0.0.0/31 }, { dev: eth2, address: 10.0.0.2/31 }], address: 10.0.0.4/31 }
            - ${second}${spoke('branch1', 0, '192.0.2.0/24')}${spoke('branch2', 1, '198.51.100.0/24')}
`;
}

const HUB_PLAYBOOK = `
- hosts: hub
  tasks:
    - teql: { device: "{{ item.device }}", slaves: "{{ item.slaves }}" }
      loop: "{{ bundles }}"
    - address: { dev: "{{ item.dev }}", address: "{{ item.address }}" }
      loop: "{{ bundle_links }}"
    - route: { to: "{{ item.peer_network }}", via: "{{ item.peer_teql_address }}" }
      loop: "{{ bundles }}"
    - ping: { to: "{{ item.peer_address }}" }
      loop: "{{ bundle_links }}"
- hosts: branch1
  tasks:
    - route: { to: "{{ peer_network }}", via: "{{ peer_teql_address }}" }
    - ping: { to: "{{ peer_lan_address }}" }
`;

function load(inventory: string) {
  const dir = writeCase({ 'inventory.yml': inventory, 'playbook.yml': HUB_PLAYBOOK });
  return { dir, run: () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')) };
}

describe('a hub with teql_bundles', () => {
  it('pairs each entry with the spoke that names the hub', () => {
    const run = load(hubInventory()).run();
    expect(run.bundles.map((b) => b.name)).toEqual(['hub:teql0<->branch1:teql0', 'hub:teql1<->branch2:teql0']);
    expect(run.bundles[1]!.ends[0]).toMatchObject({ host: 'hub', peer: 'branch2', slaves: ['eth3', 'eth4'], peerNetwork: '198.51.100.0/24', declared: 'teql_bundles' });
  });

  it('gives the hub one entry per bundle to loop over, and each spoke its peer variables', () => {
    const run = load(hubInventory()).run();
    const hub = run.plays[0]!.tasks.get('hub')!;
    expect(hub.filter((t) => t.module === 'teql').map((t) => t.args)).toMatchObject([{ device: 'teql0', slaves: ['eth1', 'eth2'] }, { device: 'teql1', slaves: ['eth3', 'eth4'] }]);
    expect(hub.filter((t) => t.module === 'route').map((t) => t.args)).toMatchObject([{ to: '192.0.2.0/24', via: '10.0.0.5' }, { to: '198.51.100.0/24', via: '10.0.1.5' }]);
    expect(hub.filter((t) => t.module === 'ping').map((t) => t.module === 'ping' && t.args.to)).toEqual(['10.0.0.1', '10.0.0.3', '10.0.1.1', '10.0.1.3']);
    const spoke = run.plays[1]!.tasks.get('branch1')!;
    expect(spoke.map((t) => t.args)).toMatchObject([{ to: '10.10.0.0/16', via: '10.0.0.4' }, { to: '10.10.0.1' }]);
  });

  it('refuses a malformed entry at teql_bundles, naming the entry', () => {
    const { dir, run } = load(hubInventory('{ peer: branch2, device: teql1, slaves: [eth3, eth4], address: 10.0.1.4/31, mtu: 9000 }'));
    const errors = errorsOf(run);
    expect(errors[0]!.located).toBe(`${join(dir, 'inventory.yml')}:8:11: teql_bundles[1] of host hub: unknown key 'mtu'`);
    // The spoke's teql_peer then has no entry to pair with, but the hub does name it: the entry's own
    // problem is the one said, not a "does not name back" at the spoke, nor the playbook's tasks
    // that read what the bundle would derive (a review found ten problems for one mistake).
    expect(errors.map((e) => e.message)).toEqual(["teql_bundles[1] of host hub: unknown key 'mtu'"]);
  });

  it('refuses link_addresses that leave a slave out, name another link, repeat one, or carry another key', () => {
    const entry = (links: string) => `{ peer: branch2, device: teql1, slaves: [eth3, eth4], link_addresses: [${links}], address: 10.0.1.4/31 }`;
    const message = (links: string) => errorsOf(load(hubInventory(entry(links))).run)[0]!.message;
    expect(message('{ dev: eth3, address: 10.0.1.0/31 }, { dev: eth5, address: 10.0.1.2/31 }')).toBe('teql_bundles[1] of host hub: link_addresses: eth5 is not one of the slaves (eth3, eth4)');
    expect(message('{ dev: eth3, address: 10.0.1.0/31 }')).toBe('teql_bundles[1] of host hub: link_addresses gives no address to slave eth4');
    expect(message('{ dev: eth3, address: 10.0.1.0/31 }, { dev: eth3, address: 10.0.1.2/31 }')).toBe('teql_bundles[1] of host hub: link_addresses: eth3 is given twice');
    expect(message('{ dev: eth3, address: 10.0.1.0/31, mtu: 1400 }, { dev: eth4, address: 10.0.1.2/31 }')).toBe("teql_bundles[1] of host hub: link_addresses: unknown key 'mtu' (an entry takes dev and address)");
  });

  it('refuses, with teql_peer, link_addresses that leave a slave without an address (an entry for another link instead)', () => {
    const { dir, run } = load(hubInventory().replace('link_addresses: [{ dev: eth1, address: 10.0.1.1/31 }, { dev: eth2, address: 10.0.1.3/31 }]', 'link_addresses: [{ dev: eth1, address: 10.0.1.1/31 }, { dev: eth3, address: 10.0.1.3/31 }]'));
    const error = errorsOf(run).find((e) => e.message.startsWith('host branch2:'))!;
    expect(error.message).toBe('host branch2: link_addresses gives no address to slave eth2');
    expect(error.located).toMatch(new RegExp(`^${join(dir, 'inventory.yml')}:\\d+:\\d+: `));
  });

  it('accepts, with teql_peer, link_addresses that also list another link or carry keys of the playbook\'s own', () => {
    const more = hubInventory().replace('link_addresses: [{ dev: eth1, address: 10.0.1.1/31 }, { dev: eth2, address: 10.0.1.3/31 }]', 'link_addresses: [{ dev: eth1, address: 10.0.1.1/31, mtu: 1500 }, { dev: eth2, address: 10.0.1.3/31 }, { dev: lan0, address: 198.51.100.1/24 }]');
    expect(() => load(more).run()).not.toThrow();
  });

  it('refuses an entry without an equalizer address, and a lan_network that is not a network', () => {
    expect(errorsOf(load(hubInventory('{ peer: branch2, device: teql1, slaves: [eth3, eth4] }')).run)[0]!.message).toContain("teql_bundles[1] of host hub: address (the equalizer's) must be");
    const badLan = hubInventory().replace('lan_network: 10.10.0.0/16', 'lan_network: 10.10.0.1/16');
    expect(errorsOf(load(badLan).run)[0]!.message).toBe("lan_network of host hub: '10.10.0.1/16' has host bits set; the network is 10.10.0.0/16");
  });
});
