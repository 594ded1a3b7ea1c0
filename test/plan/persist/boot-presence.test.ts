// Whether a hub's boot files from before the run already bring back a bundle: judged on the boot
// files teqlctl itself writes for a router with two bundles (teql0 over eth1+eth2, teql1 over eth3).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../../src/load/index.js';
import { planHost } from '../../../src/plan/plan-host.js';
import { goesWith, scopesOf, taskBundles } from '../../../src/plan/bundle-scope.js';
import { bootMention } from '../../../src/plan/persist/boot-presence.js';
import type { Facts } from '../../../src/gather/facts.js';
import { pristineFacts } from '../../helpers/facts.js';

const TEQL0 = 'router_a:teql0<->router_b:teql0';
const TEQL1 = 'router_a:teql1<->router_b:teql1';

function twoBundles() {
  const end = (odd: number, peer: string) => ({
    ansible_host: '127.0.0.1',
    ansible_port: 2201 + odd,
    teql_bundles: [
      { peer, device: 'teql0', slaves: ['eth1', 'eth2'], address: `10.0.0.${4 + odd}/31`, link_addresses: [{ dev: 'eth1', address: `10.0.0.${odd}/31` }, { dev: 'eth2', address: `10.0.0.${2 + odd}/31` }] },
      { peer, device: 'teql1', slaves: ['eth3'], address: `10.0.1.${4 + odd}/31`, link_addresses: [{ dev: 'eth3', address: `10.0.1.${odd}/31` }] },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-boot-presence-'));
  const file = join(dir, 'two.yml');
  writeFileSync(file, JSON.stringify({ all: { children: { routers: { hosts: { router_a: end(0, 'router_b'), router_b: end(1, 'router_a') } } } } }));
  return loadRun(file, 'playbooks/teql-bundles.yml', { extraVars: ['teql_persist=true'] });
}

function pristine(): Facts {
  const f = pristineFacts();
  return {
    ...f,
    links: [...f.links, { name: 'eth3', up: false, operstate: 'DOWN', mtu: 1500 }],
    rootQdiscs: [...f.rootQdiscs, { dev: 'eth3', kind: 'noop', handle: '0:', isDefault: true }],
    sysctls: { ...f.sysctls, 'net.ipv4.conf.eth3.rp_filter': '0' },
    boot: { init: 'systemd', networkd: {}, ifupdown: [], files: [] },
  };
}

describe('a bundle in the boot files from before the run', () => {
  const loaded = twoBundles();
  const tasks = loaded.plays[0]!.tasks.get('router_a')!;
  const scopes = scopesOf('router_a', loaded.bundles);
  const scope = (b: string) => scopes.find((s) => s.bundle === b)!;
  /** The router once a run with these bundles converged: its boot files are teqlctl's own. */
  const convergedWith = (bundles: string[]): Facts => {
    const left = new Set([TEQL0, TEQL1].filter((b) => !bundles.includes(b)));
    const exclude = left.size > 0 ? { exclude: (t: (typeof tasks)[number]) => goesWith(taskBundles(t, scopes), left, [TEQL0, TEQL1]) } : {};
    return planHost('router_a', tasks, pristine(), exclude).expected;
  };

  it('is found when the boot files name its devices', () => {
    const both = convergedWith([TEQL0, TEQL1]);
    expect(both.boot?.files.length).toBeGreaterThan(0);
    expect(bootMention(both, scope(TEQL1))).toMatchObject({ word: expect.stringMatching(/^(teql1|eth3|10\.0\.1\.\d+)$/) });
    expect(bootMention(both, scope(TEQL0))).toBeDefined();
  });

  it('is not found when the boot files are the other bundle\'s only, nor before any persist', () => {
    const teql0Only = convergedWith([TEQL0]);
    // teql0's boot files pin eth3's rp_filter (raised when conf.all came down): not teql1's presence.
    expect(teql0Only.boot!.files.some((f) => /conf[./]eth3[./]rp_filter/.test(f.content ?? ''))).toBe(true);
    expect(bootMention(teql0Only, scope(TEQL0))).toBeDefined();
    expect(bootMention(teql0Only, scope(TEQL1))).toBeUndefined();
    expect(bootMention(pristine(), scope(TEQL0))).toBeUndefined();
  });

  it('matches whole names and addresses only: eth30, veth3 and 10.0.1.50 are not eth3 or 10.0.1.5', () => {
    const f = (content: string, path = '/etc/teqlctl/boot.sh'): Facts => ({ ...pristine(), boot: { init: 'systemd', networkd: {}, ifupdown: [], files: [{ path, content, executable: true }] } });
    expect(bootMention(f('ip link set dev eth30 up\nip link set dev veth3 up\nping 10.0.1.50\n'), scope(TEQL1))).toBeUndefined();
    expect(bootMention(f('ip route replace 192.0.2.0/24 via 10.0.1.5\n'), scope(TEQL1))).toEqual({ path: '/etc/teqlctl/boot.sh', word: '10.0.1.5' });
    expect(bootMention(f('[Link]\nRequiredForOnline=no\n', '/etc/systemd/network/10-eth3.network.d/teqlctl.conf'), scope(TEQL1))).toMatchObject({ word: 'eth3' });
  });

  it('leaves out what the host\'s other bundles have too: two bundles to one peer share its LAN address', () => {
    const withLan = (s: ReturnType<typeof scope>) => ({ ...s, peerAddresses: new Set([...s.peerAddresses, '192.0.2.9']) });
    const f: Facts = { ...pristine(), boot: { init: 'systemd', networkd: {}, ifupdown: [], files: [{ path: '/etc/teqlctl/boot.sh', content: 'ip route replace 198.51.100.0/24 via 192.0.2.9\n', executable: true }] } };
    expect(bootMention(f, withLan(scope(TEQL1)))).toEqual({ path: '/etc/teqlctl/boot.sh', word: '192.0.2.9' });
    expect(bootMention(f, withLan(scope(TEQL1)), [withLan(scope(TEQL0))])).toBeUndefined();
  });
});
