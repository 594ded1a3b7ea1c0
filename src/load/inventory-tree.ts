// Walks Ansible's YAML inventory (all: hosts/children/vars) into groups and hosts, in file order.
import { isMap, type Node } from 'yaml';
import type { SourcePos } from '../errors.js';
import { MAX_NAME_CHARS } from './limits.js';
import type { Problems } from './problems.js';
import { mergeLayers, type VarLayer } from './scope.js';
import { codePoint, shown } from './shown.js';
import { child, deref, keyText, posOf, type YamlFile } from './source.js';
import { readVars } from './vars-node.js';

export interface GroupNode {
  name: string;
  pos: SourcePos;
  parents: Set<string>;
  children: string[];
  /** Hosts listed directly under this group. */
  hosts: string[];
  vars: VarLayer;
}

export interface HostNode {
  name: string;
  pos: SourcePos;
  /** Host vars written in the inventory (several definitions of one host merge, later wins). */
  vars: VarLayer;
  /** Groups that list the host directly. */
  groups: Set<string>;
}

export interface InventoryTree {
  groups: Map<string, GroupNode>;
  hosts: Map<string, HostNode>;
}

const GROUP_KEYS = ['hosts', 'children', 'vars'];
// Characters that mean something in host patterns, or Ansible host ranges (web[01:10]); invisible ones.
const BAD_NAME = /[\s,:!&*?[\]]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

export function readInventoryTree(y: YamlFile, problems: Problems): InventoryTree {
  const tree: InventoryTree = { groups: new Map(), hosts: new Map() };
  const root = deref(y, y.doc.contents);
  if (root === null || root === undefined) {
    problems.add('the inventory is empty', posOf(y, null), 'start it with `all:` and list hosts under all.hosts or all.children.<group>.hosts');
    return tree;
  }
  if (!isMap(root)) {
    problems.add('the inventory must be a mapping with the single key `all`', posOf(y, root as Node), 'start it with `all:`');
    return tree;
  }
  for (const pair of root.items) {
    const key = keyText(pair.key);
    if (key !== 'all') {
      problems.add(`unknown top-level key ${shown(key)} in the inventory (only 'all' is allowed)`, posOf(y, pair.key as Node), 'put groups under all.children, e.g. all: { children: { routers: ... } }');
    }
  }
  const all = child(y, root, 'all');
  if (!root.items.some((p) => keyText(p.key) === 'all')) {
    problems.add("the inventory has no 'all' group", posOf(y, root), 'start it with `all:`');
    return tree;
  }
  readGroup(y, 'all', all ?? null, posOf(y, all ?? root), undefined, tree, problems);
  checkCycles(tree, problems);
  // Only when nothing else is wrong: a broken hosts: entry is the likelier cause.
  if (tree.hosts.size === 0 && problems.count === 0) problems.add('the inventory lists no hosts', posOf(y, all ?? root), 'add hosts under all.hosts or all.children.<group>.hosts');
  for (const name of tree.groups.keys()) {
    const host = tree.hosts.get(name);
    if (host) problems.add(`'${name}' is both a group and a host`, host.pos, 'rename one of them; host patterns could not tell them apart');
  }
  return tree;
}

