// Key files are read only when they are regular files of a key's size: a named pipe given as a key
// waited forever (the other hosts already contacted), a device (/dev/zero) never ends.
import { readFile, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';

/** Far above any SSH key file (an RSA-16384 key is ~13 KB). */
export const KEY_FILE_MAX = 1 << 20;

/** Why `st` is no key file to read, or undefined. */
export function notAKeyFile(file: string, st: Stats): string | undefined {
  if (!st.isFile()) return `${file} is not a file (a folder, a pipe or a device): no key is read from it`;
  if (st.size > KEY_FILE_MAX) return `${file} is ${st.size} bytes, larger than any key file: not read`;
  return undefined;
}

/** The text of a key file, or undefined when it cannot be read or is no key file (notAKeyFile). */
export async function readKeyFile(file: string): Promise<string | undefined> {
  try {
    return notAKeyFile(file, await stat(file)) === undefined ? await readFile(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}
