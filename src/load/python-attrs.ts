// Names Jinja finds on Python's own objects before (or instead of) a key: to Ansible `s.upper` is a
// string's method, `item.values` a mapping's, `range` a global function, all "defined". teqlctl has
// none of them, and refuses them where it would otherwise read a key or take the name as unset.
import { ExprError } from './expr-error.js';

const STR = ['capitalize', 'casefold', 'center', 'count', 'encode', 'endswith', 'expandtabs', 'find', 'format', 'format_map', 'index',
  'isalnum', 'isalpha', 'isascii', 'isdecimal', 'isdigit', 'isidentifier', 'islower', 'isnumeric', 'isprintable', 'isspace', 'istitle',
  'isupper', 'join', 'ljust', 'lower', 'lstrip', 'maketrans', 'partition', 'removeprefix', 'removesuffix', 'replace', 'rfind', 'rindex',
  'rjust', 'rpartition', 'rsplit', 'rstrip', 'split', 'splitlines', 'startswith', 'strip', 'swapcase', 'title', 'translate', 'upper', 'zfill'];
const LIST = ['append', 'clear', 'copy', 'count', 'extend', 'index', 'insert', 'pop', 'remove', 'reverse', 'sort'];
const DICT = ['clear', 'copy', 'fromkeys', 'get', 'items', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values'];
// int's and float's (a number here may be either there); bool's are int's.
const NUMBER = ['as_integer_ratio', 'bit_count', 'bit_length', 'conjugate', 'denominator', 'from_bytes', 'imag', 'numerator', 'real',
  'to_bytes', 'fromhex', 'hex', 'is_integer'];

const ATTRS = { str: new Set(STR), list: new Set(LIST), dict: new Set(DICT), number: new Set(NUMBER) };

/** Ansible 2.14's Jinja globals: an unset variable of one of these names is the function there. */
export const JINJA_GLOBALS = new Set(['cycler', 'dict', 'joiner', 'lipsum', 'lookup', 'namespace', 'now', 'q', 'query', 'range', 'undef']);

function typeOf(v: unknown): keyof typeof ATTRS | 'none' {
  if (typeof v === 'string') return 'str';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'number' || typeof v === 'boolean') return 'number';
  return v === null || v === undefined ? 'none' : 'dict';
}

/**
 * Throws when Jinja would find `key` as an attribute of `target`: `target.key` always (a dunder name on
 * anything), `target['key']` where the target is no mapping or the mapping lacks the key.
 */
export function refusePythonAttribute(target: unknown, key: string | number, byDot: boolean, what: string, left: string, hasKey: boolean): void {
  if (typeof key !== 'string') return;
  const type = typeOf(target);
  const dunder = /^__\w*__$/.test(key);
  if (!dunder && (type === 'none' || !ATTRS[type].has(key))) return;
  if (type === 'dict' && !byDot && hasKey) return;
  const named = dunder ? `Python's internal attribute ${key}` : `the ${type === 'dict' ? 'mapping' : type === 'str' ? 'string' : type}'s ${key} method`;
  if (type === 'dict' && byDot) throw new ExprError(`'${what}' is ${named} to Ansible, not its key '${key}'`, `write ${left}['${key}'] for the key`);
  const hint = type === 'dict'
    ? `${left} has no key '${key}', and Ansible reads ${what} as the method (defined, so default and is defined do not see it missing): give ${left} the key or read another one`
    : `${left} is ${type === 'number' ? 'a number or boolean' : `a ${type === 'str' ? 'string' : type}`}, which has no keys: ${type === 'list' ? `index it with a number, ${left}[0]` : 'use it whole'}`;
  throw new ExprError(`'${what}' is ${named} to Ansible, always defined there; teqlctl does not read Python's methods`, hint);
}
