// Evaluates a parsed expression against the variables of one host. Undefined is an error unless
// `default` or `is defined` handles it (Ansible's strict undefined).
import { ExprError } from './expr-error.js';
import { JINJA_GLOBALS, refusePythonAttribute } from './python-attrs.js';
import type { Expr } from './expr-parse.js';
import { show } from './expr-show.js';
import { shown } from './shown.js';
import { OMIT } from './omit.js';
import { readTypedKey } from './key-types.js';
import { refuseBooleanWord, type BooleanWord } from './boolean-word.js';

export type Lookup = { found: true; value: unknown } | { found: false };

export interface Scope {
  /** `allowOmit`: the value may hold omit (an expression's operand); else a value holding it is refused. */
  lookup(name: string, allowOmit?: boolean): Lookup;
  /** Charges evaluation steps to the run's budget (throws ExprError past it); absent: unbounded. */
  spend?(steps: number): void;
  /** A variable's value as set, its templates not rendered; undefined when it is not set. */
  rawValue?(name: string): { value: unknown } | undefined;
  /** The value at `path` of the variable was written as a plain yes/no/on/off (boolean-word.ts). */
  booleanWord?(name: string, path: string): BooleanWord | undefined;
}

/** A value that is not there, carried until something (default, is defined) decides what it means. */
class Undefined {
  constructor(
    readonly what: string,
    readonly why: string,
  ) {}
}

/**
 * Ansible's magic variables that it defines in every play (VariableManager._get_magic_variables,
 * load_options_vars). Others are defined only in a role, a loop or with --limit (role_name,
 * ansible_loop, ansible_limit), so `is defined` and default() mean there what they mean here.
 */
const ALWAYS_DEFINED = new Set(['omit', 'playbook_dir', 'hostvars', 'inventory_dir', 'inventory_file', 'play_hosts', 'ansible_play_hosts', 'ansible_play_hosts_all', 'ansible_play_batch', 'ansible_play_name', 'ansible_play_role_names', 'ansible_role_names', 'role_names', 'ansible_dependent_role_names', 'ansible_check_mode', 'ansible_diff_mode', 'ansible_forks', 'ansible_inventory_sources', 'ansible_run_tags', 'ansible_skip_tags', 'ansible_verbosity', 'ansible_version', 'ansible_config_file', 'ansible_playbook_python', 'ansible_search_path']);

const MAGIC_HINTS: Record<string, string> = {
  ansible_check_mode: "teqlctl's --check changes nothing and runs no task: a task need not test it",
};

const UNSUPPORTED_MAGIC: Record<string, string> = {
  hostvars: 'hostvars is not supported; give each host the values it needs in its own host vars',
  ansible_facts: 'facts are not gathered into variables; teqlctl reads the router state itself',
};

