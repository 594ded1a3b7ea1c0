// --limit's terms as Ansible's InventoryManager.subset takes them: the pattern cut as any other
// (split-pattern.ts), and each `@file` term replaced by the file's lines, each line one term as it
// stands (not cut again: 'a:b' on a line is one name), blank lines left out.
import { readLimited } from './yaml-guard.js';
import { PatternError } from './host-pattern.js';
import { pyStrip, splitHostPattern } from './split-pattern.js';

/** The terms of `limit`, @files read (relative to the working folder, as Ansible reads them). */
export function limitTerms(limit: readonly string[]): string[] {
  const templated = limit.find((p) => p.includes('{{') || p.includes('{%'));
  if (templated !== undefined) throw new PatternError(`templates are not supported in host patterns: '${templated}'`, 'name the hosts or groups themselves');
  return splitHostPattern(limit).flatMap((t) => (t.startsWith('@') ? fileTerms(t.slice(1)) : [t]));
}

function fileTerms(file: string): string[] {
  // As every file teqlctl reads: a regular file of at most 1 MiB. A FIFO waited for a writer
  // forever, /dev/zero filled memory until node aborted (a review's fuzzing).
  const read = readLimited(file);
  if (!('text' in read)) {
    if (read.why === 'it is a directory') throw new PatternError(`'@${file}': a limit file must be a file, not a folder`, 'give a file of host patterns, one a line (such as an Ansible .retry file)');
    throw new PatternError(`'@${file}': the limit file cannot be read (${read.why.replace(/^it is /, '')})`, read.hint ?? 'give a file of host patterns, one a line, relative to the working folder');
  }
  const text = read.text;
  // Python's text mode reads \r\n and \r as \n.
  const lines = text.split(/\r\n|\r|\n/).map(pyStrip).filter((l) => l !== '');
  // Ansible then limits nothing and runs every host: a retry file left empty must not reach the fleet.
  if (lines.length === 0) throw new PatternError(`'@${file}': the limit file names no host (Ansible would then run every host)`, 'put host patterns in it, one a line, or leave --limit out to run on every host');
  return lines;
}
