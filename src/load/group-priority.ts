// Ansible's ansible_group_priority: among a host's groups of the same depth, the one with the
// higher priority is merged later, so its variables win (the default is 1; then by name). Ansible
// reads it only among a group's variables in the inventory itself, where it sets the priority and
// is not kept as a variable; in a group_vars/ file it changes nothing (those files are read after
// the groups are ordered), so teqlctl refuses it there (ansible-vars.ts) rather than ignore it.
import type { InventoryTree } from './inventory-tree.js';
import type { Problems } from './problems.js';
import { shown } from './shown.js';

export const GROUP_PRIORITY = 'ansible_group_priority';
const DEFAULT_PRIORITY = 1;

/**
 * The priority as Ansible's int() takes it: a number (a fraction cut toward zero, 1.9 -> 1), a
 * boolean (True -> 1), or a string of digits with a sign, spaces around and _ between digits
 * ("10", " -3 ", "1_0"); else undefined.
 */
function wholeNumber(value: unknown): number | undefined {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return Number.isFinite(value) && Math.abs(value) < Number.MAX_SAFE_INTEGER ? Math.trunc(value) : undefined;
  if (typeof value === 'string' && /^\s*[+-]?\d+(?:_\d+)*\s*$/.test(value)) {
    const n = Number(value.trim().replace(/_/g, ''));
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/**
 * Takes every group's ansible_group_priority out of its variables (as Ansible does) and returns the
 * priorities; a value that is not a whole number is a problem at its place.
 */
export function takeGroupPriorities(tree: InventoryTree, problems: Problems): Map<string, number> {
  const priorities = new Map<string, number>();
  for (const group of tree.groups.values()) {
    const origin = group.vars.origins.get(GROUP_PRIORITY);
    if (origin === undefined) continue;
    const value = group.vars.values[GROUP_PRIORITY];
    const n = wholeNumber(value);
    if (n === undefined) {
      problems.add(`${GROUP_PRIORITY} of group '${group.name}' must be a whole number, not ${typeof value === 'string' ? shown(value) : shown(JSON.stringify(value) ?? String(value)).replace(/^'|'$/g, '')}`, origin.pos, `write e.g. ${GROUP_PRIORITY}: 10 (the default is ${DEFAULT_PRIORITY}; among groups of the same depth the higher priority wins)`);
    } else {
      priorities.set(group.name, n);
    }
    delete group.vars.values[GROUP_PRIORITY];
    group.vars.origins.delete(GROUP_PRIORITY);
  }
  return priorities;
}

/** Ansible's order of a host's groups, lowest precedence first: depth, then priority, then name by code point. */
export function groupOrder(depth: ReadonlyMap<string, number>, priority: ReadonlyMap<string, number>): (a: string, b: string) => number {
  const p = (g: string) => priority.get(g) ?? DEFAULT_PRIORITY;
  return (a, b) => (depth.get(a) ?? 0) - (depth.get(b) ?? 0) || p(a) - p(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** all is 0; a child is one deeper than its deepest parent. Deeper groups win, as in Ansible. */
export function groupDepths(tree: InventoryTree): Map<string, number> {
  // A group's depth is one more than its deepest parent's (a parent on the path, a cycle that
  // is refused elsewhere, does not count). Walked with a stack of its own: a chain of thousands
  // of groups is no crash.
  const depth = new Map<string, number>();
  const onPath = new Set<string>();
  const parentsOf = (g: string) => [...(tree.groups.get(g)?.parents ?? [])];
  for (const start of tree.groups.keys()) {
    const stack: Array<{ g: string; opened: boolean }> = [{ g: start, opened: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (depth.has(top.g)) {
        stack.pop();
        continue;
      }
      if (!top.opened) {
        top.opened = true;
        onPath.add(top.g);
        for (const p of parentsOf(top.g)) if (!depth.has(p) && !onPath.has(p)) stack.push({ g: p, opened: false });
        continue;
      }
      const known = parentsOf(top.g).flatMap((p) => (depth.has(p) ? [depth.get(p)!] : []));
      depth.set(top.g, known.length === 0 ? 0 : 1 + known.reduce((m, d) => Math.max(m, d), 0));
      onPath.delete(top.g);
      stack.pop();
    }
  }
  return depth;
}
