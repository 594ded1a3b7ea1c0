// The groups and hosts of every inventory source, merged into one tree as Ansible's InventoryData
// does: a later source adds hosts, groups, children and variables (a variable set twice: later wins).
import { isIPv6 } from 'node:net';
import type { SourcePos } from '../errors.js';
import { expandHostEntry } from './host-range.js';
import { MAX_HOSTS, MAX_NAME_CHARS } from './limits.js';
import type { Problems } from './problems.js';
import { emptyLayer, formatPos, mergeLayers, type VarLayer } from './scope.js';
import { codePoint, shown } from './shown.js';

export interface GroupNode {
  name: string;
  pos: SourcePos;
  parents: Set<string>;
  children: string[];
  /** Where each child was listed under this group: a loop of groups is said at the entry that closes it. */
  childAt: Map<string, SourcePos>;
  /** Hosts listed directly under this group. */
  hosts: string[];
  vars: VarLayer;
}

export interface HostNode {
  name: string;
  /** Where the host was first listed; its folder is the host's inventory_dir. */
  pos: SourcePos;
  /** Host vars written in the inventory (several definitions of one host merge, later wins). */
  vars: VarLayer;
  /** Groups that list the host directly. */
  groups: Set<string>;
  /** The port its first entry wrote (`h7:2222`): Ansible's, whatever later entries write. */
  entryPort?: number;
}

export interface InventoryTree {
  groups: Map<string, GroupNode>;
  hosts: Map<string, HostNode>;
}

// Characters that mean something in host patterns, or Ansible host ranges (web[01:10]); invisible ones.
// `/` too: Ansible reads group_vars/a/b.yml for a group "a/b" (a path), teqlctl read nothing for it
// and said group_vars/a names no group (a review): refused, as a name that is a path.
const BAD_NAME = /[\s,:!&*?[\]/]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

export function newTree(): InventoryTree {
  return { groups: new Map(), hosts: new Map() };
}

/**
 * The group `name`, made at `pos` if it is new; `parent` (if any) becomes one of its parents, the
 * child listed under it at `listedAt`.
 */
export function groupOf(tree: InventoryTree, name: string, pos: SourcePos, parent?: string, listedAt: SourcePos = pos): GroupNode {
  let group = tree.groups.get(name);
  if (!group) {
    group = { name, pos, parents: new Set(), children: [], childAt: new Map(), hosts: [], vars: emptyLayer() };
    tree.groups.set(name, group);
  }
  if (parent !== undefined) {
    group.parents.add(parent);
    const p = tree.groups.get(parent);
    if (p && !p.children.includes(name)) {
      p.children.push(name);
      p.childAt.set(name, listedAt);
    }
  }
  return group;
}

/**
 * Adds the hosts of one inventory entry (`r[01:20]`, `host:2222`) to `group`, each with `vars`
 * (a port written as `host:2222` is ansible_port, under the entry's own variables). Returns the names.
 */
export function addHostEntry(tree: InventoryTree, group: string, entry: string, pos: SourcePos, vars: VarLayer, problems: Problems): string[] {
  const room = MAX_HOSTS + 1 - tree.hosts.size;
  if (room <= 0) return []; // loadInventory reports the count once
  const expanded = expandHostEntry(entry, room);
  if ('error' in expanded) {
    problems.add(expanded.error, pos, expanded.hint);
    return [];
  }
  const port: VarLayer = emptyLayer();
  if (expanded.port !== undefined) {
    port.values.ansible_port = expanded.port;
    port.origins.set('ansible_port', { pos, where: `host ${entry} in the inventory` });
  }
  const names = expanded.hosts.filter((name) => validName(name, 'host', pos, problems));
  for (const name of names) {
    const known = tree.hosts.get(name);
    // Ansible takes a host's port from the entry that first lists it (InventoryData.add_host) and
    // drops the port of a later one without a word: a different one is refused here, not dropped.
    // The first entry's port, or the ansible_port the host has by now or sets on this very line
    // (`h7:2201 ansible_port=2201`), is no difference: ignored, it changes nothing. (Compared with ansible_port alone, `h7:2222` again was refused once a variable
    // had changed it, or would have undone that variable.)
    const same = (v: unknown) => v !== undefined && String(v) === String(expanded.port);
    const laterPort = known !== undefined && expanded.port !== undefined && known.entryPort !== expanded.port && !same(known.vars.values.ansible_port) && !same(vars.values.ansible_port);
    if (laterPort) {
      problems.add(`host ${shown(name)} is given port ${expanded.port} here, after its first entry at ${formatPos(known.pos)}: Ansible takes a host's port from its first entry only, and would ignore this one`, pos, 'write the port on the host\'s first entry, or set ansible_port in its variables');
    }
    // A later entry's port is never applied again (it would undo an ansible_port set in between).
    const layer = mergeLayers([known ? emptyLayer() : port, vars]);
    // An INI file's hosts above its first section are ungrouped's as they come, as in Ansible (whose
    // ungrouped group exists from the start): not after the ungrouped hosts a later source names.
    const g = tree.groups.get(group) ?? (group === 'ungrouped' ? groupOf(tree, 'ungrouped', pos) : undefined);
    if (g && !known?.groups.has(group)) g.hosts.push(name);
    if (known) {
      known.vars = mergeLayers([known.vars, layer]);
      known.groups.add(group);
    } else {
      tree.hosts.set(name, { name, pos, vars: layer, groups: new Set([group]), ...(expanded.port !== undefined ? { entryPort: expanded.port } : {}) });
    }
  }
  return names;
}

