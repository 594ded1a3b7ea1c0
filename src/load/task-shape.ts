// One task read from the playbook, host-independent: which module, its raw arguments, loop and when.
// Mistakes that do not depend on a host (unknown module or argument, template syntax) are found here, once.
import { isMap, isSeq, type Node, type YAMLMap } from 'yaml';
import type { SourcePos } from '../errors.js';
import { ExprError } from './expr-error.js';
import { argNames, isModuleName, MODULE_NAMES } from './module-schemas.js';
import type { Problems } from './problems.js';
import { child, deepest, deref, keyText, posOf, toJS, type YamlFile } from './source.js';
import { mergedMap } from './mapping-pairs.js';
import { isTemplate, templateSyntaxErrors } from './template.js';
import type { ModuleName } from './types.js';
import { checkCondition } from './when.js';
import { shown } from './shown.js';

export interface TaskShape {
  pos: SourcePos;
  name?: { text: string; node: Node };
  module: ModuleName;
  moduleKey: Node;
  /** The value node of the module key; undefined when written as `ping:` with nothing. */
  argsNode: Node | undefined;
  args: Record<string, unknown>;
  loop?: { node: Node; value: unknown };
  when?: { node: Node; conditions: { node: Node; value: string | boolean }[] };
  persist?: PersistShape;
}

/** `persist:` as written: true/false, or a template rendered per host that must give true or false. */
export interface PersistShape {
  node: Node;
  value: boolean | string;
}

const TASK_KEYS = ['name', 'loop', 'when', 'persist'];
const KEYWORD_HINTS: Record<string, string> = {
  with_items: 'use loop: instead',
  with_list: 'use loop: instead',
  loop_control: 'the loop variable is always item',
  vars: 'set variables in the inventory (group_vars/, host_vars/) or in the play\'s vars',
  become: 'set ansible_become in the inventory',
  block: 'list the tasks directly under tasks:',
};
const ANSIBLE_TASK_KEYWORDS = new Set([
  ...Object.keys(KEYWORD_HINTS), 'register', 'tags', 'notify', 'ignore_errors', 'delegate_to', 'run_once', 'changed_when',
  'failed_when', 'rescue', 'always', 'include_tasks', 'import_tasks', 'args', 'environment', 'check_mode', 'until', 'retries',
  'delay', 'no_log', 'action', 'local_action', 'become_user', 'connection', 'listen', 'async', 'poll', 'throttle', 'timeout',
]);

export function readTask(y: YamlFile, raw: unknown, problems: Problems): TaskShape | undefined {
  const given = deref(y, raw) as Node | null;
  if (!isMap(given)) {
    problems.add('a task must be a mapping with one module key', posOf(y, given), 'write e.g. `- name: links up\n  link: { dev: eth1, state: up }`');
    return undefined;
  }
  const node = mergedMap(y, given, problems);
  const pos = posOf(y, node);
  let ok = true;
  const modules: { key: Node; name: ModuleName }[] = [];
  for (const pair of node.items) {
    const key = keyText(pair.key);
    const keyPos = posOf(y, pair.key as Node);
    if (TASK_KEYS.includes(key)) continue;
    if (isModuleName(key)) {
      modules.push({ key: pair.key as Node, name: key });
    } else if (ANSIBLE_TASK_KEYWORDS.has(key)) {
      problems.add(`unsupported task keyword ${shown(key)} (supported: ${TASK_KEYS.join(', ')} and one module)`, keyPos, KEYWORD_HINTS[key]);
      ok = false;
    } else {
      problems.add(`unknown module ${shown(key)} (modules: ${MODULE_NAMES.join(', ')})`, keyPos, 'check the spelling; teqlctl has its own modules, not Ansible\'s');
      ok = false;
    }
  }
  const first = modules[0];
  for (const extra of modules.slice(1)) {
    problems.add(`two modules in one task: '${first!.name}' and '${extra.name}'`, posOf(y, extra.key), 'a task runs exactly one module: split it into two tasks');
    ok = false;
  }
  if (!first) {
    if (ok) problems.add(`task has no module (modules: ${MODULE_NAMES.join(', ')})`, pos, 'add one module key, e.g. `link: { dev: eth1, state: up }`');
    return undefined;
  }

  const argsNode = child(y, node, first.name);
  const args = readArgs(y, first.name, argsNode, problems);
  const name = readName(y, child(y, node, 'name'), problems);
  const loop = readLoop(y, child(y, node, 'loop'), problems);
  const when = readWhen(y, child(y, node, 'when'), problems);
  const persist = readPersist(y, child(y, node, 'persist'), problems);
  if (!args || name === null || loop === null || when === null || persist === null) return undefined;
  return ok ? { pos, name, module: first.name, moduleKey: first.key, argsNode, args, loop, when, ...(persist ? { persist } : {}) } : undefined;
}

