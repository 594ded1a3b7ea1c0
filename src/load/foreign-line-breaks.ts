// Characters Ansible's Python reads as the end of a line and teqlctl would not: a setting after one
// is a line of its own to Ansible and part of the line before (or of a comment) here, so one side
// silently loses it (a review: `# old<U+2028>r2 ansible_host=10.0.0.2` is a host to Ansible only).
// Refused at their place, as no reading of them can be both tools'.
import type { SourcePos } from '../errors.js';
import type { Problems } from './problems.js';
import { codePoint } from './shown.js';

// PyYAML (YAML 1.1) breaks lines at NEL, LS and PS too; YAML 1.2 (teqlctl) at \n and \r only.
const YAML_11_BREAKS = /[\u0085\u2028\u2029]/;
// str.splitlines(), which Ansible's INI plugin uses, also at \v, \f, \x1c-\x1e, and a lone \r
// (teqlctl's INI reader splits at \n and \r\n; a lone \r just before the end changes nothing).
const PYTHON_BREAKS = /[\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]|\r(?!\n|$)/;

function named(c: string): string {
  return c === '\r' ? 'a carriage return (\\r) not followed by a newline' : `the character ${codePoint(c)}`;
}

function refuse(text: string, file: string, breaks: RegExp, reader: string, problems: Problems): boolean {
  const m = breaks.exec(text);
  if (!m) return false;
  const before = text.slice(0, m.index);
  const pos: SourcePos = { file, line: before.split('\n').length, col: m.index - before.lastIndexOf('\n') };
  problems.add(`${named(m[0])}: ${reader} reads it as the end of a line and teqlctl does not, so what follows it would be read apart`, pos, 'replace it with a newline, or remove it');
  return true;
}

/** A YAML file (read by Ansible with PyYAML): true when refused. */
export function refuseYaml11Breaks(text: string, file: string, problems: Problems): boolean {
  if (!YAML_11_BREAKS.test(text)) return false;
  // Ansible reads a file as JSON first (from_yaml): inside JSON they are plain characters to both.
  try {
    JSON.parse(text);
    return false;
  } catch {
    return refuse(text, file, YAML_11_BREAKS, 'Ansible (YAML 1.1)', problems);
  }
}

/** An INI inventory (read by Ansible with Python's splitlines): true when refused. */
export function refusePythonBreaks(text: string, file: string, problems: Problems): boolean {
  return refuse(text, file, PYTHON_BREAKS, "Ansible's INI reader", problems);
}
