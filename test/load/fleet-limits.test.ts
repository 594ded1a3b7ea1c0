// The loader's limits (src/load/limits.ts) against the largest fleet they allow: 5000 routers in one
// inventory file, with the chapter's playbook. Until 2026-12-05 a file of ~1 100 such routers was
// refused for its tokens ("inventories and playbooks are far smaller") and ~1 430 for the run's
// tasks, while the host limit said 5000.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { MAX_HOSTS } from '../../src/load/limits.js';
import { writeCase } from './helpers.js';

const CHAPTER = fileURLToPath(new URL('../../playbooks/teql.yml', import.meta.url));
const LAN = { a: ['192.0.2.1', '192.0.2.0/24'], b: ['198.51.100.1', '198.51.100.0/24'] } as const;

/** Router i of the fleet: pairs (a, b) on their own 10.x.y.0/29, as the lab's addressing. */
function router(i: number): { name: string; vars: Record<string, string> } {
  const pair = Math.floor(i / 2);
  const side = i % 2 === 0 ? 'a' : 'b';
  const other = side === 'a' ? 'b' : 'a';
  const p = `10.${Math.floor(pair / 256)}.${pair % 256}`;
  const [me, peer] = side === 'a' ? [[0, 2, 4], [1, 3, 5]] : [[1, 3, 5], [0, 2, 4]];
  return {
    name: `site${String(pair).padStart(4, '0')}_${side}`,
    vars: {
      ansible_port: String(20000 + (i % 40000)),
      link_addresses: `[{ dev: eth1, address: ${p}.${me![0]}/31 }, { dev: eth2, address: ${p}.${me![1]}/31 }]`,
      teql_address: `${p}.${me![2]}/31`,
      lan_address: LAN[side][0],
      peer_network: LAN[other][1],
      peer_teql_address: `${p}.${peer![2]}`,
      peer_lan_address: LAN[other][0],
      peer_addresses: `[${peer!.map((x) => `${p}.${x}`).join(', ')}]`,
    },
  };
}

const GROUP_VARS = { ansible_host: '127.0.0.1', ansible_user: 'root', teql_slaves: '[eth1, eth2]' };

function yamlInventory(n: number): string {
  const hosts = Array.from({ length: n }, (_, i) => router(i)).flatMap(({ name, vars }) => [`        ${name}:`, ...Object.entries(vars).map(([k, v]) => `          ${k}: ${v}`)]);
  return ['all:', '  children:', '    routers:', '      hosts:', ...hosts, '      vars:', ...Object.entries(GROUP_VARS).map(([k, v]) => `        ${k}: ${v}`), ''].join('\n');
}

function iniInventory(n: number): string {
  // INI values are Python literals: a list of mappings is written as one, quoted keys and all.
  const ini = (v: string) => (v.startsWith('[') ? `"${v.replace(/\{ dev: (\w+), address: ([\d./]+) \}/g, "{'dev': '$1', 'address': '$2'}").replace(/\[([\d., ]+)\]/, (_m, xs: string) => `[${xs.split(', ').map((x) => `'${x}'`).join(', ')}]`).replace(/\[eth1, eth2\]/, "['eth1', 'eth2']")}"` : v);
  // A [group:vars] value is a string, as in Ansible: the list of slaves goes on each host's line.
  const { teql_slaves: slaves, ...strings } = GROUP_VARS;
  const lines = Array.from({ length: n }, (_, i) => router(i)).map(({ name, vars }) => `${name} ${Object.entries({ ...vars, teql_slaves: slaves }).map(([k, v]) => `${k}=${ini(v)}`).join(' ')}`);
  return ['[routers]', ...lines, '', '[routers:vars]', ...Object.entries(strings).map(([k, v]) => `${k}=${v}`), ''].join('\n');
}

describe('a fleet as large as the limits allow', () => {
  it.each([
    ['YAML', 'inventory.yml', yamlInventory],
    ['INI', 'hosts.ini', iniInventory],
  ])(`%s: ${MAX_HOSTS} routers in one file load with the chapter's playbook, every bundle and task there`, (_kind, file, render) => {
    const dir = writeCase({ [file]: render(MAX_HOSTS) });
    const run = loadRun(join(dir, file), CHAPTER);
    expect(run.plays.flatMap((p) => p.hosts)).toHaveLength(MAX_HOSTS);
    expect(run.bundles).toHaveLength(MAX_HOSTS / 2);
    const last = router(MAX_HOSTS - 1).name;
    const tasks = run.plays.flatMap((p) => p.tasks.get(last) ?? []);
    // The chapter's tasks for the last router, as for the first: nothing cut short by a limit.
    expect(tasks.length).toBeGreaterThan(10);
    expect(tasks.length).toBe(run.plays.flatMap((p) => p.tasks.get(router(0).name) ?? []).length);
  }, 120_000);
});
