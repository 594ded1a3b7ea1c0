// Loads the inventory: every source given with -i, merged in order, its groups, hosts, their variables
// in Ansible's precedence (group_vars/ and host_vars/ beside each source and beside the playbook), and
// how to reach each host.
import { yaml11Mark, yaml11Note } from './yaml11-readings.js';
import { dirname } from 'node:path';
import { homedir } from 'node:os';
import { refuseConfigReading } from './ansible-cfg-reading.js';
import { BUILT_IN } from './ansible-vars.js';
import { buildConnection } from './connection.js';
import { groupDepths, groupOrder, takeGroupPriorities } from './group-priority.js';
import { readIniInventory } from './inventory-ini.js';
import { listInventoryFiles, type InventoryFile } from './inventory-sources.js';
import { finishTree, newTree, type InventoryTree } from './inventory-tree.js';
import { readYamlInventory } from './inventory-yaml.js';
import { MAX_GROUPS, MAX_HOST_VARS, MAX_HOSTS } from './limits.js';
import { Problems } from './problems.js';
import { mergeLayers, VarScope, type VarLayer } from './scope.js';
import { readYaml } from './source.js';
import type { Inventory, InventoryHost } from './types.js';
import { nestedVarsNote, unreadNestedVars, unreadVarFiles } from './unread-var-files.js';
import { varFileReader } from './var-file-reader.js';
import { readLimited } from './yaml-guard.js';

export interface LoadedInventory {
  inventory: Inventory;
  /** Per host: its variables with where each was set, plus the built-in ones (inventory_hostname, ...). */
  layers: Map<string, VarLayer>;
  /** What the operator should know: variable files found but not read (unread-var-files.ts). */
  notes: string[];
  /**
   * With `deferHostProblems`: each host's own problems (its connection variables, the variable
   * files only its groups read), for the caller to raise for the hosts it runs on (hostProblems).
   */
  deferred?: Map<string, HostProblems>;
}

/** A host's own problems: of the variable files it reads, and of its connection (built again with -e). */
export interface HostProblems {
  files: Problems;
  connection: Problems;
}

export interface InventoryOptions {
  /** The playbook's folder: its group_vars/ and host_vars/ override the inventory's, as in Ansible. */
  playbookDir?: string;
  /**
   * A shared inventory's other hosts (`localhost ansible_connection=local`, a vault-encrypted
   * group_vars/db/) must not stop a run of the routers, as they do not stop ansible-playbook: their
   * problems are returned in `deferred` instead of thrown. The caller raises those of its hosts.
   */
  deferHostProblems?: boolean;
  /** The caller says the plain values YAML 1.1 reads otherwise (loadRun, with the playbook's and -e's): not in `notes`. */
  callerNotesYaml11?: boolean;
}

/** The deferred problems of `hosts`, added to `problems` (a host outside the run keeps its own). */
export function hostProblems(deferred: Map<string, HostProblems> | undefined, hosts: Iterable<string>, problems: Problems): void {
  for (const h of hosts) {
    const own = deferred?.get(h);
    if (own) {
      problems.absorb(own.files);
      problems.absorb(own.connection);
    }
  }
}

/**
 * Reads the inventory sources (files or folders, as several -i: merged in order) and their
 * group_vars/host_vars; throws ConfigError(s) listing every problem found.
 */