export function describeValue(v: unknown): string {
  if (v === OMIT) return 'omit (which only leaves a task argument out)';
  if (v === null || v === undefined) return 'none';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${shown(v)}`;
  // YAML reads .nan and .inf as floats: "the number NaN" read as if NaN were a number to give.
  if (typeof v === 'number' && Number.isNaN(v)) return "not-a-number (YAML's .nan)";
  if (typeof v === 'number' && !Number.isFinite(v)) return `${v < 0 ? 'minus ' : ''}infinity (YAML's ${v < 0 ? '-' : ''}.inf)`;
  return `the ${typeof v} ${String(v)}`;
}

function undefinedError(u: Undefined): ExprError {
  const root = /^[A-Za-z_][A-Za-z0-9_]*/.exec(u.what)?.[0] ?? u.what;
  const hint =
    UNSUPPORTED_MAGIC[root] ??
    (root === 'item' ? 'item is the current element of the task\'s loop; check the loop\'s list and the task\'s loop:' : undefined) ??
    `define ${root} in the inventory (host or group vars, host_vars/, group_vars/) or in the play's vars, ` +
      `or give a fallback: {{ ${u.what} | default(...) }}`;
  return new ExprError(`undefined variable: ${u.why}`, hint);
}

/** An operand's value: defined, and not omit (Ansible's placeholder would be compared, or printed, as text). */
function defined(v: unknown): unknown {
  if (v instanceof Undefined) throw undefinedError(v);
  if (v === OMIT) throw new ExprError('omit is used as a value here: it only leaves out a task argument whose whole value it is', 'write the argument as "{{ x | default(omit) }}" and nothing else, or give a value');
  return v;
}

function asBool(v: unknown, where: string): boolean {
  if (typeof v === 'boolean') return v;
  throw new ExprError(`${where} needs true or false, got ${describeValue(v)}`, 'compare explicitly (x == \'yes\') or convert with | bool');
}

/** Python's ==, as Ansible's Jinja compares: True == 1, 1.0 == True, mappings whatever their key order. */
function equal(a: unknown, b: unknown): boolean {
  const numeric = (v: unknown) => typeof v === 'number' || typeof v === 'boolean';
  if (numeric(a) && numeric(b)) return Number(a) === Number(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  const [ka, kb] = [Object.keys(a), Object.keys(b)];
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function toInt(v: unknown): number {
  // A float past 2^53: Python's int() gives its exact digits (2**60: 1152921504606846976), JavaScript
  // its shortest form (1152921504606847000; 1e22: 1e+22).
  if (typeof v === 'number' && Number.isFinite(v)) {
    if (Number.isSafeInteger(Math.trunc(v))) return Math.trunc(v);
    throw new ExprError(`| int cannot turn ${describeValue(v)} into an integer exactly: it is past 2^53`, 'keep it as text');
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && /^\s*[+-]?\d+(\.\d+)?\s*$/.test(v)) {
    const n = Math.trunc(Number(v));
    if (Number.isSafeInteger(n)) return n;
    throw new ExprError(`| int cannot turn ${describeValue(v)} into an integer exactly: it is past 2^53`, 'keep it as text');
  }
  throw new ExprError(`| int cannot turn ${describeValue(v)} into an integer`, 'pass a number or a string of digits');
}

export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v === 'string') {
    // Not trimmed, as Ansible's to_bool: ' yes' is false there, refused here (not true).
    const s = v.toLowerCase();
    if (['yes', 'on', 'true', '1'].includes(s)) return true;
    if (['no', 'off', 'false', '0', ''].includes(s)) return false;
  }
  throw new ExprError(`| bool cannot turn ${describeValue(v)} into true or false`, 'use yes/no, on/off, true/false or 1/0');
}

/** How a value reads inside text, as Ansible prints it: Jinja's str(), and none as nothing (its finalize). */
export function textOf(v: unknown): string {
  return v === null || v === undefined ? '' : toText(v);
}

/** Jinja's str(): True, False, None (the `string` filter). */
export function toText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (v === OMIT) defined(v);
  throw new ExprError(`cannot insert ${describeValue(v)} into text`, 'use a list or mapping as the whole value ("{{ x }}"), or pick one element ({{ x[0] }}, {{ x.key }})');
}

function falsy(v: unknown): boolean {
  return v === false || v === 0 || v === '' || v === null || (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && v !== null && Object.keys(v).length === 0);
}

