// A variable set and read by nothing is a setting silently ignored: `teql_persit: true` wrote no
// boot files, `-e lan_adress=...` dropped the LAN ping (a review). What reads a variable: teqlctl
// itself (the bundle's sources, the ansible_* it honours, what it derives), and the templates and
// `when:` conditions of this playbook and of the variables' own values. A name read by nothing
// that is one or two letters from a name this run reads (or its start) is a typo: refused when it
// is teqlctl's own (teql_*), else a note naming the one meant. Any other name read by nothing is a
// note when the run's own command line or the play set it, or it is teql_*; another inventory
// variable may serve other playbooks, and passes.
import type { Problems } from './problems.js';
import type { VarLayer } from './scope.js';
import { BUILT_IN, HONOURED_ANSIBLE_VARS, noOpWhy, PASSWORD_VARS, TEQLCTL_VARS } from './ansible-vars.js';
import { BUNDLE_SOURCES } from './play-bundle-vars.js';

// A name, not an attribute (`item.peer_address` reads item) nor part of a number.
const IDENTIFIER = /(?<![.\w])[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Every identifier inside the `{{ }}` of a value, or in a `when:` condition: over-counted (filters,
 * keywords), never missed. `seen`: containers already read outside a condition. Every host's layer
 * holds its groups' values, the same objects: read once, not once per host (~80 ms at 500 hosts).
 */
function readNames(value: unknown, out: Set<string>, isCondition = false, seen = new WeakSet<object>()): void {
  if (typeof value === 'string') {
    if (!isCondition && !value.includes('{{')) return;
    const parts = isCondition ? [value] : [...value.matchAll(/\{\{([\s\S]*?)\}\}/g)].map((m) => m[1]!);
    for (const part of parts) for (const m of part.matchAll(IDENTIFIER)) out.add(m[0]);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  // Read under a condition, a container's strings are conditions themselves: not the same reading.
  if (!isCondition) {
    if (seen.has(value)) return;
    seen.add(value);
  }
  if (Array.isArray(value)) {
    for (const v of value) readNames(v, out, isCondition, seen);
  } else {
    for (const [k, v] of Object.entries(value)) readNames(v, out, k === 'when', seen);
  }
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * `teql_tcp_reorder` for `teql_tcp_reordering`: the name set is a known one with its end left off.
 * Not the other way: `teql_device_mtu` beside `teql_device` is a name of its own (another playbook's).
 */
function cutShort(known: string, set: string): boolean {
  return set.length >= 8 && known.startsWith(set) && known.length - set.length <= 4;
}

/**
 * What the playbooks teqlctl ships read (playbooks/*.yml; a unit test keeps the list true): an
 * inventory serves all of them, so a name one of them reads is never a stray in another's run.
 */
export const SHIPPED_PLAYBOOK_VARS = ['lan_address', 'link_addresses', 'peer_addresses', 'peer_lan_address', 'peer_network', 'peer_teql_address', 'teql_address', 'teql_device', 'teql_persist', 'teql_slaves', 'teql_tcp_reordering'];

/** Play keywords whose inventory variable is another name: set as variables, they are ignored. */
const KEYWORD_VARIABLES: Readonly<Record<string, string>> = {
  remote_user: 'ansible_user',
  become: 'ansible_become',
  become_user: 'ansible_become_user',
  become_method: 'ansible_become_method',
  become_flags: 'ansible_become_flags',
  connection: 'ansible_connection',
  port: 'ansible_port',
  timeout: 'ansible_timeout',
};

export interface SetVars {
  /** The playbook as parsed (its tasks' templates and conditions). */
  playbook: unknown;
  /** Each host's inventory variables (group_vars and host_vars merged in). */
  inventory: Iterable<VarLayer>;
  /** Each play's `vars:`. */
  plays: readonly VarLayer[];
  /** `-e`. */
  extra: VarLayer;
  /** What teqlctl derives for each host (bundles, peer_*). */
  derived: Iterable<VarLayer>;
}

export function checkUnreadVars(set: SetVars, problems: Problems, notes: string[]): void {
  const derived = [...set.derived];
  const layers = [...set.inventory, ...set.plays, set.extra];
  const loader = [...BUNDLE_SOURCES, ...TEQLCTL_VARS, ...HONOURED_ANSIBLE_VARS, ...PASSWORD_VARS, ...SHIPPED_PLAYBOOK_VARS];
  const byPlaybook = new Set<string>();
  readNames(set.playbook, byPlaybook);
  const derivedNames = new Set(derived.flatMap((l) => [...l.origins.keys()]));
  const read = new Set<string>([...loader, ...byPlaybook, ...derivedNames]);
  const seen = new WeakSet<object>();
  for (const layer of [...layers, ...derived]) readNames(layer.values, read, false, seen);
  // What a typo was meant as: a name this run surely reads. An inventory serves other playbooks
  // too, so its names are held against this playbook's and teqlctl's own, not what teqlctl derives.
  const meant = (own: boolean) => [...loader, ...byPlaybook, ...(own ? derivedNames : [])].filter((n) => /^[a-z]/.test(n) && n.includes('_'));
  const noted = new Set<string>();
  for (const layer of layers) {
    const ownRun = layer === set.extra || set.plays.includes(layer);
    for (const [name, origin] of layer.origins) {
      // Only for how Ansible runs its modules: noted once per place (ansible-vars.ts, noOpWhy).
      const noOp = noOpWhy(name);
      const at = `${name}\u0000${origin.pos.file}:${origin.pos.line}`;
      if (noOp !== undefined && !noted.has(at)) {
        noted.add(at);
        notes.push(`${name} (${origin.where}) changes nothing here: ${noOp}`);
      }
      // ansible_* and teqlctl_* are refused or honoured by name (ansible-vars.ts); magic ones are teqlctl's own.
      if (read.has(name) || name.startsWith('ansible_') || name.startsWith('teqlctl_') || origin.where === BUILT_IN) continue;
      // A play keyword set as a variable (copied from a play into group_vars): Ansible reads it as
      // a variable of that name, which no connection uses (a review's fuzzing). Said with the one meant.
      // Its own keys only: `constructor` or `toString` found Object's methods (a review's fuzzing).
      const keyword = Object.hasOwn(KEYWORD_VARIABLES, name) ? KEYWORD_VARIABLES[name] : undefined;
      if (keyword !== undefined && !ownRun) {
        const key = `${name}\u0000${origin.pos.file}:${origin.pos.line}`;
        if (!noted.has(key)) {
          noted.add(key);
          notes.push(`${name} (${origin.where}) is a play keyword, not an inventory variable: set there, it changes nothing (did you mean ${keyword}?)`);
        }
        continue;
      }
      // Not a known name with something added (teql_peer2): a name of its own.
      const near = [...new Set(meant(ownRun))].filter((k) => k !== name && ((!name.startsWith(k) && distance(k, name) <= (name.length < 8 ? 1 : 2)) || cutShort(k, name)));
      const key = `${name}\u0000${origin.pos.file}:${origin.pos.line}`;
      if (near.length > 0 && name.startsWith('teql_')) {
        problems.add(`${name} is read by nothing in this run (it would be ignored)`, origin.pos, `did you mean ${near.slice(0, 3).join(' or ')}?`);
      } else if ((near.length > 0 || ownRun || name.startsWith('teql_')) && !noted.has(key)) {
        noted.add(key);
        notes.push(`${name} (${origin.where}) is read by nothing in this run: it changes nothing${near.length > 0 ? ` (did you mean ${near.slice(0, 3).join(' or ')}?)` : ''}`);
      }
    }
  }
}

/**
 * `vars:` holding variables where variables stand at the top (a group_vars or host_vars file, a
 * group's `vars:`, an INI host's `vars=`): Ansible reads it as one variable named vars (a reserved
 * name, with a warning), so an ansible_user or ansible_become under it was dropped without a word
 * (a review's fuzzing: group_vars files copied from an inventory's layout). Refused where it is set,
 * for the hosts the run reaches only, as a host's other problems (a shared inventory's others do
 * not stop the run: Ansible only warns).
 */
export function refuseNestedVars(layer: VarLayer, problems: Problems): void {
  const nested = layer.values.vars;
  const origin = layer.origins.get('vars');
  if (!origin || origin.where === BUILT_IN || nested === null || typeof nested !== 'object' || Array.isArray(nested)) return;
  // A YAML host's own `vars:` is said where it is read, in its words (inventory-yaml.ts).
  if (problems.hasAt(origin.pos)) return;
  const names = Object.keys(nested);
  if (names.length === 0) return;
  problems.add(
    `'vars:' (${origin.where}) holds variables under it (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', ...' : ''}): Ansible reads it as one variable named vars, a reserved name, and what is under it would be ignored`,
    origin.pos,
    'move what is under vars: one level up: in a group_vars or host_vars file and under a group\'s vars:, the variables stand on their own',
  );
}
