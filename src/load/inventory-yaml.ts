// Walks a YAML (or JSON) inventory into the tree, as Ansible's yaml plugin reads it: every top-level
// key is a group (`all` or any other), each with hosts, children and vars.
import { GROUP_PRIORITY } from './group-priority.js';
import { isMap, isScalar, type Node } from 'yaml';
import type { SourcePos } from '../errors.js';
import { addHostEntry, groupOf, validName, type InventoryTree } from './inventory-tree.js';
import type { Problems } from './problems.js';
import { mergeLayers } from './scope.js';
import { shown } from './shown.js';
import { deref, keyText, posOf, toJS, type YamlFile } from './source.js';
import { readVars } from './vars-node.js';
import { mappingPairs } from './mapping-pairs.js';

const GROUP_KEYS = ['hosts', 'children', 'vars'];
export const EXPORT_HINT = 'teqlctl reads static inventories only: export this one once with `ansible-inventory -i SOURCE --list --yaml > hosts.yml` and pass that file';

export function readYamlInventory(y: YamlFile, tree: InventoryTree, problems: Problems): void {
  const root = deref(y, y.doc.contents);
  if (root === null || root === undefined || isNull(root)) {
    problems.add('the inventory is empty', posOf(y, null), 'start it with `all:` (or a group name) and list hosts under hosts:');
    return;
  }
  if (!isMap(root)) {
    problems.add('the inventory must be a mapping of group names', posOf(y, root as Node), 'start it with `all:` (or a group name)');
    return;
  }
  const plugin = root.items.find((p) => keyText(p.key) === 'plugin');
  if (plugin) {
    const name = toJS(y, plugin.value);
    problems.add(`inventory plugin ${shown(String(name))} is not supported (this is a plugin configuration, not an inventory)`, posOf(y, plugin.key as Node), EXPORT_HINT);
    return;
  }
  for (const pair of mappingPairs(y, root, 'group', problems)) {
    const name = pair.name;
    const keyPos = posOf(y, pair.key);
    if (!validName(name, 'group', keyPos, problems)) continue;
    // `all` keeps the position of its body, where "no hosts" points.
    const pos = name === 'all' && pair.value ? posOf(y, deref(y, pair.value) as Node) : keyPos;
    readGroup(y, name, pair.value, pos, undefined, tree, problems);
  }
}

function readGroup(y: YamlFile, name: string, node: unknown, pos: SourcePos, parent: string | undefined, tree: InventoryTree, problems: Problems): void {
  const group = groupOf(tree, name, pos, parent);
  const n = deref(y, node);
  if (n === null || n === undefined || isNull(n)) return;
  if (!isMap(n)) {
    problems.add(`group '${name}' must be a mapping with hosts, children and/or vars`, posOf(y, n as Node), 'write e.g. `routers: { hosts: { router_a: {} } }`');
    return;
  }
  // In the document's order, as Ansible reads a group: a host set both under hosts: and in a
  // child group takes the variables written last.
  let varsNode: Node | undefined;
  for (const pair of mappingPairs(y, n, 'key', problems)) {
    const key = pair.name;
    const value = (deref(y, pair.value) ?? undefined) as Node | undefined;
    if (!GROUP_KEYS.includes(key)) {
      problems.add(`unknown key ${shown(key)} in group '${name}' (allowed: ${GROUP_KEYS.join(', ')})`, posOf(y, pair.key), 'hosts go under hosts:, nested groups under children:, variables under vars:');
    } else if (key === 'hosts') readHosts(y, name, value, tree, problems);
    else if (key === 'children') readChildren(y, name, value, tree, problems);
    else varsNode = value;
  }
  const vars = readVars(y, varsNode, `vars of group '${name}'`, `vars of group ${name} in the inventory`, problems, [GROUP_PRIORITY], 'per host');
  group.vars = mergeLayers([group.vars, vars]);
}

function readChildren(y: YamlFile, name: string, children: Node | undefined, tree: InventoryTree, problems: Problems): void {
  if (children !== undefined && !(isMap(children) || isNull(children))) {
    problems.add(`children of group '${name}' must be a mapping of group names`, posOf(y, children), 'write e.g. `children: { routers: { hosts: ... } }`');
  } else if (isMap(children)) {
    for (const pair of mappingPairs(y, children, 'group', problems)) {
      const childName = pair.name;
      const childPos = posOf(y, pair.key);
      if (!validName(childName, 'group', childPos, problems)) continue;
      if (childName === 'all') {
        problems.add("'all' cannot be a child group", childPos, 'every group is already inside all');
        continue;
      }
      readGroup(y, childName, pair.value, childPos, name, tree, problems);
    }
  }
}

function readHosts(y: YamlFile, group: string, node: Node | undefined, tree: InventoryTree, problems: Problems): void {
  if (node === undefined || isNull(node)) return;
  if (!isMap(node)) {
    problems.add(`hosts of group '${group}' must be a mapping of host names (to their variables)`, posOf(y, node), 'write e.g. `hosts: { router_a: { ansible_host: 192.0.2.1 } }`; a list is not accepted');
    return;
  }
  for (const pair of mappingPairs(y, node, 'host', problems)) {
    const entry = pair.name;
    const vars = readVars(y, pair.value, `host '${entry}'`, `host ${entry} in the inventory`, problems, [], 'per host');
    // `vars:` under a host is, for Ansible, one variable named vars: its ansible_host and the rest
    // inside would be dropped without a word. Refused, with where they go. (`hosts:` or `children:`
    // holding a mapping may be a host's own data, an /etc/hosts-like map: left as variables.)
    const nested = vars.values.vars;
    if (nested !== null && typeof nested === 'object' && !Array.isArray(nested)) {
      problems.add(`host '${entry}' has 'vars:' with variables under it: a host's variables go directly under its name (vars: is a group's key, and Ansible would read it as one variable named vars)`, vars.origins.get('vars')!.pos, `move what is under vars: one level up, e.g. \`${entry}: { ansible_host: 192.0.2.1 }\``);
    }
    addHostEntry(tree, group, entry, posOf(y, pair.key), vars, problems);
  }
}

function isNull(node: unknown): boolean {
  return isScalar(node) && node.value === null;
}
