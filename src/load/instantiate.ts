// One task for one host: expand the loop, evaluate when, render templates, validate the arguments.
import { isMap, type Node } from 'yaml';
import type { SourcePos } from '../errors.js';
import type { RunBudget } from './budget.js';
import { describeValue, toText } from './expr-eval.js';
import { ExprError } from './expr-error.js';
import { MAX_TASK_INSTANCES } from './limits.js';
import { moduleSchemas } from './module-schemas.js';
import { short } from './shown.js';
import type { Problems } from './problems.js';
import type { VarScope } from './scope.js';
import { loopItemWords } from './boolean-word.js';
import { deepest, keyNode, posOf, toJS, type YamlFile } from './source.js';
import type { PersistShape, TaskShape } from './task-shape.js';
import { hasTemplateDeep, isPlainObject, renderDeep, renderString, templateVars, wholeTemplateExpr } from './template.js';
import { containsOmit, withoutOmit } from './omit.js';
import type { TaskCall, TaskInstance } from './types.js';
import { evalCondition } from './when.js';
import { argIssues, showPath } from './zod-issues.js';

/** A task instance plus what later checks need to point back at the playbook. */
export interface Placed {
  host: string;
  instance: TaskInstance;
  /** Position of the argument at `path`, and where its value came from (empty when written literally). */
  argAt(path: PropertyKey[]): { pos: SourcePos; from: string };
}

const NO_ITEM = Symbol('no loop');

/** The task's instances for one host; each takes one task from the run's budget, checked item by item. */
export function instantiate(y: YamlFile, task: TaskShape, host: string, scope: VarScope, problems: Problems, budget: RunBudget, playPersist?: PersistShape): Placed[] {
  if (budget.exhausted) return [];
  const items = loopItems(y, task, host, scope, problems);
  if (!items) return [];
  const loopOrigin = task.loop && { pos: posOf(y, task.loop.node), where: 'loop item', via: [...templateVars(task.loop.value)] };
  const out: Placed[] = [];
  const loopExpr = wholeTemplateExpr(task.loop?.value);
  for (const [index, item] of items.entries()) {
    if (!budget.takeTask()) {
      problems.add(`the run has more than ${MAX_TASK_INSTANCES} tasks (hosts × tasks × loop items)`, task.loop ? posOf(y, task.loop.node) : task.pos, 'use --limit, shorter loops, or split the playbook', host);
      return out;
    }
    if (budget.exhausted) return out;
    const words = loopOrigin && loopItemWords(task.loop!.node, loopExpr, index, (name) => scope.wordSource(name));
    const s = item === NO_ITEM || !loopOrigin ? scope : scope.with('item', item, words && words.size > 0 ? { ...loopOrigin, booleanWords: words } : loopOrigin);
    const placed = one(y, task, host, s, item, problems, task.persist ?? playPersist);
    if (placed) out.push(placed);
  }
  return out;
}

function loopItems(y: YamlFile, task: TaskShape, host: string, scope: VarScope, problems: Problems): unknown[] | undefined {
  if (!task.loop) return [NO_ITEM];
  const { node, value } = task.loop;
  const items = rendered(y, node, value, [], scope, host, problems, 'loop');
  if (items === FAILED) return undefined;
  if (!Array.isArray(items)) {
    const from = origins(scope, value);
    problems.add(`loop must give a list, but ${short(JSON.stringify(value) ?? String(value), 80)} gave ${describeValue(items)}${from ? ` (${from})` : ''}`, posOf(y, node), 'point loop: at a list variable, e.g. loop: "{{ teql_slaves }}" with teql_slaves: [eth1, eth2]', host);
    return undefined;
  }
  if (items.length > MAX_TASK_INSTANCES) {
    problems.add(`loop gives ${items.length} items; a run has at most ${MAX_TASK_INSTANCES} tasks`, posOf(y, node), 'use a shorter list', host);
    return undefined;
  }
  return items;
}

