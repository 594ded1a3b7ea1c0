// The playbook folders of the runs made with an inventory. `status`, `rollback` and `unlock` have
// no playbook, yet the group_vars/ and host_vars/ beside a run's playbook may have set how it logged
// in (user, port, become): read without them, a rollback logged in otherwise than the run it undoes,
// or not at all, after a controller that died mid-run. `play` records its folder once the plan is
// approved (before any change; a declined plan records nothing); the others read it back for the
// same -i: the folder of the run `rollback --run` names; a rollback without --run, the folder of the
// latest run known confirmed (the run the routers will name: a run approved and then rolled back is
// not it); else the latest. One file per inventory (a hash of its files' real paths, in order) in
// teqlctl's state folder, 0600: two plays of different inventories at once do not overwrite each
// other's record.
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { localDir, privateDir, prune, writePrivateFile } from '../play/local-files.js';

/** Playbook folders remembered per inventory, and runs per folder; older ones are dropped. */
const KEEP_DIRS = 10;
const KEEP_RUNS = 50;

interface Entry {
  playbook: string;
  runIds: string[];
  /** Of runIds, those confirmed on some router and not undone since by a rollback from here. */
  confirmed?: string[];
  /** Per run of runIds, the connection variables it was given with -e (names only: a value may be a secret). */
  extra?: Record<string, string[]>;
}

export interface Remembered {
  /** The folder of the run's playbook, absolute. */
  dir: string;
  playbook: string;
  runId: string;
  /** The run is recorded as confirmed on some router (and not undone from here since). */
  confirmed: boolean;
  /** The connection variables the run was given with -e (names). */
  extraNames: string[];
}

/** A path as the file system resolves it (symbolic links followed); as given, made absolute, where it does not exist. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** The folder of the records: beside the run journals, in teqlctl's state folder. */
export function recordDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(localDir('runs', env)), 'playbook-dirs');
}

/** The record of one inventory: the same files, in the same order (Ansible merges them in order). */
function recordFile(inventory: readonly string[], dir: string): string {
  const key = createHash('sha256').update(inventory.map(realPath).join('\0')).digest('hex').slice(0, 32);
  return join(dir, `${key}.json`);
}

function readEntries(file: string): Entry[] {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as { entries?: unknown };
    if (!Array.isArray(data.entries)) return [];
    return data.entries.filter((e): e is Entry =>
      e !== null && typeof e === 'object' && typeof e.playbook === 'string'
      && Array.isArray(e.runIds) && e.runIds.length > 0 && e.runIds.every((r: unknown) => typeof r === 'string'))
      .map((e) => ({ ...e, confirmed: Array.isArray(e.confirmed) ? e.confirmed.filter((r: unknown) => typeof r === 'string' && e.runIds.includes(r)) : [], extra: extraOf(e) }));
  } catch {
    // Missing, or damaged (a crash mid-write is ruled out by the rename): nothing remembered.
    return [];
  }
}

/** An entry's -e names per run, of its runs only; anything malformed read as none. */
function extraOf(e: Entry): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (e.extra === null || typeof e.extra !== 'object') return out;
  for (const runId of e.runIds) {
    const names = (e.extra as Record<string, unknown>)[runId];
    if (Array.isArray(names) && names.every((n) => typeof n === 'string') && names.length > 0) out[runId] = names;
  }
  return out;
}

/**
 * Records the playbook of a run about to change routers, for its -i, with the names of the
 * connection variables it was given with -e (`extraNames`). Returns a warning when it
 * could not be written (the run goes on: --playbook-dir still works for the other commands).
 */
export function recordPlaybookDir(inventory: readonly string[], playbook: string, runId: string, dir = recordDir(), extraNames: readonly string[] = []): string | undefined {
  try {
    const file = recordFile(inventory, dir);
    // The folder as play read it (the one holding the playbook, even a symbolic link to one elsewhere), its path made real.
    const path = join(realPath(dirname(resolve(playbook))), basename(playbook));
    locked(file, dir, () => {
      const old = readEntries(file);
      const same = old.find((e) => e.playbook === path);
      const runIds = [runId, ...(same?.runIds ?? [])].slice(0, KEEP_RUNS);
      const extra = Object.fromEntries(Object.entries({ ...(same?.extra ?? {}), ...(extraNames.length > 0 ? { [runId]: [...extraNames] } : {}) }).filter(([r]) => runIds.includes(r)));
      const entry: Entry = { playbook: path, runIds, confirmed: (same?.confirmed ?? []).filter((r) => runIds.includes(r)), extra };
      writeEntries(file, inventory, [entry, ...old.filter((e) => e !== same)].slice(0, KEEP_DIRS), dir);
    });
    return undefined;
  } catch (err) {
    return `warning: the playbook's folder was not recorded for status, rollback and unlock (${(err as Error).message}): give them --playbook-dir ${dirname(resolve(playbook))} if its group_vars/ or host_vars/ set how to log in`;
  }
}

/**
 * Runs `update` (a read, then a write of the record) while holding the record's lock file: two
 * teqlctl processes at once (a play ending as a rollback ends) would otherwise lose one's update.
 * A lock older than any update takes (its holder died) is taken over.
 */
