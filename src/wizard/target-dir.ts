// --dir is checked before the first question: a folder that is a file, or that cannot be written,
// was found only when writing, after both routers had been read and every question answered.
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * undefined where nothing is (ENOENT, or ENOTDIR: a part of the path is a file); the code where stat
 * fails otherwise (EACCES: another user's home; ELOOP, ENAMETOOLONG), said instead of a stack trace.
 */
function statOf(path: string): Stats | string | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    return ['ENOENT', 'ENOTDIR'].includes(code) ? undefined : code;
  }
}

/** What keeps the wizard from writing under `dir`/inventories and `dir`/playbooks, if anything. */
export function targetDirProblem(dir: string): string | undefined {
  // The path goes into both files' header comments: a line break there ended the comment, and the
  // rest of the path became YAML (a review). Said escaped, as the terminal must not act on it.
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(dir);
  if (control) return `the path holds a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}${control[0] === '\n' ? ', a line break' : ''}): the files name their folder in comments, and a name with one would break them; give a folder name without it`;
  for (const sub of [join(dir, 'inventories'), join(dir, 'playbooks')]) {
    // The deepest part that exists must be a folder we can write into; the rest is created.
    let at = sub;
    let st = statOf(at);
    while (!st && dirname(at) !== at) {
      at = dirname(at);
      st = statOf(at);
    }
    if (!st) return `${sub}: no part of this path exists`;
    if (typeof st === 'string') return `${at} cannot be looked at (${st})`;
    if (!st.isDirectory()) return `${at} is not a folder`;
    try {
      accessSync(at, constants.W_OK | constants.X_OK);
    } catch (err) {
      return `${at} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
    }
  }
  return undefined;
}
