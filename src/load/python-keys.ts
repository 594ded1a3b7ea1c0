// Keys of a Python mapping literal as Python compares and prints them (python-literal.ts).
import { UNSUPPORTED, type PyUnsupported } from './python-numbers.js';

/**
 * Adds `key` to a mapping's `keys`; refused when teqlctl (keys as text) and Python would count them
 * apart: 1 and '1' (two to Python, one as text), 1 and True (one to Python, two as text).
 */
export function addKey(keys: unknown[], key: unknown, refuse: (what: PyUnsupported) => void): void {
  const clash = keys.find((k) => (String(k) === String(key)) !== pyEqual(k, key));
  keys.push(key);
  if (clash !== undefined) refuse(UNSUPPORTED.keyClash(pyRepr(clash), pyRepr(key)));
}

/** Python's == of two keys: True is 1, 1.0 is 1; text only equals text. */
export function pyEqual(a: unknown, b: unknown): boolean {
  const num = (v: unknown) => (typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : undefined);
  const [x, y] = [num(a), num(b)];
  return x !== undefined && y !== undefined ? x === y : a === b;
}

/** A key as Python prints it in a message: '1' for text, 1 and True otherwise. */
export function pyRepr(v: unknown): string {
  return typeof v === 'string' ? `'${v}'` : typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : String(v);
}
