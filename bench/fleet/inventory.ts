// Pure: the inventory of a simulated fleet. Pairs of routers mirror the lab's addressing, each pair
// on its own 10.<pair/256>.<pair%256>.0/29, because the loader refuses an address on two hosts.
import { pairPrefix } from './sim-host.js';

export interface SimHost {
  name: string;
  pair: number;
  router: 'a' | 'b';
  port: number;
  /** This host's own known_hosts file; else the fleet's shared one. */
  knownHostsFile?: string;
}

/** Host i of a fleet: pairs (0: a, 1: b), (2: a, 3: b), ... */
export function simHostName(i: number): { name: string; pair: number; router: 'a' | 'b' } {
  const pair = Math.floor(i / 2);
  const router = i % 2 === 0 ? 'a' : 'b';
  return { name: `pair${String(pair).padStart(4, '0')}_${router}`, pair, router };
}

const LAN = { a: { address: '192.0.2.1', network: '192.0.2.0/24' }, b: { address: '198.51.100.1', network: '198.51.100.0/24' } };

function hostBlock(h: SimHost): string[] {
  const p = pairPrefix(h.pair);
  const me = h.router === 'a' ? [0, 2, 4] : [1, 3, 5];
  const peer = h.router === 'a' ? [1, 3, 5] : [0, 2, 4];
  const other = h.router === 'a' ? 'b' : 'a';
  return [
    `        ${h.name}:`,
    `          ansible_port: ${h.port}`,
    ...(h.knownHostsFile ? [`          teqlctl_known_hosts_file: ${JSON.stringify(h.knownHostsFile)}`] : []),
    `          link_addresses:`,
    `            - { dev: eth1, address: ${p}.${me[0]}/31 }`,
    `            - { dev: eth2, address: ${p}.${me[1]}/31 }`,
    `          teql_address: ${p}.${me[2]}/31`,
    `          lan_address: ${LAN[h.router].address}`,
    `          peer_network: ${LAN[other].network}`,
    `          peer_teql_address: ${p}.${peer[2]}`,
    `          peer_lan_address: ${LAN[other].address}`,
    `          peer_addresses: [${peer.map((x) => `${p}.${x}`).join(', ')}]`,
  ];
}

/** `knownHostsFile` is the fleet's shared file, named once for all hosts (a host's own file wins). */
export function renderFleetInventory(hosts: readonly SimHost[], privateKeyFile: string, knownHostsFile?: string): string {
  return [
    `# SIMULATED fleet of ${hosts.length} routers for the bench (bench/fleet); generated, do not edit.`,
    'all:',
    '  children:',
    '    routers:',
    '      hosts:',
    ...hosts.flatMap(hostBlock),
    '      vars:',
    '        ansible_host: 127.0.0.1',
    '        ansible_user: root',
    '        teql_slaves: [eth1, eth2]',
    `        ansible_ssh_private_key_file: ${JSON.stringify(privateKeyFile)}`,
    ...(knownHostsFile ? [`        teqlctl_known_hosts_file: ${JSON.stringify(knownHostsFile)}`] : []),
    '',
  ].join('\n');
}