export function loadInventory(sources: string | readonly string[], opts: InventoryOptions = {}): LoadedInventory {
  const problems = new Problems();
  const mark = yaml11Mark();
  const paths = typeof sources === 'string' ? [sources] : [...sources];
  const { files, varsDirs, nestedVarsDirs, skippedInventoryLike } = listInventoryFiles(paths, problems);
  const tree = newTree();
  let unreadable = problems.count > 0;
  const iniNotes: string[] = [];
  for (const f of files) if (!readSource(f, tree, problems, iniNotes)) unreadable = true;
  // A source that could not be read at all stops here; structural problems do not stop the walk:
  // variables and connections are still checked, to report all at once.
  if (unreadable) problems.throwIfAny();
  finishTree(tree, { file: files[0]?.file ?? paths[0] ?? '', line: 1, col: 1 }, problems);
  refuseConfigReading({ env: process.env, cwd: process.cwd(), home: homedir() }, { formats: new Set(files.map((f) => f.format)), groups: [...tree.groups.keys()] }, problems);
  const allPos = tree.groups.get('all')!.pos;
  if (tree.hosts.size > MAX_HOSTS || tree.groups.size > MAX_GROUPS) {
    const [n, what, max] = tree.hosts.size > MAX_HOSTS ? [tree.hosts.size, 'hosts', MAX_HOSTS] : [tree.groups.size, 'groups', MAX_GROUPS];
    problems.add(`the inventory lists ${n} ${what}; teqlctl takes at most ${max}`, allPos, 'split the fleet into several inventories');
    problems.throwIfAny();
  }

  const depth = groupDepths(tree);
  const order = groupOrder(depth, takeGroupPriorities(tree, problems));
  const groupsOf = (host: string): string[] => {
    const found = new Set<string>();
    // A walk with a stack of its own, not recursion: a chain of thousands of groups is no crash.
    const todo = [...(tree.hosts.get(host)?.groups ?? [])];
    for (let g = todo.pop(); g !== undefined; g = todo.pop()) {
      if (found.has(g)) continue;
      found.add(g);
      todo.push(...(tree.groups.get(g)?.parents ?? []));
    }
    found.add('all');
    // As Ansible sorts a host's groups (depth, ansible_group_priority, then name as Python
    // compares strings: by code point), which decides whose group_vars win: not by locale.
    return [...found].sort(order);
  };

  const vars = varFileReader(varsDirs, opts.playbookDir);
  const deferred = new Map<string, HostProblems>();
  const groupMembers = new Map<string, string[]>([...tree.groups.keys()].map((g) => [g, []]));
  const hostGroups = new Map([...tree.hosts.keys()].map((h) => [h, groupsOf(h)]));
  hostGroups.forEach((groups, h) => groups.forEach((g) => groupMembers.get(g)?.push(h)));
  // `groups['core'][0]` as Ansible gives it: a group's own hosts in its order, then its children's
  // (in their order), level by level; `all` too (its own hosts, then `ungrouped`'s, then the top
  // groups'...), as ansible-core 2.14 gives groups['all'] and the hosts of `hosts: all`.
  for (const g of groupMembers.keys()) groupMembers.set(g, membersInOrder(tree, g));
  const hosts = new Map<string, InventoryHost>();
  const layers = new Map<string, VarLayer>();
  const groupsVar = Object.fromEntries(groupMembers); // the same for every host
  // Each host gets its own copy of every variable it sees: bounded, so a hostile inventory stops here.
  let pairs = 0;
  for (const node of tree.hosts.values()) {
    const groups = hostGroups.get(node.name) ?? ['all'];
    const others = groups.filter((g) => g !== 'all');
    // Ansible's order: inventory group vars (all, then parent < child) < group_vars/all (inventory,
    // then playbook) < group_vars/<group> (inventory, then playbook) < host in inventory < host_vars
    // (inventory, then playbook).
    const parts = [
      ...groups.map((g) => tree.groups.get(g)!.vars),
      ...vars.inventory('group_vars', ['all']),
      ...vars.playbook('group_vars', ['all']),
      ...vars.inventory('group_vars', others),
      ...vars.playbook('group_vars', others),
      node.vars,
      ...vars.inventory('host_vars', [node.name]),
      ...vars.playbook('host_vars', [node.name]),
    ];
    pairs += parts.reduce((n, l) => n + l.origins.size, 0);
    if (pairs > MAX_HOST_VARS) {
      problems.add(`the inventory gives its hosts more than ${MAX_HOST_VARS} variables in all (each host counts every variable it sees)`, allPos, 'set fewer variables, or split the fleet into several inventories');
      break;
    }
    const merged = mergeLayers(parts);
    const layer = withMagic(merged, node.name, groups, groupsVar, node.pos);
    layers.set(node.name, layer);
    // Its own problems: those of the variable files it read, and of its connection variables.
    const own: HostProblems = { files: new Problems(), connection: new Problems() };
    for (const l of parts) {
      const p = vars.problemsOf(l);
      if (p) own.files.absorb(p);
    }
    // Relative key paths are relative to the folder of the file that lists the host (its inventory_dir).
    const connection = buildConnection(node.name, new VarScope(layer), dirname(node.pos.file), own.connection, node.pos);
    if (own.files.count + own.connection.count > 0) deferred.set(node.name, own);
    hosts.set(node.name, { name: node.name, vars: merged.values, groups, connection, pos: node.pos });
  }
  // Deferred only when the inventory is otherwise sound: beside its other problems, all are said at once.
  if (!opts.deferHostProblems || problems.count > 0) hostProblems(deferred, deferred.keys(), problems);
  problems.throwIfAny();
  const readDirs = [...varsDirs, ...(opts.playbookDir !== undefined ? [opts.playbookDir] : [])];
  const notes = [
    ...iniNotes,
    ...(skippedInventoryLike.length > 0 ? [`not read: ${skippedInventoryLike.slice(0, 5).join(', ')}${skippedInventoryLike.length > 5 ? ', ...' : ''}: Ansible skips .ini and .cfg files in an inventory folder (rename it, e.g. hosts, or give it with its own -i)`] : []),
    ...unreadNestedVars(nestedVarsDirs, readDirs).map(nestedVarsNote),
    ...unreadVarFiles(readDirs, new Set([...tree.groups.keys(), 'all', 'ungrouped']), new Set(tree.hosts.keys())),
    ...(opts.callerNotesYaml11 ? [] : [yaml11Note(mark)].filter((n) => n !== undefined)),
  ];
  return { inventory: { sources: paths, hosts, groups: groupMembers }, layers, notes, ...(opts.deferHostProblems ? { deferred } : {}) };
}

