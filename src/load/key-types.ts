// Mapping keys Ansible reads as no text: a plain `100:` is the integer 100 to it (PyYAML; `on:` is
// true, `010:` is 8), but teqlctl's values are JavaScript objects whose keys are all text. Indexed,
// the two found other keys: `mtus[item | string]` found 9000 here and nothing in Ansible, whose key
// is the number, and which took its default MTU (a review). Each such key is kept here with the
// value Ansible reads it as, by the object read from its mapping.
import { isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import { ExprError } from './expr-error.js';
import { mergedPairs } from './merged-pairs.js';
import { yaml11Value } from './yaml11-readings.js';

const ANSIBLE_KEYS = new WeakMap<object, Map<string, unknown>>();

/** Walks `node` beside `value` (what toJS read of it) and records the keys Ansible reads as no text. */
export function markKeyTypes(node: unknown, value: unknown, resolve: (n: unknown) => unknown, depth = 0): void {
  const n = resolve(node);
  if (depth > 64 || value === null || typeof value !== 'object') return;
  if (isSeq(n) && Array.isArray(value)) {
    n.items.forEach((item, i) => markKeyTypes(item, value[i], resolve, depth + 1));
    return;
  }
  if (!isMap(n) || Array.isArray(value)) return;
  const keys = new Map<string, unknown>();
  typedKeys(n, resolve, keys, new Set(), 0);
  if (keys.size > 0) ANSIBLE_KEYS.set(value, keys);
  for (const [k, v] of mergedPairs(n, resolve)) markKeyTypes(v, (value as Record<string, unknown>)[k], resolve, depth + 1);
}

/** Own keys first, then a merge key's (which do not replace them). */
function typedKeys(n: YAMLMap, resolve: (n: unknown) => unknown, out: Map<string, unknown>, seen: Set<string>, depth: number): void {
  const merges: unknown[] = [];
  for (const p of n.items) {
    if (!isScalar(p.key)) continue;
    if (typeof p.key.value === 'symbol') {
      merges.push(p.value);
      continue;
    }
    const here = String(p.key.value);
    if (seen.has(here)) continue;
    seen.add(here);
    const plain = p.key.type === 'PLAIN' && p.key.tag === undefined && typeof p.key.source === 'string';
    const ansible = plain ? yaml11Value(p.key.source as string) : typeof p.key.value === 'string' ? here : p.key.value;
    if (typeof ansible !== 'string' && ansible !== null) out.set(here, ansible);
  }
  if (depth > 16) return;
  for (const m of merges) {
    const source = resolve(m);
    for (const each of isSeq(source) ? source.items.map(resolve) : [source]) if (isMap(each)) typedKeys(each, resolve, out, seen, depth + 1);
  }
}

/** `to`, a copy of the mapping `from` (its templates rendered), has its keys: the same types (a review found them lost). */
export function copyKeyTypes(from: object, to: object): void {
  const known = ANSIBLE_KEYS.get(from);
  if (known) ANSIBLE_KEYS.set(to, known);
}

/** How Ansible reads the key `key` of `target` where that is no text (a number, a boolean), else undefined. */
export function ansibleKey(target: object, key: string): { value: unknown } | undefined {
  const known = ANSIBLE_KEYS.get(target);
  return known?.has(key) ? { value: known.get(key) } : undefined;
}

/**
 * `target[key]` where the mapping's YAML key is no text to Ansible (`100:`, `on:`): Ansible finds it
 * by what it reads (the number 100), never by a text ('100'), nor by another number (`010:` is 8
 * there, 10 here). Its value where both find it; a refusal where they differ; undefined for a text key.
 */
export function readTypedKey(target: object, key: string | number, what: string, left: string): { value: unknown } | undefined {
  const typed = ansibleKey(target, String(key));
  if (!typed) return undefined;
  if (typed.value === key) return { value: (target as Record<string, unknown>)[String(key)] };
  const reads = typeof typed.value === 'symbol' ? typed.value.description : `the ${typeof typed.value} ${String(typed.value)}`;
  throw new ExprError(
    `'${what}' reads the key '${String(key)}'${typeof key === 'string' ? ' as text' : ''}: Ansible reads that key as ${reads} (written plain in YAML), which ${typeof key === 'string' ? 'a text does' : `the number ${key} does`} not find there`,
    `quote the key in YAML and read it as text (${left}['${String(key)}']), so that both read it alike`,
  );
}
