// Small fixtures written to a temporary folder, and the ConfigErrors of a call as a flat list.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigError, ConfigErrors } from '../../src/errors.js';

/** Writes `files` (relative path -> text) into a new temporary folder and returns the folder. */
export function writeCase(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-load-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text.replace(/^\n/, ''));
  }
  return dir;
}

export function errorsOf(fn: () => unknown): ConfigError[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigErrors) return err.errors;
    if (err instanceof ConfigError) return [err];
    throw err;
  }
  return [];
}
