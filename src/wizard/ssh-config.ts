// A small, pure reader of ~/.ssh/config for the wizard's defaults: Host blocks (with wildcards and
// negation) and the four settings it needs. First value obtained wins, as in OpenSSH.
// Match blocks and Include are not followed: their settings are skipped, never guessed.

export interface SshConfigBlock {
  /** Host patterns; settings before the first Host line apply to every host (`*`). */
  patterns: string[];
  /** Keyword (lower case) and value, in file order. */
  options: Array<[string, string]>;
  /** A Match block: skipped by lookups. */
  match?: boolean;
}

export interface SshHostSettings {
  hostName?: string;
  port?: number;
  user?: string;
  identityFile?: string;
}

/** Splits `Key value`, `Key=value` and `Key "quoted value"`; returns undefined for blank lines and comments. */
function splitLine(raw: string): [string, string] | undefined {
  const line = raw.trim();
  if (!line || line.startsWith('#')) return undefined;
  const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
  if (!m) return undefined;
  return [m[1]!.toLowerCase(), m[2]!.trim()];
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** Words of a value, quotes respected (`Host a "b c"`). */
function words(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

export function parseSshConfig(text: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: ['*'], options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const kv = splitLine(raw);
    if (!kv) continue;
    const [key, value] = kv;
    if (key === 'host') blocks.push({ patterns: words(value), options: [] });
    else if (key === 'match') blocks.push({ patterns: [], options: [], match: true });
    else blocks[blocks.length - 1]!.options.push([key, unquote(value)]);
  }
  return blocks;
}

function glob(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

/** OpenSSH: a host matches when some pattern matches and no negated pattern does. */
export function hostMatches(patterns: readonly string[], name: string): boolean {
  let hit = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (glob(p.slice(1), name)) return false;
    } else if (glob(p, name)) {
      hit = true;
    }
  }
  return hit;
}

/** The settings ssh would use for `alias` (HostName's `%h` expanded; paths left as written). */
export function lookupSshHost(blocks: readonly SshConfigBlock[], alias: string): SshHostSettings {
  const first = new Map<string, string>();
  for (const block of blocks) {
    if (block.match || !hostMatches(block.patterns, alias)) continue;
    for (const [key, value] of block.options) if (!first.has(key)) first.set(key, value);
  }
  const out: SshHostSettings = {};
  const hostName = first.get('hostname');
  if (hostName) out.hostName = hostName.replace(/%h/g, alias).replace(/%%/g, '%');
  const port = first.get('port');
  if (port && /^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535) out.port = Number(port);
  const user = first.get('user');
  if (user) out.user = user;
  const identity = first.get('identityfile');
  if (identity && identity.toLowerCase() !== 'none') out.identityFile = identity;
  return out;
}

/** Aliases written without wildcards: what the operator can type at the host prompt. */
export function sshAliases(blocks: readonly SshConfigBlock[]): string[] {
  return blocks.flatMap((b) => (b.match ? [] : b.patterns.filter((p) => !/[*?!]/.test(p))));
}

export interface PathContext {
  home: string;
  localUser: string;
  remoteUser: string;
  host: string;
}

/** IdentityFile's `~` and tokens (%d home, %u local user, %r remote user, %h host, %%). */
export function expandSshPath(path: string, ctx: PathContext): string {
  const tilde = path === '~' ? ctx.home : path.startsWith('~/') ? ctx.home + path.slice(1) : path;
  return tilde.replace(/%([%dhru])/g, (_, t: string) => ({ '%': '%', d: ctx.home, u: ctx.localUser, r: ctx.remoteUser, h: ctx.host })[t]!);
}
