// A YAML mapping of variables (inventory vars, group_vars/host_vars files, play vars) read into a layer.
import { isMap } from 'yaml';
import { booleanWordsIn } from './boolean-word.js';
import { refuseReservedVars, refuseUnknownAnsibleVars } from './ansible-vars.js';
import type { Problems } from './problems.js';
import { emptyLayer, type VarLayer } from './scope.js';
import { deref, keyText, posOf, toJS, type YamlFile } from './source.js';
import { shown } from './shown.js';
import { yaml11ReadingsIn } from './yaml11-readings.js';
import { mergedPairs } from './merged-pairs.js';
import { markKeyTypes } from './key-types.js';

export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Python 3's keywords (keyword.kwlist): not variable names where Ansible checks names (play vars). */
export const PYTHON_KEYWORDS: ReadonlySet<string> = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield']);

/** Reads `node` (a mapping or nothing) as variables; `what` names it in messages ("vars of group routers"). */
/** `allowed`: `ansible_*` names this place may hold besides those teqlctl honours everywhere. */
/**
 * `ansibleVars: 'per host'`: an inventory's host or group variables, whose ansible_* names are
 * checked for each host the run reaches (connection.ts), as the INI reader's are: a shared
 * inventory's switches (ansible_network_os) stopped a run of its routers, in YAML alone (a review).
 */
export function readVars(y: YamlFile, node: unknown, what: string, where: string, problems: Problems, allowed: readonly string[] = [], ansibleVars: 'here' | 'per host' = 'here'): VarLayer {
  const layer = emptyLayer();
  const n = deref(y, node);
  if (n === null || n === undefined || toJS(y, n) === null) return layer;
  if (!isMap(n)) {
    problems.add(`${what} must be a mapping of variable names to values`, posOf(y, n as never), 'write it as `name: value` lines');
    return layer;
  }
  // toJS resolves YAML merge keys (<<); the pairs give each variable its position.
  const values = toJS(y, n) as Record<string, unknown>;
  markKeyTypes(n, values, (x) => deref(y, x));
  const keyPos = new Map(n.items.map((p) => [keyText(p.key), posOf(y, p.key as never)]));
  // By the pairs the values were read from, those a merge key (<<) brought too (a review).
  const resolve = (x: unknown) => deref(y, x);
  const pairs = mergedPairs(n, resolve);
  const words = new Map(pairs.map(([k, v]) => [k, booleanWordsIn(v, '', new Map(), resolve)] as const));
  const readings = new Map(pairs.map(([k, v]) => [k, yaml11ReadingsIn(v, resolve)] as const));
  const mergePos = keyPos.get('<<') ?? posOf(y, n);
  for (const [name, value] of Object.entries(values)) {
    const pos = keyPos.get(name) ?? mergePos;
    if (!VAR_NAME.test(name)) {
      problems.add(`invalid variable name ${shown(name)} in ${what}`, pos, 'use letters, digits and _, not starting with a digit');
      continue;
    }
    layer.values[name] = value;
    const found = words.get(name);
    const yaml11 = readings.get(name)?.size ? readings.get(name) : undefined;
    layer.origins.set(name, { pos, where, ...(found && found.size > 0 ? { booleanWords: found } : {}), ...(yaml11 ? { yaml11 } : {}) });
  }
  if (ansibleVars === 'here') refuseUnknownAnsibleVars(layer, problems, allowed);
  // Reserved names here all the same, as the INI reader does: teqlctl's own values (groups,
  // inventory_hostname) replace them in a host's variables before its own check could see them.
  else refuseReservedVars(layer, problems);
  return layer;
}
