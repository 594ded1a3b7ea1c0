// Files appear whole or not at all: each is written to a temporary name beside its target (and
// flushed to disk), and both are renamed at the very end, one right after the other (no await
// between, so no interrupt). A target that is not a regular file is refused before anything is
// written: renaming onto a folder failed after the other file was already in place.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PendingFile {
  path: string;
  text: string;
}

function writeDurably(path: string, text: string): void {
  const fd = openSync(path, 'w', 0o644);
  try {
    writeSync(fd, text);
    fsyncSync(fd); // else a crash right after the rename can leave an empty file under the real name
  } finally {
    closeSync(fd);
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