function readGroup(y: YamlFile, name: string, node: unknown, pos: SourcePos, parent: string | undefined, tree: InventoryTree, problems: Problems): void {
  let group = tree.groups.get(name);
  if (!group) {
    group = { name, pos, parents: new Set(), children: [], hosts: [], vars: mergeLayers([]) };
    tree.groups.set(name, group);
  }
  if (parent) group.parents.add(parent);
  const n = deref(y, node);
  if (n === null || n === undefined || isNull(n)) return;
  if (!isMap(n)) {
    problems.add(`group '${name}' must be a mapping with hosts, children and/or vars`, posOf(y, n as Node), 'write e.g. `routers: { hosts: { router_a: {} } }`');
    return;
  }
  for (const pair of n.items) {
    const key = keyText(pair.key);
    if (!GROUP_KEYS.includes(key)) {
      problems.add(`unknown key ${shown(key)} in group '${name}' (allowed: ${GROUP_KEYS.join(', ')})`, posOf(y, pair.key as Node), 'hosts go under hosts:, nested groups under children:, variables under vars:');
    }
  }
  readHosts(y, name, child(y, n, 'hosts'), tree, problems);
  const children = child(y, n, 'children');
  if (children !== undefined && !(isMap(children) || isNull(children))) {
    problems.add(`children of group '${name}' must be a mapping of group names`, posOf(y, children), 'write e.g. `children: { routers: { hosts: ... } }`');
  } else if (isMap(children)) {
    for (const pair of children.items) {
      const childName = keyText(pair.key);
      const childPos = posOf(y, pair.key as Node);
      if (!validName(childName, 'group', childPos, problems)) continue;
      if (childName === 'all') {
        problems.add("'all' cannot be a child group", childPos, 'every group is already inside all');
        continue;
      }
      if (!group.children.includes(childName)) group.children.push(childName);
      readGroup(y, childName, pair.value, childPos, name, tree, problems);
    }
  }
  const vars = readVars(y, child(y, n, 'vars'), `vars of group '${name}'`, `vars of group ${name} in the inventory`, problems);
  group.vars = mergeLayers([group.vars, vars]);
}

function readHosts(y: YamlFile, group: string, node: Node | undefined, tree: InventoryTree, problems: Problems): void {
  if (node === undefined || isNull(node)) return;
  if (!isMap(node)) {
    problems.add(`hosts of group '${group}' must be a mapping of host names (to their variables)`, posOf(y, node), 'write e.g. `hosts: { router_a: { ansible_host: 192.0.2.1 } }`; a list is not accepted');
    return;
  }
  for (const pair of node.items) {
    const name = keyText(pair.key);
    const pos = posOf(y, pair.key as Node);
    if (!validName(name, 'host', pos, problems)) continue;
    const vars = readVars(y, pair.value, `host '${name}'`, `host ${name} in the inventory`, problems);
    const known = tree.hosts.get(name);
    const g = tree.groups.get(group);
    if (g && !known?.groups.has(group)) g.hosts.push(name);
    if (known) {
      known.vars = mergeLayers([known.vars, vars]);
      known.groups.add(group);
    } else {
      tree.hosts.set(name, { name, pos, vars, groups: new Set([group]) });
    }
  }
}

function validName(name: string, what: string, pos: SourcePos, problems: Problems): boolean {
  const invisible = INVISIBLE.exec(name)?.[0];
  if (name === '' || BAD_NAME.test(name) || invisible !== undefined || name.length > MAX_NAME_CHARS) {
    const hint = invisible !== undefined ? `the name holds an invisible character (${codePoint(invisible)}); retype it`
      : name.length > MAX_NAME_CHARS ? `names are at most ${MAX_NAME_CHARS} characters`
      : /\[.*:.*\]/.test(name) ? 'host ranges like web[01:10] are not supported; list each host'
      : 'names may not contain whitespace or , : ! & * ? [ ] (they mean something in host patterns)';
    problems.add(`invalid ${what} name ${shown(name)}`, pos, hint);
    return false;
  }
  return true;
}

/**
 * Depth-first with a colour per group: each group and edge is walked once (a lattice of groups has
 * exponentially many paths). The first cycle is reported; the others often share its edges.
 */
function checkCycles(tree: InventoryTree, problems: Problems): void {
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  // An explicit stack: the group chain may be as long as there are groups.
  const stack: { name: string; next: number }[] = [{ name: 'all', next: 0 }];
  path.push('all');
  onPath.add('all');
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    const children = tree.groups.get(top.name)?.children ?? [];
    if (top.next >= children.length) {
      stack.pop();
      path.pop();
      onPath.delete(top.name);
      done.add(top.name);
      continue;
    }
    const c = children[top.next++]!;
    if (onPath.has(c)) {
      problems.add(`group '${c}' is its own ancestor: ${[...path, c].join(' -> ')}`, tree.groups.get(c)?.pos, 'remove one of the children: entries');
      return;
    } else if (!done.has(c)) {
      stack.push({ name: c, next: 0 });
      path.push(c);
      onPath.add(c);
    }
  }
}

function isNull(node: unknown): boolean {
  return node !== null && typeof node === 'object' && 'value' in node && (node as { value: unknown }).value === null;
}
