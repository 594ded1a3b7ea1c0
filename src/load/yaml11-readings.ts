// Plain YAML values that Ansible (YAML 1.1, PyYAML's resolver) reads otherwise than teqlctl (YAML
// 1.2, the core schema): `010` is 10 here and 8 there, `10:30` text here and 630 there, `1e3` a
// number here and text there. An inventory is often Ansible's too, so each such value is said (a
// note, not an error: teqlctl's reading is the documented one).
import { isMap, isScalar, isSeq, visit, type Document, type Scalar } from 'yaml';
import { mergedPairs } from './merged-pairs.js';

/** A value as PyYAML's resolver reads a plain scalar: its implicit bool, int, float and null patterns. */
export function yaml11Value(text: string): unknown {
  if (/^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/.test(text)) return true;
  if (/^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/.test(text)) return false;
  if (/^(?:~|null|Null|NULL|)$/.test(text)) return null;
  // PyYAML resolves a plain `=` to YAML 1.1's value tag, which no constructor of its takes (a review).
  if (text === '=') return UNLOADABLE;
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '').replace(/_/g, '');
  // PyYAML's patterns take `0x_`, then fail to convert it: Ansible cannot load such a file.
  if (/^[-+]?0b[01_]+$/.test(text)) return body.length > 2 ? sign * parseInt(body.slice(2), 2) : UNLOADABLE;
  if (/^[-+]?0x[0-9a-fA-F_]+$/.test(text)) return body.length > 2 ? sign * parseInt(body.slice(2), 16) : UNLOADABLE;
  if (/^[-+]?0[0-7_]+$/.test(text)) return sign * parseInt(body, 8);
  if (/^[-+]?(?:0|[1-9][0-9_]*)$/.test(text)) return sign * parseInt(body, 10);
  // Base 60: 1:20 is 80, 1:20.5 is 80.5, summed from the last part as PyYAML does (the same float).
  if (/^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/.test(text) || /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/.test(text)) {
    let value = 0;
    let base = 1;
    for (const part of body.split(':').reverse()) {
      value += Number(part) * base;
      base *= 60;
    }
    return sign * value;
  }
  // A leading dot takes neither a sign nor an underscore first (`-.5` and `._5` are text to PyYAML).
  if (isDecimalFloat(text)) return sign * Number(body);
  if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return sign * Infinity;
  if (/^\.(?:nan|NaN|NAN)$/.test(text)) return NaN;
  // A date with a time: a datetime to PyYAML, printed otherwise (2001-12-14 21:59:43.100000-05:00).
  // A date alone prints as written, and is not a difference worth a word.
  if (/^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?$/.test(text)) return DATETIME;
  return text;
}

function isDecimalFloat(text: string): boolean {
  return /^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$/.test(text) || /^\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?$/.test(text);
}

/**
 * How Python prints a float (repr, as a template shows it): `1.0`, `1e+16`, `1e-05`, where
 * JavaScript prints `1`, `10000000000000000`, `0.00001`.
 */
export function pythonFloatText(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mantissa, exp] = v.toExponential().split('e');
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const text = String(v);
  return text.includes('.') ? text : `${text}.0`;
}

/** Readings without a plain value of their own. */
const UNLOADABLE = Symbol('an error: Ansible cannot load the file');
const DATETIME = Symbol('a date and time');

const same = (a: unknown, b: unknown) => Object.is(a, b) || (typeof a === 'number' && typeof b === 'number' && a === b);
const shown = (v: unknown) => (typeof v === 'string' ? `the text ${JSON.stringify(v)}` : typeof v === 'symbol' ? v.description! : v === null ? 'null' : String(v));

export interface Yaml11Reading {
  offset: number;
  /** As written. */
  text: string;
  here: string;
  ansible: string;
}

/**
 * How YAML 1.1 (Ansible) reads a plain scalar that YAML 1.2 reads as text, when that is not text
 * (`on`: the boolean true, `1:20`: the number 80); undefined when both read text.
 */
export function yaml11NotText(node: Scalar): string | undefined {
  if (node.type !== 'PLAIN' || node.tag !== undefined || typeof node.value !== 'string' || typeof node.source !== 'string') return undefined;
  // A date alone prints as written (yaml11Value keeps it text) but is a date to PyYAML, no name.
  if (/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(node.source)) return 'a date';
  const ansible = yaml11Value(node.source);
  if (typeof ansible === 'string') return undefined;
  return typeof ansible === 'boolean' ? `the boolean ${ansible}` : typeof ansible === 'number' ? `the number ${ansible}` : shown(ansible);
}

// yes/no/on/off: common in inventories Ansible reads for other playbooks, and refused with a hint
// wherever teqlctl needs a boolean (ansible_become, teql_persist): listing them would be noise.
const BOOLEAN_WORDS = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/**
 * Every plain value of `doc` (not a key) that YAML 1.1 reads otherwise, but the boolean words; an
 * explicit tag decides for itself.
 */
