// Pure: a SIMULATED fleet of hubs and spokes (issue 15): each hub has SPOKES bundles, teqlK over
// eth(2K+1), eth(2K+2) to its spoke K, which has one bundle (teql0 over eth1, eth2) back. Each bundle
// on its own /29 (links .0/.1, .2/.3, equalizers .4/.5; the hub the even end). No LAN networks: the
// hub playbook (playbooks/teql-bundles.yml) then adds no routes, and every ping is the bundle's own.
import type { Facts } from '../../src/gather/facts.js';
import { pairPrefix } from './sim-host.js';

export const SPOKES = 5;

export interface HubHost {
  name: string;
  role: 'hub' | 'spoke';
  hub: number;
  /** The spoke's number on its hub (its bundle is the hub's teqlN). */
  spoke?: number;
  port: number;
  knownHostsFile?: string;
}

/** Host i: hub k is host k*(SPOKES+1), its spokes the SPOKES hosts after it. */
export function hubHostName(i: number): Omit<HubHost, 'port'> {
  const hub = Math.floor(i / (SPOKES + 1));
  const k = i % (SPOKES + 1);
  const h = `hub${String(hub).padStart(3, '0')}`;
  return k === 0 ? { name: h, role: 'hub', hub } : { name: `${h}_spoke${k - 1}`, role: 'spoke', hub, spoke: k - 1 };
}

/** The bundle between a hub and its spoke `spoke`, on its own /29 (after the pairs' ones). */
function prefix(hub: number, spoke: number): string {
  return pairPrefix(4096 + hub * SPOKES + spoke);
}

export function hubBundleName(hub: number, spoke: number): string {
  const h = `hub${String(hub).padStart(3, '0')}`;
  return `${h}:teql${spoke}<->${h}_spoke${spoke}:teql0`;
}

function hostBlock(h: HubHost): string[] {
  const head = [`        ${h.name}:`, `          ansible_port: ${h.port}`, ...(h.knownHostsFile ? [`          teqlctl_known_hosts_file: ${JSON.stringify(h.knownHostsFile)}`] : [])];
  if (h.role === 'spoke') {
    const p = prefix(h.hub, h.spoke!);
    return [...head,
      `          teql_peer: hub${String(h.hub).padStart(3, '0')}`,
      '          teql_slaves: [eth1, eth2]',
      `          link_addresses: [{ dev: eth1, address: ${p}.1/31 }, { dev: eth2, address: ${p}.3/31 }]`,
      `          teql_address: ${p}.5/31`];
  }
  return [...head, '          teql_bundles:', ...Array.from({ length: SPOKES }, (_, k) => {
    const p = prefix(h.hub, k);
    return `            - { peer: ${h.name}_spoke${k}, device: teql${k}, slaves: [eth${2 * k + 1}, eth${2 * k + 2}], address: ${p}.4/31, link_addresses: [{ dev: eth${2 * k + 1}, address: ${p}.0/31 }, { dev: eth${2 * k + 2}, address: ${p}.2/31 }] }`;
  })];
}

export function renderHubInventory(hosts: readonly HubHost[], privateKeyFile: string, knownHostsFile?: string): string {
  return [
    `# SIMULATED fleet of ${hosts.length} routers, hubs with ${SPOKES} spokes each, for the bench (bench/fleet); generated, do not edit.`,
    'all:', '  children:', '    routers:', '      hosts:',
    ...hosts.flatMap(hostBlock),
    '      vars:',
    '        ansible_host: 127.0.0.1',
    '        ansible_user: root',
    `        ansible_ssh_private_key_file: ${JSON.stringify(privateKeyFile)}`,
    ...(knownHostsFile ? [`        teqlctl_known_hosts_file: ${JSON.stringify(knownHostsFile)}`] : []),
    '',
  ].join('\n');
}

/** A hub before any run: the lab's router a with 2 x SPOKES links, all down as eth1 and eth2 are. */
export function hubPristine(labA: Facts): Facts {
  const eth1 = labA.links.find((l) => l.name === 'eth1')!;
  // tc lists no root qdisc for a link never brought up (noop): as many as eth1 has, the new ones get.
  const q1 = labA.rootQdiscs.filter((q) => q.dev === 'eth1');
  const rp1 = labA.sysctls['net.ipv4.conf.eth1.rp_filter']!;
  const extra = Array.from({ length: 2 * SPOKES - 2 }, (_, i) => `eth${i + 3}`);
  return {
    ...labA,
    links: [...labA.links, ...extra.map((name) => ({ ...eth1, name }))],
    rootQdiscs: [...labA.rootQdiscs, ...extra.flatMap((dev) => q1.map((q) => ({ ...q, dev })))],
    sysctls: { ...labA.sysctls, ...Object.fromEntries(extra.map((d) => [`net.ipv4.conf.${d}.rp_filter`, rp1])) },
  };
}
