// Files appear whole or not at all: each is written to a temporary name beside its target, and
// both are renamed at the very end, one right after the other (no await between, so no interrupt).
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface PendingFile {
  path: string;
  text: string;
}

/** Writes the temporaries; returns a function that commits (renames) them all. */
export function stageFiles(files: readonly PendingFile[]): { commit: () => void; discard: () => void } {
  const staged = files.map((f) => ({ ...f, temp: `${dirname(f.path)}/.${f.path.split('/').pop()}.wizard-${process.pid}.tmp` }));
  const discard = () => { for (const s of staged) rmSync(s.temp, { force: true }); };
  try {
    for (const s of staged) {
      mkdirSync(dirname(s.path), { recursive: true });
      writeFileSync(s.temp, s.text, { mode: 0o644 });
    }
  } catch (err) {
    discard();
    throw err;
  }
  return { commit: () => { for (const s of staged) renameSync(s.temp, s.path); }, discard };
}

export function existing(files: readonly PendingFile[]): string[] {
  return files.filter((f) => existsSync(f.path)).map((f) => f.path);
}
