// YAML scalars for hand-written, commented files: plain when that reads back as the same string.
import { parse } from 'yaml';
import { yaml11Value } from '../load/yaml11-readings.js';

export function scalar(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  // Safe in block and in flow context ({ dev: eth1 }), and not read as a number, bool or null, by
  // YAML 1.2 nor by Ansible's YAML 1.1 (an interface or user named on, yes, 1_000, 0b11).
  if (/^[A-Za-z0-9_./~+@-]+$/.test(value) && parse(value) === value && yaml11Value(value) === value) return value;
  return JSON.stringify(value);
}

export function flowList(values: readonly string[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

/** Column at which trailing comments start, so they line up. */
const COMMENT_COL = 50;

/** One line of YAML at `indent`, with its trailing comment lined up when there is one. */
export function commentedLine(indent: number, text: string, comment?: string): string {
  const body = ' '.repeat(indent) + text;
  return comment ? `${body.padEnd(COMMENT_COL - 1)} # ${comment}` : body;
}
