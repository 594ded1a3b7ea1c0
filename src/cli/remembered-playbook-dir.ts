// The playbook folder of the last run with an inventory. `status`, `rollback` and `unlock` have no
// playbook, yet the group_vars/ and host_vars/ beside the run's playbook may have set how it logged
// in (user, port, become): read without them, a rollback logged in otherwise than the run it undoes,
// or not at all, after a controller that died mid-run. `play` records the folder before it changes
// anything; the others read it back for the same -i. A file in teqlctl's state folder, 0600.
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { localDir, privateDir, writePrivateFile } from '../play/local-files.js';

/** Inventories remembered; the oldest beyond these are dropped. */
const KEEP = 100;

interface Entry {
  inventory: string[];
  playbook: string;
  runId: string;
}

export interface Remembered {
  /** The folder of the run's playbook, absolute. */
  dir: string;
  playbook: string;
  runId: string;
}

/** Where the records are: beside the run journals, in teqlctl's state folder. */
export function recordFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(localDir('runs', env)), 'playbook-dirs.json');
}

/** The same -i as another command's: each path made absolute, in order (Ansible merges them in order). */
function sameInventory(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((p, i) => resolve(p) === resolve(b[i]!));
}

function readEntries(file: string): Entry[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { entries?: unknown };
    if (!Array.isArray(data.entries)) return [];
    return data.entries.filter((e): e is Entry =>
      e !== null && typeof e === 'object' && Array.isArray(e.inventory) && e.inventory.every((p: unknown) => typeof p === 'string')
      && typeof e.playbook === 'string' && typeof e.runId === 'string');
  } catch {
    // Missing, or damaged (a crash mid-write is ruled out by the rename): nothing remembered.
    return [];
  }
}

/**
 * Records the playbook of a run that may change routers, for its -i. Returns a warning when it
 * could not be written (the run goes on: --playbook-dir still works for the other commands).
 */
export function recordPlaybookDir(inventory: readonly string[], playbook: string, runId: string, file = recordFile()): string | undefined {
  try {
    const entry: Entry = { inventory: inventory.map((p) => resolve(p)), playbook: resolve(playbook), runId };
    const entries = [entry, ...readEntries(file).filter((e) => !sameInventory(e.inventory, entry.inventory))].slice(0, KEEP);
    privateDir(dirname(file), 'teqlctl\'s state folder');
    const temp = `${file}.${process.pid}.new`;
    writePrivateFile(temp, JSON.stringify({ version: 1, entries }, null, 1) + '\n');
    renameSync(temp, file);
    return undefined;
  } catch (err) {
    return `warning: the playbook's folder was not recorded for status, rollback and unlock (${(err as Error).message}): give them --playbook-dir ${dirname(playbook)} if its group_vars/ or host_vars/ set how to log in`;
  }
}

/**
 * The playbook folder the last run with this -i read, when it still holds group_vars/ or
 * host_vars/ (else there is nothing of it to read).
 */
export function rememberedPlaybookDir(inventory: readonly string[], file = recordFile()): Remembered | undefined {
  if (!existsSync(file)) return undefined;
  const entry = readEntries(file).find((e) => sameInventory(e.inventory, inventory));
  if (!entry) return undefined;
  const dir = dirname(entry.playbook);
  const hasVars = ['group_vars', 'host_vars'].some((d) => statSync(join(dir, d), { throwIfNoEntry: false })?.isDirectory());
  return hasVars ? { dir, playbook: entry.playbook, runId: entry.runId } : undefined;
}