export function validName(name: string, what: string, pos: SourcePos, problems: Problems): boolean {
  const invisible = INVISIBLE.exec(name)?.[0];
  // An IPv6 address is a host name as in Ansible: its colons are not a pattern's (matchPattern).
  const v6 = what === 'host' && isIPv6(name);
  if (name === '' || (BAD_NAME.test(name) && !v6) || invisible !== undefined || name.length > MAX_NAME_CHARS) {
    const hint = invisible !== undefined ? `the name holds an invisible character (${codePoint(invisible)}); retype it`
      : name.length > MAX_NAME_CHARS ? `names are at most ${MAX_NAME_CHARS} characters`
      : `names may not contain whitespace or , : ! & * ? [ ] (they mean something in host patterns), nor / (group_vars/ and host_vars/ would read it as a folder)${what === 'host' ? '; an IPv6 address may be a host name as it is (2001:db8::1, or [2001:db8::1]:2222 with a port), or give the host a name and set ansible_host' : ''}`;
    problems.add(`invalid ${what} name ${shown(name)}`, pos, hint);
    return false;
  }
  return true;
}

/**
 * After the last source, as Ansible's reconcile_inventory: a group without parents is a child of
 * `all`; `ungrouped` holds the hosts that are in no other group (and only those). Then the checks
 * that need the whole tree. `start` stands for the inventory where it has no `all` group to point at.
 */
export function finishTree(tree: InventoryTree, start: SourcePos, problems: Problems): void {
  const all = groupOf(tree, 'all', start);
  const ungrouped = groupOf(tree, 'ungrouped', all.pos);
  for (const g of tree.groups.values()) {
    if (g.name !== 'all' && g.parents.size === 0) groupOf(tree, g.name, g.pos, 'all');
  }
  refuseUngroupedRelations(tree, problems);
  // Ansible makes `ungrouped` all's first child when it starts: groups['all'] lists its hosts first.
  all.children = ['ungrouped', ...all.children.filter((c) => c !== 'ungrouped')];
  // An INI file's hosts above its first section are ungrouped before that group exists: listed here.
  const listed = new Set(ungrouped.hosts);
  for (const host of tree.hosts.values()) {
    const others = [...host.groups].filter((g) => g !== 'all' && g !== 'ungrouped');
    if (others.length === 0) {
      host.groups.add('ungrouped');
      if (!listed.has(host.name)) ungrouped.hosts.push(host.name);
    } else {
      host.groups.delete('ungrouped');
      const at = ungrouped.hosts.indexOf(host.name);
      if (at >= 0) ungrouped.hosts.splice(at, 1);
    }
  }
  checkCycles(tree, problems);
  // Only when nothing else is wrong: a broken hosts: entry is the likelier cause.
  if (tree.hosts.size === 0 && problems.count === 0) problems.add('the inventory lists no hosts', all.pos, 'add hosts under all.hosts or all.children.<group>.hosts (YAML), or under a [group] section (INI)');
  for (const name of tree.groups.keys()) {
    const host = tree.hosts.get(name);
    if (host) problems.add(`'${name}' is both a group and a host`, host.pos, 'rename one of them; host patterns could not tell them apart');
  }
}

/**
 * Ansible's reconcile_inventory takes `ungrouped` out of the groups of a host that is in another
 * group: made a child of a group, ungrouped's hosts end in no group and out of the inventory; given
 * children, a host listed in both loses ungrouped's variables (ansible-inventory 2.14). Refused.
 */
function refuseUngroupedRelations(tree: InventoryTree, problems: Problems): void {
  const ungrouped = tree.groups.get('ungrouped')!;
  for (const p of ungrouped.parents) {
    if (p === 'all') continue;
    const at = tree.groups.get(p)?.childAt.get('ungrouped');
    problems.add(`'ungrouped' is listed as a child of group '${p}': Ansible then drops its hosts from the inventory (they end in no group)`, at ?? ungrouped.pos, `list those hosts under '${p}' itself, or in a group of their own`);
  }
  for (const c of ungrouped.children) {
    problems.add(`'ungrouped' is given the child group '${c}': Ansible then takes ungrouped (and its variables) from a host listed in both`, ungrouped.childAt.get(c) ?? ungrouped.pos, `make '${c}' a child of another group, or of all`);
  }
}

/**
 * Depth-first with a colour per group: each group and edge is walked once (a lattice of groups has
 * exponentially many paths). Every group is a start, since a cycle needs no path from `all`. The
 * first cycle is reported; the others often share its edges.
 */
function checkCycles(tree: InventoryTree, problems: Problems): void {
  const done = new Set<string>();
  for (const root of ['all', ...tree.groups.keys()]) {
    if (done.has(root)) continue;
    const path: string[] = [root];
    const onPath = new Set<string>(path);
    // An explicit stack: the group chain may be as long as there are groups.
    const stack: { name: string; next: number }[] = [{ name: root, next: 0 }];
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
        // At the entry that closes the loop (the group's own declaration may be far from it).
        const closing = tree.groups.get(top.name)?.childAt.get(c);
        problems.add(`group '${c}' is its own ancestor: ${[...path, c].join(' -> ')}`, closing ?? tree.groups.get(c)?.pos, `remove one of the children entries of the loop, as this one ('${c}' listed as a child of '${top.name}')`);
        return;
      } else if (!done.has(c)) {
        stack.push({ name: c, next: 0 });
        path.push(c);
        onPath.add(c);
      }
    }
  }
}
