// An ssh_config file is read only when it is a regular file: a named pipe at ~/.ssh/config waited
// forever before any host was contacted (`ssh -G` waits too), a folder failed with EISDIR and a stack trace.
import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { ConfigError } from '../errors.js';

const kind = (st: Stats) => (st.isDirectory() ? 'a folder' : st.isFIFO() ? 'a named pipe (FIFO)' : st.isSocket() ? 'a socket' : 'a device');

/**
 * The text of the ssh_config file `file` (`what` says where it was named, for the message), or
 * undefined when there is none. /dev/null, ssh's idiom for none, reads as empty. Anything else that
 * is not a regular file, or cannot be read, is a ConfigError: nothing has been contacted yet.
 */
export async function readSshConfigText(file: string, what: string): Promise<string | undefined> {
  if (file === '/dev/null') return '';
  const refuse = (why: string) => new ConfigError(`${file} (${what}) ${why}: teqlctl reads ssh_config from a regular file only`,
    undefined, `make ${file} a regular file, or remove it (ssh reads it too: a named pipe would hold ssh as well)`);
  let handle;
  try {
    // Opened without waiting for a writer (a FIFO), then judged by what fstat says it is.
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENXIO') throw refuse('is a socket');
    // EACCES (a root-owned 600 file after `sudo vi`), ELOOP: a regular file, maybe, that cannot be opened.
    throw new ConfigError(`${file} (${what}) cannot be opened (${code ?? (err as Error).message})`, undefined,
      'check the file and its permissions (ssh cannot read it either), or remove it');
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw refuse(`is ${kind(st)}`);
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}
