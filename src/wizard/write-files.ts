// Files appear whole or not at all: each is written to a temporary name beside its target (every
// byte, and flushed to disk), and both are renamed at the very end, one right after the other (no
// await between, so no interrupt); then the folders are flushed, so the renames last. A target that
// is not a regular file is refused before anything is written: renaming onto a folder failed after
// the other file was already in place.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PendingFile {
  path: string;
  text: string;
}

function writeDurably(path: string, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const fd = openSync(path, 'w', 0o644);
  try {
    // write(2) may write less than asked (a file size limit, a nearly full disk): a truncated file
    // was renamed over a good one (a review). Loop until every byte is written, or fail.
    for (let done = 0; done < bytes.length;) {
      const n = writeSync(fd, bytes, done, bytes.length - done);
      if (n <= 0) throw Object.assign(new Error(`${path}: only ${done} of ${bytes.length} bytes could be written`), { code: 'EIO' });
      done += n;
    }
    fsyncSync(fd); // else a crash right after the rename can leave an empty file under the real name
  } finally {
    closeSync(fd);
  }
}

/** A rename lasts once its folder is on disk; where a folder cannot be flushed (some filesystems), that is no error. */
function syncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (err) {
    if (!['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP', 'EBADF'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Writes the temporaries; returns a function that commits (renames) them all, and what it renamed. */
export function stageFiles(files: readonly PendingFile[]): { commit: () => void; discard: () => void; renamed: string[] } {
  const staged = files.map((f) => ({ ...f, temp: `${dirname(f.path)}/.${f.path.split('/').pop()}.wizard-${process.pid}.tmp` }));
  const discard = () => { for (const s of staged) rmSync(s.temp, { force: true }); };
  try {
    for (const s of staged) {
      mkdirSync(dirname(s.path), { recursive: true });
      writeDurably(s.temp, s.text);
    }
  } catch (err) {
    discard();
    throw err;
  }
  const renamed: string[] = [];
  const commit = () => {
    try {
      for (const s of staged) {
        renameSync(s.temp, s.path);
        renamed.push(s.path);
      }
      for (const dir of new Set(staged.map((s) => dirname(s.path)))) syncFolder(dir);
    } finally {
      discard(); // what was not renamed: no temporary is left beside the targets
    }
  };
  return { commit, discard, renamed };
}

export function existing(files: readonly PendingFile[]): string[] {
  return files.filter((f) => existsSync(f.path)).map((f) => f.path);
}

/** Targets that exist and are not regular files (a folder, a pipe): never replaced. */
export function notFiles(files: readonly PendingFile[]): string[] {
  const notFile = (path: string) => {
    try {
      return statSync(path, { throwIfNoEntry: false })?.isFile() === false;
    } catch {
      return false; // ENOTDIR: a part of the path is a file; writing says so
    }
  };
  return files.filter((f) => notFile(f.path)).map((f) => f.path);
}
