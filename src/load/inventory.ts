// Loads the inventory: groups, hosts, their variables in Ansible's precedence, and how to reach them.
import { dirname } from 'node:path';
import { buildConnection } from './connection.js';
import { readInventoryTree, type InventoryTree } from './inventory-tree.js';
import { MAX_GROUPS, MAX_HOST_VARS, MAX_HOSTS } from './limits.js';
import { Problems } from './problems.js';
import { mergeLayers, VarScope, type VarLayer } from './scope.js';
import { readYaml } from './source.js';
import type { Inventory, InventoryHost } from './types.js';
import { readVarFile } from './var-files.js';

export interface LoadedInventory {
  inventory: Inventory;
  /** Per host: its variables with where each was set, plus the built-in ones (inventory_hostname, ...). */
  layers: Map<string, VarLayer>;
}

/** Reads the inventory and its group_vars/host_vars; throws ConfigError(s) listing every problem found. */
export function loadInventory(file: string): LoadedInventory {
  const problems = new Problems();
  const y = readYaml(file, 'inventory', problems);
  if (!y) problems.throwIfAny();
  // Structural problems do not stop the walk: variables and connections are still checked, to report all at once.
  const tree: InventoryTree = readInventoryTree(y!, problems);
  const allPos = tree.groups.get('all')?.pos;
  if (tree.hosts.size > MAX_HOSTS || tree.groups.size > MAX_GROUPS) {
    const [n, what, max] = tree.hosts.size > MAX_HOSTS ? [tree.hosts.size, 'hosts', MAX_HOSTS] : [tree.groups.size, 'groups', MAX_GROUPS];
    problems.add(`the inventory lists ${n} ${what}; teqlctl takes at most ${max}`, allPos, 'split the fleet into several inventories');
    problems.throwIfAny();
  }

  const dir = dirname(file);
  addUngrouped(tree);
  const depth = groupDepths(tree);
  const groupsOf = (host: string): string[] => {
    const found = new Set<string>();
    const up = (g: string): void => {
      if (found.has(g)) return;
      found.add(g);
      tree.groups.get(g)?.parents.forEach(up);
    };
    tree.hosts.get(host)?.groups.forEach(up);
    found.add('all');
    return [...found].sort((a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || a.localeCompare(b));
  };

  const groupFiles = new Map([...tree.groups.keys()].map((g) => [g, readVarFile(dir, 'group_vars', g, problems)]));
  const groupMembers = new Map<string, string[]>([...tree.groups.keys()].map((g) => [g, []]));
  const hostGroups = new Map([...tree.hosts.keys()].map((h) => [h, groupsOf(h)]));
  hostGroups.forEach((groups, h) => groups.forEach((g) => groupMembers.get(g)?.push(h)));
  const hosts = new Map<string, InventoryHost>();
  const layers = new Map<string, VarLayer>();
  const groupsVar = Object.fromEntries(groupMembers); // the same for every host
  // Each host gets its own copy of every variable it sees: bounded, so a hostile inventory stops here.
  let pairs = 0;
  for (const node of tree.hosts.values()) {
    const groups = hostGroups.get(node.name) ?? ['all'];
    // all < parent group < child group < group_vars files (same order) < host in inventory < host_vars file
    const parts = [...groups.map((g) => tree.groups.get(g)!.vars), ...groups.map((g) => groupFiles.get(g)!), node.vars, readVarFile(dir, 'host_vars', node.name, problems)];
    pairs += parts.reduce((n, l) => n + l.origins.size, 0);
    if (pairs > MAX_HOST_VARS) {
      problems.add(`the inventory gives its hosts more than ${MAX_HOST_VARS} variables in all (each host counts every variable it sees)`, allPos, 'set fewer variables, or split the fleet into several inventories');
      break;
    }
    const vars = mergeLayers(parts);
    const layer = withMagic(vars, node.name, groups, groupsVar, node.pos);
    layers.set(node.name, layer);
    const connection = buildConnection(node.name, new VarScope(layer), dir, problems);
    hosts.set(node.name, { name: node.name, vars: vars.values, groups, connection, pos: node.pos });
  }
  problems.throwIfAny();
  return { inventory: { file, hosts, groups: groupMembers }, layers };
}

/** Ansible's implicit group of the hosts listed only under `all`. */
function addUngrouped(tree: InventoryTree): void {
  let ungrouped = tree.groups.get('ungrouped');
  const all = tree.groups.get('all');
  if (!all) return;
  if (!ungrouped) {
    ungrouped = { name: 'ungrouped', pos: all.pos, parents: new Set(['all']), children: [], hosts: [], vars: mergeLayers([]) };
    tree.groups.set('ungrouped', ungrouped);
    all.children.push('ungrouped');
  }
  for (const host of tree.hosts.values()) {
    if (host.groups.size === 1 && host.groups.has('all')) {
      host.groups.add('ungrouped');
      ungrouped.hosts.push(host.name);
    }
  }
}

/** all is 0; a child is one deeper than its deepest parent. Deeper groups win, as in Ansible. */
function groupDepths(tree: InventoryTree): Map<string, number> {
  const depth = new Map<string, number>();
  const of = (g: string, seen: string[]): number => {
    const known = depth.get(g);
    if (known !== undefined) return known;
    const parents = [...(tree.groups.get(g)?.parents ?? [])].filter((p) => !seen.includes(p));
    const d = parents.length === 0 ? 0 : 1 + Math.max(...parents.map((p) => of(p, [...seen, g])));
    depth.set(g, d);
    return d;
  };
  for (const g of tree.groups.keys()) of(g, []);
  return depth;
}

function withMagic(vars: VarLayer, host: string, groups: string[], groupsVar: Record<string, string[]>, pos: InventoryHost['pos']): VarLayer {
  const builtIn = { pos, where: 'built in' };
  const magic: VarLayer = {
    values: {
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0] ?? host,
      group_names: groups.filter((g) => g !== 'all').sort(),
      groups: groupsVar,
    },
    origins: new Map(['inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups'].map((k) => [k, builtIn])),
  };
  return mergeLayers([vars, magic]);
}
