// Collects every input problem of a pass, so the user sees them all at once, in file order.
import { ConfigError, ConfigErrors, type SourcePos } from '../errors.js';
import { clipMessage } from './shown.js';

interface Entry {
  message: string;
  pos?: SourcePos;
  hint?: string;
  hosts: Set<string>;
}

/** Hosts named with one problem; the rest are counted (a fleet of thousands would flood the terminal). */
const MAX_HOSTS_SHOWN = 10;

export class Problems {
  private readonly entries = new Map<string, Entry>();

  /**
   * Adds a problem. The same message at the same place is kept once; when it is found for several
   * hosts (a task runs per host), the hosts are listed together: "... (hosts router_a, router_b)".
   * The message is made one line of at most 1000 characters.
   */
  add(text: string, pos?: SourcePos, hint?: string, host?: string): void {
    const message = clipMessage(text);
    const key = `${pos ? `${pos.file}:${pos.line}:${pos.col}` : ''}\0${message}`;
    const known = this.entries.get(key);
    if (known) {
      if (host) known.hosts.add(host);
      return;
    }
    this.entries.set(key, { message, pos, hint, hosts: new Set(host ? [host] : []) });
  }

  /** Takes in another pass's problems (a host's, kept apart until its host is known to run). */
  absorb(other: Problems): void {
    for (const [key, e] of other.entries) {
      const known = this.entries.get(key);
      if (known) for (const h of e.hosts) known.hosts.add(h);
      else this.entries.set(key, { ...e, hosts: new Set(e.hosts) });
    }
  }

  /** Whether a problem is recorded at `pos` already (a check that would say the same thing again). */
  hasAt(pos: SourcePos): boolean {
    return [...this.entries.values()].some((e) => e.pos?.file === pos.file && e.pos.line === pos.line && e.pos.col === pos.col);
  }

  get count(): number {
    return this.entries.size;
  }

  errors(): ConfigError[] {
    return [...this.entries.values()]
      .sort(comparePos)
      .map((e) => {
        const names = [...e.hosts].slice(0, MAX_HOSTS_SHOWN);
        const more = e.hosts.size > names.length ? ` and ${e.hosts.size - names.length} more` : '';
        const hosts = e.hosts.size === 0 ? '' : ` (host${e.hosts.size > 1 ? 's' : ''} ${names.join(', ')}${more})`;
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