function step(target: unknown, key: string | number, e: Expr): unknown {
  const what = show(e);
  if (target instanceof Undefined) return new Undefined(what, target.why);
  if (target === OMIT) defined(target);
  if (typeof target === 'string' && typeof key === 'number' && Number.isInteger(key)) {
    // Python indexes a string by code point: 'eth1'[0] is 'e', [-1] is '1'.
    const chars = Array.from(target);
    const i = key < 0 ? chars.length + key : key;
    return i >= 0 && i < chars.length ? chars[i] : new Undefined(what, `${show(leftOf(e))} has ${chars.length} characters, no index ${key}`);
  }
  const hasKey = isMapping(target) && Object.hasOwn(target, String(key));
  // Jinja finds a Python method before a key (item.values), or when there is no key (s['upper']).
  refusePythonAttribute(target, key, e.kind === 'attr', what, show(leftOf(e)), hasKey);
  const typed = hasKey ? readTypedKey(target, key, what, show(leftOf(e))) : undefined;
  if (typed) return typed.value;
  if (hasKey && typeof key === 'number') {
    throw new ExprError(`'${what}' reads the key '${key}' by a number: Ansible finds it only if the key was written as the number ${key}, which teqlctl does not tell from the text '${key}'`, `quote the key in YAML and read it as text: ${show(leftOf(e))}['${key}']`);
  }
  if (Array.isArray(target)) {
    if (typeof key !== 'number' || !Number.isInteger(key)) {
      return new Undefined(what, `${what} does not exist (${show(leftOf(e))} is a list; index it with a number)`);
    }
    const i = key < 0 ? target.length + key : key;
    return i >= 0 && i < target.length ? target[i] : new Undefined(what, `${show(leftOf(e))} has ${target.length} items, no index ${key}`);
  }
  if (typeof target === 'object' && target !== null && Object.prototype.hasOwnProperty.call(target, String(key))) {
    return (target as Record<string, unknown>)[String(key)];
  }
  return new Undefined(what, `${what} does not exist (${show(leftOf(e))} is ${describeValue(target)})`);
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function leftOf(e: Expr): Expr {
  return e.kind === 'attr' || e.kind === 'index' ? e.target : e;
}

function evaluate(e: Expr, scope: Scope): unknown {
  scope.spend?.(1);
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'list':
      return e.items.map((i) => defined(evaluate(i, scope)));
    case 'var': {
      const r = scope.lookup(e.name, true);
      if (r.found) return r.value;
      // Defined by Ansible in every play; a value of its own only as a task argument's whole value.
      if (e.name === 'omit') return OMIT;
      if (JINJA_GLOBALS.has(e.name)) {
        throw new ExprError(`'${e.name}' is not set, and to Ansible it is Jinja's global function ${e.name}(), always defined`, `set ${e.name}, or name the variable otherwise`);
      }
      // Ansible's own (omit, playbook_dir, ansible_check_mode, ...): always defined there, so a
      // default() never applies, and the hint "define it" led to "a reserved name" (a review).
      if (ALWAYS_DEFINED.has(e.name)) throw new ExprError(`'${e.name}' is Ansible's own magic variable, which teqlctl does not set (with Ansible it is always defined, so | default() would not apply)`, MAGIC_HINTS[e.name] ?? UNSUPPORTED_MAGIC[e.name] ?? `give the value itself, under a name of your own in the play's vars`);
      return new Undefined(e.name, `'${e.name}' is not defined`);
    }
    case 'attr':
      return step(evaluate(e.target, scope), e.name, e);
    case 'index': {
      const key = defined(evaluate(e.index, scope));
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw new ExprError(`index in '${show(e)}' must be a number or a string, got ${describeValue(key)}`);
      }
      return step(evaluate(e.target, scope), key, e);
    }
    case 'filter': {
      const v = evaluate(e.target, scope);
      if (e.name === 'default' || e.name === 'd') {
        const alsoFalsy = e.args[1] ? asBool(defined(evaluate(e.args[1], scope)), 'default(value, boolean)') : false;
        // Tested for truth: `no` is false to Ansible and a non-empty text here (a review: | bool after it read the word apart).
        if (alsoFalsy) refuseBooleanWord(e.target, scope.booleanWord?.bind(scope), 'tested for truth by default(..., true)');
        const replace = v instanceof Undefined || (alsoFalsy && falsy(v));
        if (!replace) return v;
        // An undefined fallback stays undefined, for a later default or `is defined` (as in Jinja).
        return e.args[0] ? evaluate(e.args[0], scope) : '';
      }
      if (e.name === 'int') return toInt(defined(v));
      if (e.name === 'bool') return toBool(defined(v));
      return toText(defined(v));
    }
    case 'not':
      return !asBool(defined(evaluate(e.operand, scope)), `'not'`);
    case 'and': {
      const left = asBool(defined(evaluate(e.left, scope)), `'and'`);
      return left ? asBool(defined(evaluate(e.right, scope)), `'and'`) : false;
    }
    case 'or': {
      const left = asBool(defined(evaluate(e.left, scope)), `'or'`);
      return left ? true : asBool(defined(evaluate(e.right, scope)), `'or'`);
    }
    case 'eq':
    case 'ne': {
      for (const side of [e.left, e.right]) refuseBooleanWord(side, scope.booleanWord?.bind(scope), 'compared');
      const same = equal(defined(evaluate(e.left, scope)), defined(evaluate(e.right, scope)));
      return e.kind === 'eq' ? same : !same;
    }
    case 'defined':
      return (evaluate(e.target, scope) instanceof Undefined) === e.negate;
  }
}

/** The value of `e`; throws ExprError when it is undefined or an operation does not fit the values. */
export function evalExpr(e: Expr, scope: Scope): unknown {
  const v = evaluate(e, scope);
  // omit passes as the whole value: whoever takes it decides (a task argument leaves itself out).
  return v === OMIT ? v : defined(v);
}
