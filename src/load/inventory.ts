// Loads the inventory: groups, hosts, their variables in Ansible's precedence, and how to reach them.
import { dirname } from 'node:path';
import { buildConnection } from './connection.js';
import { readInventoryTree, type InventoryTree } from './inventory-tree.js';
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
  for (const node of tree.hosts.values()) {
    const groups = hostGroups.get(node.name) ?? ['all'];
    // all < parent group < child group < group_vars files (same order) < host in inventory < host_vars file
    const vars = mergeLayers([
      ...groups.map((g) => tree.groups.get(g)!.vars),
      ...groups.map((g) => groupFiles.get(g)!),
      node.vars,
      readVarFile(dir, 'host_vars', node.name, problems),
    ]);
    const layer = withMagic(vars, node.name, groups, groupMembers, node.pos);
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

function withMagic(vars: VarLayer, host: string, groups: string[], members: Map<string, string[]>, pos: InventoryHost['pos']): VarLayer {
  const builtIn = { pos, where: 'built in' };
  const magic: VarLayer = {
    values: {
      inventory_hostname: host,
      inventory_hostname_short: host.split('.')[0] ?? host,
      group_names: groups.filter((g) => g !== 'all').sort(),
      groups: Object.fromEntries(members),
    },
    origins: new Map(['inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups'].map((k) => [k, builtIn])),
  };
  return mergeLayers([vars, magic]);
}