function one(y: YamlFile, task: TaskShape, host: string, scope: VarScope, item: unknown, problems: Problems, persistShape?: PersistShape): Placed | undefined {
  for (const cond of task.when?.conditions ?? []) {
    const result = condition(y, cond, host, scope, problems);
    if (result === undefined) return undefined;
    if (!result) return undefined;
  }
  const anchor = task.argsNode && isMap(task.argsNode) ? task.argsNode : task.moduleKey;
  let name: string = task.module;
  if (task.name) {
    const n = rendered(y, task.name.node, task.name.text, [], scope, host, problems, 'name');
    if (n === FAILED) return undefined;
    // An empty name (or one that renders empty: "{{ none }}") is no name: the module's, as Ansible shows it.
    name = textOf(y, task.name.node, n, host, problems) || task.module;
  }
  if (item !== NO_ITEM) name += ` (${compact(item)})`;

  const renderedArgs = rendered(y, anchor, task.args, [], scope, host, problems, task.module, true);
  if (renderedArgs === FAILED) return undefined;
  // Arguments that gave omit are left out, as Ansible removes them: the module's default applies.
  let args: unknown;
  try {
    args = withoutOmit(renderedArgs);
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    problems.add(`${task.module}: ${err.message}`, posOf(y, anchor), err.hint, host);
    return undefined;
  }
  const persist = persistShape ? persistOf(y, persistShape, scope, host, problems) : false;
  if (persist === FAILED) return undefined;
  const parsed = moduleSchemas[task.module].safeParse(args, { reportInput: true });
  const argAt = (path: PropertyKey[], atKey = false): { pos: SourcePos; from: string } => {
    const found = deepest(y, anchor, path);
    const key = atKey && found.depth === path.length - 1 ? keyNode(y, found.node, String(path[path.length - 1])) : undefined;
    const raw = toJS(y, found.node);
    return { pos: posOf(y, key ?? found.node), from: hasTemplateDeep(raw) && !key ? origins(scope, raw) : '' };
  };
  if (!parsed.success) {
    for (const issue of argIssues(task.module, parsed.error.issues)) {
      const { pos, from } = argAt(issue.path, issue.atKey);
      const hint = from ? [issue.hint, `the value comes from a variable: change it where it is set, or the template here`].filter(Boolean).join('; ') : issue.hint;
      problems.add(from ? `${issue.message} (${from})` : issue.message, pos, hint, from ? host : undefined);
    }
    return undefined;
  }
  // moduleSchemas[task.module] produced the arguments of exactly that module (checked in module-schemas.ts).
  const call = { module: task.module, args: parsed.data } as TaskCall;
  return { host, instance: { ...call, name, pos: task.pos, ...(persist ? { persist } : {}) }, argAt: (path) => argAt(path) };
}

/** `persist:` for this host: a template must give a boolean, as `when:` must. */
function persistOf(y: YamlFile, shape: PersistShape, scope: VarScope, host: string, problems: Problems): boolean | typeof FAILED {
  const v = rendered(y, shape.node, shape.value, [], scope, host, problems, 'persist');
  if (v === FAILED || typeof v === 'boolean') return v;
  // Where the value was set (an INI inventory's `teql_persist=true` is the string 'true').
  problems.add(`persist: ${JSON.stringify(shape.value)} gave ${describeValue(v)}, not true or false (${origins(scope, shape.value)})`, posOf(y, shape.node), "set the variable to true or false (YAML booleans, not strings; in an INI inventory, True or False), or convert it: {{ x | bool }}", host);
  return FAILED;
}

function condition(y: YamlFile, cond: { node: Node; value: string | boolean }, host: string, scope: VarScope, problems: Problems): boolean | undefined {
  try {
    return evalCondition(cond.value, scope);
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    problems.add(err.message, posOf(y, cond.node), err.hint, host);
    return undefined;
  }
}

const FAILED = Symbol('failed');

/**
 * Renders `value` (the JS form of `node`); a problem is reported at the innermost node and yields
 * FAILED. `allowOmit`: a task's arguments, where omit leaves an argument out; elsewhere it is refused.
 */
function rendered(y: YamlFile, node: Node, value: unknown, path: PropertyKey[], scope: VarScope, host: string, problems: Problems, label: string, allowOmit = false): unknown {
  if (Array.isArray(value) || isPlainObject(value)) {
    const entries = Object.entries(value).map(([k, v]) => [k, rendered(y, node, v, [...path, Array.isArray(value) ? Number(k) : k], scope, host, problems, label, allowOmit)] as const);
    if (entries.some(([, v]) => v === FAILED)) return FAILED;
    return Array.isArray(value) ? entries.map(([, v]) => v) : Object.fromEntries(entries);
  }
  if (typeof value !== 'string') return value;
  try {
    const v = renderString(value, scope);
    if (!allowOmit && containsOmit(v)) throw new ExprError(`omit leaves out only a task argument, not a task's ${label}`, `give ${label} a value, or choose between two tasks with when:`);
    return v;
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    problems.add(`${showPath(label, path)}: ${err.message} in "${short(value, 80)}"`, posOf(y, deepest(y, node, path).node), err.hint, host);
    return FAILED;
  }
}

function textOf(y: YamlFile, node: Node, v: unknown, host: string, problems: Problems): string | undefined {
  try {
    return toText(v);
  } catch (err) {
    if (!(err instanceof ExprError)) throw err;
    problems.add(`task name: ${err.message}`, posOf(y, node), err.hint, host);
    return undefined;
  }
}

/** "from {{ item.address }}: link_addresses (set at inventory.yml:9:11, host router_a in the inventory)" */
function origins(scope: VarScope, raw: unknown): string {
  const vars = scope.describe(templateVars(raw));
  const text = short(typeof raw === 'string' ? raw : JSON.stringify(raw), 80);
  return `from ${text}${vars.length ? `: ${vars.join('; ')}` : ''}`;
}

/** How a loop item shows in a task name: a scalar as is; a mapping by its dev, to or name, else its first value. */
export function compact(item: unknown): string {
  if (Array.isArray(item)) return item.map(compact).join(', ');
  if (isPlainObject(item)) {
    const key = ['dev', 'to', 'name'].find((k) => k in item && !isPlainObject(item[k])) ?? Object.keys(item)[0];
    return key === undefined ? '{}' : compact(item[key]);
  }
  return item === null || item === undefined ? 'None' : String(item);
}
