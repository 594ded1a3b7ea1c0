// --limit's terms as Ansible's InventoryManager.subset takes them: the pattern cut as any other
// (split-pattern.ts), and each `@file` term replaced by the file's lines, each line one term as it
// stands (not cut again: 'a:b' on a line is one name), blank lines left out.
import { readLimited } from './yaml-guard.js';
import type { SourcePos } from '../errors.js';
import { PatternError } from './host-pattern.js';
import { pyStrip, splitHostPattern } from './split-pattern.js';

/** The terms of `limit`, @files read (relative to the working folder, as Ansible reads them). */
export function limitTerms(limit: readonly string[]): string[] {
  return limitTermsAt(limit).terms;
}

/** limitTerms, with where each term read from an @file stands in it (an error about it names the line). */
export function limitTermsAt(limit: readonly string[]): { terms: string[]; at: Map<string, SourcePos> } {
  const templated = limit.find((p) => p.includes('{{') || p.includes('{%'));
  if (templated !== undefined) throw new PatternError(`templates are not supported in host patterns: '${templated}'`, 'name the hosts or groups themselves');
  const at = new Map<string, SourcePos>();
  const terms = splitHostPattern(limit).flatMap((t) => (t.startsWith('@') ? fileTerms(t.slice(1), at) : [t]));
  return { terms, at };
}

/** Where a PatternError's message puts a term read from a limit file, if it names one. */
export function limitErrorPos(err: PatternError, at: ReadonlyMap<string, SourcePos>): SourcePos | undefined {
  const named = /host pattern '([^']*)'/.exec(err.message)?.[1];
  return named === undefined ? undefined : at.get(named);
}

function fileTerms(file: string, at: Map<string, SourcePos>): string[] {
  // As every file teqlctl reads: a regular file of at most 1 MiB. A FIFO waited for a writer
  // forever, /dev/zero filled memory until node aborted (a review's fuzzing).
  const read = readLimited(file);
  if (!('text' in read)) {
    if (read.why === 'it is a directory') throw new PatternError(`'@${file}': a limit file must be a file, not a folder`, 'give a file of host patterns, one a line (such as an Ansible .retry file)');
    throw new PatternError(`'@${file}': the limit file cannot be read (${read.why.replace(/^it is /, '')})`, read.hint ?? 'give a file of host patterns, one a line, relative to the working folder');
  }
  const text = read.text;
  // Python's text mode reads \r\n and \r as \n.
  const lines: string[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, i) => {
    const line = pyStrip(raw);
    if (line === '') return;
    lines.push(line);
    if (!at.has(line)) at.set(line, { file, line: i + 1, col: raw.indexOf(line) + 1 });
  });
  // Ansible then limits nothing and runs every host: a retry file left empty must not reach the fleet.
  if (lines.length === 0) throw new PatternError(`'@${file}': the limit file names no host (Ansible would then run every host)`, 'put host patterns in it, one a line, or leave --limit out to run on every host');
  return lines;
}
