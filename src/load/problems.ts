// Collects every input problem of a pass, so the user sees them all at once, in file order.
import { ConfigError, ConfigErrors, type SourcePos } from '../errors.js';

interface Entry {
  message: string;
  pos?: SourcePos;
  hint?: string;
  hosts: string[];
}

export class Problems {
  private readonly entries = new Map<string, Entry>();

  /**
   * Adds a problem. The same message at the same place is kept once; when it is found for several
   * hosts (a task runs per host), the hosts are listed together: "... (hosts router_a, router_b)".
   */
  add(message: string, pos?: SourcePos, hint?: string, host?: string): void {
    const key = `${pos ? `${pos.file}:${pos.line}:${pos.col}` : ''}\0${message}`;
    const known = this.entries.get(key);
    if (known) {
      if (host && !known.hosts.includes(host)) known.hosts.push(host);
      return;
    }
    this.entries.set(key, { message, pos, hint, hosts: host ? [host] : [] });
  }

  get count(): number {
    return this.entries.size;
  }

  errors(): ConfigError[] {
    return [...this.entries.values()]
      .sort(comparePos)
      .map((e) => {
        const hosts = e.hosts.length === 0 ? '' : ` (host${e.hosts.length > 1 ? 's' : ''} ${e.hosts.join(', ')})`;
        return new ConfigError(e.message + hosts, e.pos, e.hint);
      });
  }

  /** Throws a single ConfigError, or ConfigErrors when there are several. */
  throwIfAny(): void {
    const errors = this.errors();
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1) throw new ConfigErrors(errors);
  }
}

function comparePos(a: Entry, b: Entry): number {
  if (!a.pos || !b.pos) return a.pos ? 1 : b.pos ? -1 : 0;
  return a.pos.file.localeCompare(b.pos.file) || a.pos.line - b.pos.line || a.pos.col - b.pos.col;
}
