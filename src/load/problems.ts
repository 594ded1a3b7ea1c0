// Collects every input problem of a pass, so the user sees them all at once, in file order.
import { ConfigError, ConfigErrors, type SourcePos } from '../errors.js';

export class Problems {
  private readonly list: ConfigError[] = [];
  private readonly seen = new Set<string>();

  /** Adds a problem; the same message at the same place (e.g. once per host) is kept once. */
  add(message: string, pos?: SourcePos, hint?: string): void {
    const key = `${pos ? `${pos.file}:${pos.line}:${pos.col}` : ''}\0${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(new ConfigError(message, pos, hint));
  }

  get count(): number {
    return this.list.length;
  }

  /** Throws a single ConfigError, or ConfigErrors when there are several. */
  throwIfAny(): void {
    if (this.list.length === 0) return;
    const sorted = [...this.list].sort(comparePos);
    if (sorted.length === 1) throw sorted[0];
    throw new ConfigErrors(sorted);
  }
}

function comparePos(a: ConfigError, b: ConfigError): number {
  if (!a.pos || !b.pos) return a.pos ? 1 : b.pos ? -1 : 0;
  return a.pos.file.localeCompare(b.pos.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col;
}
