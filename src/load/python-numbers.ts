// Python's number literals as ast.literal_eval (Python 3.11, Ansible's INI reader) takes them: ints
// in every base, floats, `_` between digits, and imaginary numbers (`1j`, `07j`), which make a
// complex number no value of teqlctl's can stand for. Also what Python reads without a word where
// teqlctl has no such value: they are refused where written (python-literal.ts), as \N{NAME} is.
import { MAX_DEPTH } from './limits.js';

const NUMBER = [
  /^0[xX](?:_?[0-9a-fA-F])+/,
  /^0[oO](?:_?[0-7])+/,
  /^0[bB](?:_?[01])+/,
  /^(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|^\d(?:_?\d)*\.?(?:[eE][+-]?\d(?:_?\d)*)|^\d(?:_?\d)*\./,
  /^[1-9](?:_?\d)*|^0(?:_?0)*/,
];
// Python's imagnumber: a float, or digits that may start with 0 (`07j` is 7j, though 07 is no int).
const IMAGINARY = /^(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*(?:[eE][+-]?\d(?:_?\d)*)?|\d(?:_?\d)*\.?(?:[eE][+-]?\d(?:_?\d)*)?)[jJ]/;

export interface PyNumber {
  /** An integer past 2^53 is its exact digits, as text (exactIntegerText). */
  value: number | string;
  /** Where the literal ends in the text. */
  end: number;
  /** `1j`: the imaginary part of a complex number (its value is then the coefficient). */
  imaginary: boolean;
}

/** The number literal at `s[i]`, or undefined: none there, or one with a letter, digit, `_` or `.` after it (07, 1x, 0x1j). */
export function numberAt(s: string, i: number): PyNumber | undefined {
  const rest = s.slice(i);
  const im = IMAGINARY.exec(rest)?.[0];
  const m = im ?? NUMBER.map((re) => re.exec(rest)?.[0]).find((x) => x !== undefined);
  if (m === undefined) return undefined;
  const end = i + m.length;
  if (/[0-9A-Za-z_.]/.test(s[end] ?? '')) return undefined;
  const text = m.replace(/_/g, '').replace(/[jJ]$/, '');
  const value = /^0[oObB]/.test(text) ? parseInt(text.slice(2), text[1]!.toLowerCase() === 'o' ? 8 : 2) : Number(text);
  return { value: im === undefined ? exactIntegerText(text, value) ?? value : value, end, imaginary: im !== undefined };
}

/**
 * An integer literal past 2^53 (Debian's kernel.shmmax, 18446744073692774399) as its exact decimal
 * digits: a JavaScript number rounds it (18446744073692774000), and that is what a sysctl task then
 * wrote, where Ansible, whose integers are exact, writes the digits (a review). As text, a template
 * prints it exactly; arithmetic on it is refused (| int says it is past 2^53). Undefined otherwise.
 */
export function exactIntegerText(text: string, value: number): string | undefined {
  if (Number.isSafeInteger(value) || !Number.isFinite(value) || !/^[+-]?(?:0[xXoObB][0-9a-fA-F]+|\d+)$/.test(text)) return undefined;
  const negative = text.startsWith('-');
  const digits = BigInt(text.replace(/^[+-]/, '')).toString();
  return negative ? `-${digits}` : digits;
}

/** A value Python reads and teqlctl cannot: what it is, why that matters, what to write instead. */
export interface PyUnsupported {
  unsupported: string;
  why: string;
  hint: string;
}

const QUOTE = 'quote it to keep it as text, as Ansible then does (k="\'1j\'" on a host line, k = \'1j\' in [g:vars])';

export const UNSUPPORTED = {
  complex: (text: string): PyUnsupported => ({
    unsupported: `the complex number ${text}`,
    why: "Ansible's literal_eval reads a Python complex number, which teqlctl has no value for (a template there prints it as (1+2j), 1j)",
    hint: QUOTE,
  }),
  ellipsis: (): PyUnsupported => ({
    unsupported: '...',
    why: "Ansible's literal_eval reads Python's Ellipsis object, which teqlctl has no value for (a template there prints Ellipsis)",
    hint: QUOTE.replace(/1j/g, '...'),
  }),
  unhashable: (): PyUnsupported => ({
    unsupported: 'a list, mapping or set as a mapping key or set element',
    why: "Python's literal_eval stops there (TypeError: unhashable type), and Ansible then cannot read the inventory at all (Unable to parse ... as an inventory source)",
    hint: "a key or set element is a number, text or tuple in Python; quote the whole value to keep it as text",
  }),
  set: (): PyUnsupported => ({
    unsupported: 'a set',
    why: "Ansible's literal_eval reads a Python set, which teqlctl has no value for (unordered and without duplicates: a template there prints {'b', 'a'}, {1, 1} has length 1)",
    hint: "write a list ([...]), or quote the whole value to keep it as text",
  }),
  deep: (): PyUnsupported => ({
    unsupported: `a list, tuple or mapping nested more than ${MAX_DEPTH} levels deep`,
    why: "Ansible's literal_eval reads it (up to some 200 levels), and teqlctl would read it as text",
    hint: 'flatten it, or quote the whole value to keep it as text',
  }),
  keyClash: (a: string, b: string): PyUnsupported => ({
    unsupported: `the keys ${a} and ${b} in one mapping`,
    why: "teqlctl keeps a mapping's keys as text: where Python holds two keys (1 and '1') it would hold one, and where Python holds one (1 and True) two, a value replaced or kept without a word (a review)",
    hint: 'write each key once, as text (quoted), or quote the whole value to keep it as text',
  }),
  tupleKey: (): PyUnsupported => ({
    unsupported: 'a tuple as a mapping key',
    why: "Ansible's literal_eval reads a mapping keyed by a Python tuple, which teqlctl has no value for",
    hint: "use text keys ('1,2'), or quote the whole value to keep it as text",
  }),
};