function locked<T>(file: string, dir: string, update: () => T): T {
  privateDir(dir, 'teqlctl\'s state folder');
  const lock = `${file}.lock`;
  const deadline = Date.now() + 3000;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10_000) rmSync(lock, { force: true });
      else if (Date.now() > deadline) throw new Error(`${lock} is held by another teqlctl`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    return update();
  } finally {
    rmSync(lock, { force: true });
  }
}

function writeEntries(file: string, inventory: readonly string[], entries: Entry[], dir: string): void {
  const temp = `${file}.${process.pid}.new`;
  writePrivateFile(temp, JSON.stringify({ version: 1, inventory: inventory.map(realPath), entries }, null, 1) + '\n');
  renameSync(temp, file);
  // One file per inventory: the oldest go, as old run journals do.
  prune(dir);
}

/**
 * What became of a recorded run: confirmed on some router (play), or undone (rollback), so that a
 * rollback without --run reads the folder of the run the routers will name. A run not recorded
 * (a --check, a record that failed) is left alone; returns a warning when it could not be written.
 */
export function recordRunOutcome(inventory: readonly string[], runId: string, confirmed: boolean, dir = recordDir()): string | undefined {
  try {
    const file = recordFile(inventory, dir);
    // Nothing recorded for this inventory: nothing to mark, and no folder made for it.
    if (readEntries(file).length === 0) return undefined;
    locked(file, dir, () => {
      const entries = readEntries(file);
      const entry = entries.find((e) => e.runIds.includes(runId));
      if (!entry || entry.confirmed!.includes(runId) === confirmed) return;
      entry.confirmed = confirmed ? [runId, ...entry.confirmed!] : entry.confirmed!.filter((r) => r !== runId);
      writeEntries(file, inventory, entries, dir);
    });
    return undefined;
  } catch (err) {
    return `warning: run ${runId} was not recorded as ${confirmed ? 'confirmed' : 'undone'} (${(err as Error).message}): a rollback without --run may read another run's playbook folder, and says so`;
  }
}

/** A folder's group_vars/ or host_vars/, if it still has one; one that cannot be looked at counts as none. */
function hasVars(dir: string): boolean {
  return ['group_vars', 'host_vars'].some((d) => {
    try {
      return statSync(join(dir, d), { throwIfNoEntry: false })?.isDirectory() ?? false;
    } catch {
      return false;
    }
  });
}

/** Which recorded run: the one named, else the latest known confirmed (what `rollback` undoes), else the latest. */
export type RunChoice = { runId: string } | 'latest-confirmed' | 'latest';

/**
 * The playbook folder of the chosen run with this -i (the latest when the one named is not
 * recorded), when it still holds group_vars/ or host_vars/ (else there is nothing of it to read).
 */
export function rememberedPlaybookDir(inventory: readonly string[], choice: RunChoice = 'latest', dir = recordDir()): Remembered | undefined {
  const found = recordedRun(inventory, choice, dir);
  return found && hasVars(dirname(found.playbook)) ? { dir: dirname(found.playbook), ...found } : undefined;
}

function recordedRun(inventory: readonly string[], choice: RunChoice, dir: string): Omit<Remembered, 'dir'> | undefined {
  const entries = readEntries(recordFile(inventory, dir));
  const run = (e: Entry, runId: string) => ({ playbook: e.playbook, runId, confirmed: e.confirmed!.includes(runId), extraNames: e.extra?.[runId] ?? [] });
  if (typeof choice === 'object') {
    const named = entries.find((e) => e.runIds.includes(choice.runId));
    if (named) return run(named, choice.runId);
  }
  if (choice === 'latest-confirmed') {
    // The routers name their latest confirmed run by its id's order (its start time): the same order here.
    const latest = entries.flatMap((e) => e.confirmed!.map((runId) => run(e, runId))).sort((x, y) => (x.runId < y.runId ? 1 : -1))[0];
    if (latest) return latest;
  }
  return entries[0] && run(entries[0], entries[0].runIds[0]!);
}

/** Whether run `runId` is recorded with this -i, and the folder it read (undefined: one without group_vars/ or host_vars/). */
export function recordedRunDir(inventory: readonly string[], runId: string, dir = recordDir()): { dir: string | undefined } | undefined {
  const found = recordedRun(inventory, { runId }, dir);
  if (!found || found.runId !== runId) return undefined;
  return { dir: hasVars(dirname(found.playbook)) ? dirname(found.playbook) : undefined };
}

/**
 * The recorded run this command acts for, only where the record is that run: the run --run names,
 * the latest recorded confirmed (a rollback without --run), or the latest. Not the fallback
 * rememberedPlaybookDir takes (another run's folder, said there): another run's -e is not this one's
 * (a review: `rollback --run X` was refused for the latest run's -e).
 */
export function recordedRunOf(inventory: readonly string[], choice: RunChoice = 'latest', dir = recordDir()): Omit<Remembered, 'dir'> | undefined {
  const found = recordedRun(inventory, choice, dir);
  if (!found) return undefined;
  if (typeof choice === 'object' && found.runId !== choice.runId) return undefined;
  if (choice === 'latest-confirmed' && !found.confirmed) return undefined;
  return found;
}
