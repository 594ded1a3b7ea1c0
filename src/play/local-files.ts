// teqlctl's files on the operator's machine: command logs (cache: $XDG_CACHE_HOME/teqlctl/logs,
// default ~/.cache) and run journals (state: $XDG_STATE_HOME/teqlctl/runs, default ~/.local/state),
// readable by their owner only (files 0600 in folders 0700), the newest KEEP_FILES of each kept.
import { chmodSync, closeSync, existsSync, fchmodSync, fsyncSync, mkdirSync, openSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { ConfigError } from '../errors.js';

/** Logs and journals kept per folder; older ones are removed when a run writes a new one. */
export const KEEP_FILES = 200;

/** The folder for `kind`; an XDG variable counts only when it is an absolute path, as the spec says. */
export function localDir(kind: 'logs' | 'runs', env: NodeJS.ProcessEnv = process.env, home = homedir()): string {
  const [variable, fallback] = kind === 'logs' ? ['XDG_CACHE_HOME', join(home, '.cache')] : ['XDG_STATE_HOME', join(home, '.local', 'state')];
  const base = env[variable];
  return join(base && isAbsolute(base) ? base : fallback, 'teqlctl', kind);
}

/**
 * Creates the folder (and missing parents) with mode 0700; one that exists is made 0700 too. One
 * that cannot be (a file in the way, /proc, no permission) is bad input: exit 2, said before any
 * connection. Component by component: Node's recursive mkdir spins forever under /proc.
 */
export function privateDir(dir: string, what = 'teqlctl\'s folder'): void {
  try {
    const parts = resolve(dir).split(sep);
    for (let i = 2; i <= parts.length; i++) {
      const at = parts.slice(0, i).join(sep) || sep;
      if (!existsSync(at)) {
        try {
          mkdirSync(at, { mode: 0o700 });
        } catch (err) {
          // Another run made it meanwhile (two first runs at once): fine if it is a folder.
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
      }
      if (!statSync(at).isDirectory()) throw new Error(`${at} is not a folder`);
    }
    chmodSync(dir, 0o700);
  } catch (err) {
    throw new ConfigError(`cannot use ${dir} as ${what}: ${(err as Error).message}`, undefined, 'point XDG_CACHE_HOME / XDG_STATE_HOME (or --log) at a folder you can write, or unset them');
  }
}

/** Writes the file 0600 and flushes it to disk (a journal must outlive a crash of this machine). */
export function writePrivateFile(file: string, text: string): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeFileSync(fd, text);
    fchmodSync(fd, 0o600);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Removes all but the `keep` newest files of `dir` (by modification time); returns what was removed. */
export function prune(dir: string, keep = KEEP_FILES): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  // A file another process renames or removes meanwhile (its temporary file) is no failure.
  const files = names.map((n) => ({ path: join(dir, n), st: statSync(join(dir, n), { throwIfNoEntry: false }) })).filter((f): f is { path: string; st: NonNullable<typeof f.st> } => f.st?.isFile() ?? false);
  const old = files.sort((a, b) => b.st.mtimeMs - a.st.mtimeMs || a.path.localeCompare(b.path)).slice(keep);
  for (const f of old) rmSync(f.path, { force: true });
  return old.map((f) => f.path);
}
