// A file change as --diff shows it: removed lines with -, added lines with +, unchanged ones kept
// out (boot files are short; a line-set difference reads better here than a positional diff).
import type { BootFileFact } from '../../gather/facts.js';

function lines(f: BootFileFact | undefined): string[] {
  if (!f) return [];
  return f.symlink !== undefined ? [`-> ${f.symlink}`] : (f.content ?? '').split('\n').filter((l) => l !== '');
}

export function fileDiff(before: BootFileFact | undefined, after: BootFileFact | undefined): string[] {
  const a = lines(before);
  const b = lines(after);
  return [...a.filter((l) => !b.includes(l)).map((l) => `- ${l}`), ...b.filter((l) => !a.includes(l)).map((l) => `+ ${l}`)];
}