function readArgs(y: YamlFile, module: ModuleName, node: Node | undefined, problems: Problems): Record<string, unknown> | undefined {
  const value = toJS(y, node);
  if (value === null) return {};
  if (!isMap(node)) {
    problems.add(`arguments of ${module} must be a mapping`, posOf(y, node), `write e.g. \`${module}: { ${argNames(module)[0]}: ... }\` (the key=value form is not supported)`);
    return undefined;
  }
  let ok = true;
  const known = argNames(module);
  for (const pair of node.items) {
    const key = keyText(pair.key);
    if (!known.includes(key) && key !== '<<') {
      problems.add(`unknown argument ${shown(key)} for ${module}`, posOf(y, pair.key as Node), `${module} takes: ${known.join(', ')}`);
      ok = false;
    }
  }
  ok = checkTemplates(y, node, value, problems) && ok;
  return ok ? (value as Record<string, unknown>) : undefined;
}

/** undefined: no name; null: a broken one (reported). */
function readName(y: YamlFile, node: Node | undefined, problems: Problems): TaskShape['name'] | null {
  if (!node) return undefined;
  const value = toJS(y, node);
  if (typeof value === 'object' && value !== null) {
    problems.add('a task name must be text', posOf(y, node));
    return null;
  }
  const text = value === null ? '' : String(value);
  return checkTemplates(y, node, text, problems) ? { text, node } : null;
}

function readLoop(y: YamlFile, node: Node | undefined, problems: Problems): TaskShape['loop'] | null {
  if (!node) return undefined;
  const value = toJS(y, node);
  if (!Array.isArray(value) && !(typeof value === 'string' && isTemplate(value))) {
    problems.add(`loop must be a list, or a template such as "{{ teql_slaves }}" that gives one; got ${JSON.stringify(value)}`, posOf(y, node), 'write loop: [a, b] or loop: "{{ my_list }}"');
    return null;
  }
  return checkTemplates(y, node, value, problems) ? { node, value } : null;
}

function readWhen(y: YamlFile, node: Node | undefined, problems: Problems): TaskShape['when'] | null {
  if (!node) return undefined;
  const items = isSeq(node) ? node.items.map((n) => deref(y, n) as Node) : [node];
  const conditions: { node: Node; value: string | boolean }[] = [];
  let ok = true;
  for (const item of items) {
    const value = toJS(y, item);
    try {
      checkCondition(value);
      conditions.push({ node: item, value });
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      problems.add(err.message, posOf(y, item), err.hint);
      ok = false;
    }
  }
  return ok ? { node, conditions } : null;
}

/** Reports template syntax errors inside `value` (the JS form of `node`) at the innermost node. */
function checkTemplates(y: YamlFile, node: Node, value: unknown, problems: Problems): boolean {
  const errors = templateSyntaxErrors(value);
  for (const { path, error } of errors) {
    problems.add(`bad template: ${error.message}`, posOf(y, deepest(y, node, path).node), error.hint);
  }
  return errors.length === 0;
}

/** undefined: not written; null: a broken one (reported). */
export function readPersist(y: YamlFile, node: Node | undefined, problems: Problems): PersistShape | undefined | null {
  if (!node) return undefined;
  const value = toJS(y, node);
  if (typeof value === 'boolean') return { node, value };
  if (typeof value === 'string' && isTemplate(value)) return checkTemplates(y, node, value, problems) ? { node, value } : null;
  problems.add(`persist: must be true or false (or a template that gives one), not ${JSON.stringify(value)}`, posOf(y, node), 'write persist: true to write the boot configuration once the run is verified');
  return null;
}
