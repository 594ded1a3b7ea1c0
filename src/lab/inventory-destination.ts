// Where `lab up` will write its inventory, checked before anything boots: a path that cannot be
// written was found only after both routers were up (an internal error, exit 1, routers running).
import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { LabError } from '../errors.js';

const HINT = 'give `--inventory-out` (or $TEQLCTL_LAB_INVENTORY) a file path in a folder you can write';

function statOf(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    // ENOTDIR: a file stands where a folder of the path should be.
    if (code === 'ENOTDIR') throw new LabError(`the lab's inventory path ${path} goes through a file, not a folder`, HINT);
    throw new LabError(`the lab's inventory path ${path} cannot be read (${code ?? String(err)})`, HINT);
  }
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a destination the write would fail on: a folder, a file or folder without write
 * permission, or a path under a file. Missing folders are fine (`lab up` creates them) as long as
 * the nearest existing one can be written.
 */
export function checkInventoryDestination(file: string): void {
  const found = statOf(file);
  if (found?.isDirectory()) throw new LabError(`the lab's inventory path ${file} is a folder`, 'name a file in it, e.g. ' + `${file.replace(/\/$/, '')}/lab.yml`);
  if (found && !writable(file)) throw new LabError(`the lab's inventory file ${file} cannot be written (permission denied)`, HINT);
  if (found) return;
  let folder = dirname(file);
  for (;;) {
    const there = statOf(folder);
    if (there && !there.isDirectory()) throw new LabError(`the lab's inventory path ${file} goes through ${folder}, which is a file`, HINT);
    if (there) break;
    const up = dirname(folder);
    if (up === folder) break;
    folder = up;
  }
  if (!writable(folder)) throw new LabError(`the lab's inventory cannot be written in ${folder} (permission denied)`, HINT);
}