export function yaml11Readings(doc: Document.Parsed): Yaml11Reading[] {
  const out: Yaml11Reading[] = [];
  visit(doc, {
    Scalar(key, node: Scalar) {
      if (key === 'key') return;
      const r = yaml11ReadingOf(node);
      if (r) out.push(r);
    },
  });
  return out;
}

/**
 * Every scalar inside `node` (a variable's value) that YAML 1.1 reads otherwise, by its path there
 * ('' the value itself, `.port`, `[0]`), aliases and merge keys followed: a template that reads
 * `conn.port` reads what Ansible reads otherwise (a review). Depth-bounded.
 */
export function yaml11ReadingsIn(node: unknown, resolve: (n: unknown) => unknown, path = '', out = new Map<string, Yaml11Reading>(), depth = 0): Map<string, Yaml11Reading> {
  const n = resolve(node);
  if (depth > 64) return out;
  if (isMap(n)) for (const [k, v] of mergedPairs(n, resolve)) yaml11ReadingsIn(v, resolve, `${path}.${k}`, out, depth + 1);
  else if (isSeq(n)) n.items.forEach((item, i) => yaml11ReadingsIn(item, resolve, `${path}[${i}]`, out, depth + 1));
  else {
    const r = yaml11ReadingOf(n);
    if (r) out.set(path, r);
  }
  return out;
}

/** How `node`, a value, reads otherwise in YAML 1.1 (yaml11Readings); undefined where it reads the same. */
export function yaml11ReadingOf(node: unknown): Yaml11Reading | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  // `!!int "022"`: a number either way, but PyYAML's int constructor reads YAML 1.1's forms
  // (a leading 0 is octal: 18), the yaml package YAML 1.2's (22). Said, as a plain one is (a review).
  if (node.tag === 'tag:yaml.org,2002:int' && typeof node.source === 'string' && typeof node.value === 'number') {
    const ansible = yaml11Value(node.source.trim());
    return typeof ansible === 'number' && ansible !== node.value ? { offset: node.range[0], text: `!!int ${node.source}`, here: shown(node.value), ansible: shown(ansible) } : undefined;
  }
  if (node.type !== 'PLAIN' || node.tag !== undefined) return undefined;
  const text = node.source;
  if (typeof text !== 'string' || BOOLEAN_WORDS.test(text)) return undefined;
  const ansible = yaml11Value(text);
  const value = node.value;
  // An integer past 2^53 kept as its digits (source.ts): what Ansible prints too.
  if (typeof value === 'string' && typeof ansible === 'number' && /^[-+]?\d+$/.test(text)) return undefined;
  if (!same(ansible, value)) return { offset: node.range[0], text, here: shown(value), ansible: shown(ansible) };
  // The same number, printed apart: Python keeps a float a float (1.0), and an integer exact.
  if (typeof value === 'number' && isDecimalFloat(text) && pythonFloatText(value) !== String(value)) {
    return { offset: node.range[0], text, here: `the number ${String(value)}`, ansible: `the float ${pythonFloatText(value)}` };
  }
  return undefined;
}

/**
 * A value whose reading decides where or as whom teqlctl connects, read otherwise by Ansible: the
 * two would `act` otherwise. A problem's message and hint, not a note.
 */
export function yaml11Refusal(what: string, name: string, r: Yaml11Reading, act: string): { message: string; hint: string } {
  return {
    message: `${what} is written \`${r.text}\`, which teqlctl (YAML 1.2) reads as ${r.here} and Ansible (YAML 1.1) as ${r.ansible}: the two would ${act} otherwise`,
    hint: `write it so that both read the same: quoted for text (${name}: "${r.text}"), or the number as both read it`,
  };
}

// Readings found while loading, in the order read: a loader takes those since it began (yaml11Mark).
// Kept here, not threaded through every reader of YAML files (inventory, group_vars, playbook, -e).
const found: string[] = [];
let dropped = 0;

/** Records `file`'s readings; `position` turns an offset into `file:line:col`. */
export function recordYaml11Readings(readings: readonly Yaml11Reading[], position: (offset: number) => string): void {
  for (const r of readings) found.push(`${position(r.offset)} \`${r.text}\` (teqlctl: ${r.here}; Ansible: ${r.ansible})`);
  // A long-lived process (a test run) must not keep them all.
  if (found.length > 10_000) {
    dropped += 5_000;
    found.splice(0, 5_000);
  }
}

export function yaml11Mark(): number {
  return dropped + found.length;
}

const SHOWN = 5;

/** One note for the readings recorded since `mark`, each place once; undefined when there are none. */
export function yaml11Note(mark: number): string | undefined {
  const places = [...new Set(found.slice(Math.max(0, mark - dropped)))];
  if (places.length === 0) return undefined;
  const more = places.length > SHOWN ? `, and ${places.length - SHOWN} more` : '';
  return `plain YAML and INI values that Ansible (YAML 1.1, Python's numbers) reads or prints otherwise than teqlctl (YAML 1.2, JavaScript's numbers): ${places.slice(0, SHOWN).join(', ')}${more}; teqlctl uses its reading: quote a value (\`"010"\`) or write it so both read the same, where Ansible reads these files too`;
}