/** Reads one inventory file into the tree; false when it could not be read or parsed at all. */
function readSource(f: InventoryFile, tree: InventoryTree, problems: Problems, notes: string[]): boolean {
  if (f.format === 'yaml') {
    const y = readYaml(f.file, 'inventory', problems);
    if (y) readYamlInventory(y, tree, problems);
    return y !== undefined;
  }
  const read = readLimited(f.file);
  if (!('text' in read)) {
    problems.add(`cannot read inventory '${f.file}': ${read.why}`, read.at ? { file: f.file, ...read.at } : undefined, read.hint ?? 'check the path of the inventory');
    return false;
  }
  notes.push(...readIniInventory(f.file, read.text, tree, problems));
  return true;
}


/**
 * The hosts of `group` and of its descendants, as Ansible's Group.get_hosts gives them: the groups
 * level by level (itself, its children in order, their children...), each group's own hosts in its
 * order, each host once.
 */
function membersInOrder(tree: InventoryTree, group: string): string[] {
  const out = new Set<string>();
  const seen = new Set<string>([group]);
  for (let level = [group]; level.length > 0;) {
    const next: string[] = [];
    for (const g of level) {
      const node = tree.groups.get(g);
      if (!node) continue;
      for (const h of node.hosts) out.add(h);
      for (const c of node.children) if (!seen.has(c)) (seen.add(c), next.push(c));
    }
    level = next;
  }
  return [...out];
}

function withMagic(vars: VarLayer, host: string, groups: string[], groupsVar: Record<string, string[]>, pos: InventoryHost['pos']): VarLayer {
  const builtIn = { pos, where: BUILT_IN };
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
