// The Host lines of every ssh_config file `ssh -G` could read, Includes followed: what tells one
// host name from another in OpenSSH's configuration when nothing else does (no Match block, no
// hostname canonicalization). ssh-g-shared.ts groups a fleet's hosts by the Host lines they match.
// Reading more files than ssh does only splits hosts apart further; reading fewer could put
// together hosts that ssh tells apart, so anything this reader cannot follow exactly gives up
// (undefined), and every host then gets its own `ssh -G`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { splitWords } from './ssh-config.js';

/** Each Host line's patterns, in the order of the files; undefined: the configuration may tell hosts apart otherwise. */
export type HostLines = string[][];

const MAX_INCLUDE_DEPTH = 16; // OpenSSH's READCONF_MAX_DEPTH

/** A glob of `*` and `?` (OpenSSH's match_pattern, and glob(3) in a file name). */
export function globMatch(pattern: string, name: string, ignoreCase = false): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, ignoreCase ? 'is' : 's').test(name);
}

/**
 * The files an `Include` argument names. Relative paths are looked for in both ~/.ssh (a user
 * file's) and /etc/ssh (a system file's), and ~ in every home given: ssh reads the user's file from
 * the account's home but expands an Include's ~ by glob(3), from $HOME (a review found a host of an
 * included file grouped with others where $HOME was not the account's home). More than ssh reads
 * is safe. A wildcard before the last component, a token or a variable: not followed (undefined).
 */
function includedFiles(arg: string, homes: readonly string[]): string[] | undefined {
  // A token, a variable, or another account's home (~name/).
  if (/[%$]/.test(arg) || (arg.startsWith('~') && arg !== '~' && !arg.startsWith('~/'))) return undefined;
  const paths = arg === '~' ? [...homes] : arg.startsWith('~/') ? homes.map((h) => join(h, arg.slice(2))) : [arg];
  const candidates = paths.flatMap((path) => (isAbsolute(path) ? [path] : [...homes.map((h) => join(h, '.ssh', path)), join('/etc/ssh', path)]));
  const out: string[] = [];
  for (const c of candidates) {
    if (/[*?[]/.test(dirname(c))) return undefined;
    const name = basename(c);
    if (!/[*?[]/.test(name)) {
      out.push(c);
      continue;
    }
    if (name.includes('[')) return undefined;
    let entries: string[];
    try {
      entries = readdirSync(dirname(c));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
      return undefined;
    }
    // glob(3) leaves out dot files unless the pattern starts with a dot: taken anyway (more is safe).
    out.push(...entries.filter((e) => globMatch(name, e)).sort().map((e) => join(dirname(c), e)));
  }
  return out;
}

function readLines(file: string, homes: readonly string[], depth: number, out: HostLines): boolean {
  if (depth > MAX_INCLUDE_DEPTH) return false;
  let text: string;
  try {
    // A named pipe (or a device) would hold this synchronous read, and the whole run, forever.
    if (!statSync(file).isFile() && file !== '/dev/null') return false;
    text = readFileSync(file, 'utf8');
  } catch (err) {
    // ssh skips a missing user or included file; one it may read and this reader cannot: give up.
    return (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'EISDIR';
  }
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+|$)(.*)$/.exec(line);
    if (!m) return false;
    const key = m[1]!.toLowerCase();
    // ssh's own quoting (single quotes, quotes inside a word, backslashes) is not this reader's.
    if ((key === 'host' || key === 'include') && /['"\\]/.test(m[2]!)) return false;
    const args = splitWords(m[2]!);
    if (key === 'host') out.push(args);
    // Match may test anything (exec, the user, the network); canonicalization asks DNS and reads the
    // file again, and CanonicalizePermittedCNAMEs alone makes ssh look every host up.
    else if (key === 'match') return false;
    else if (key.startsWith('canonical') && !['no', 'none', 'false'].includes((args[0] ?? '').toLowerCase())) return false;
    else if (key === 'include') {
      for (const arg of args) {
        const files = includedFiles(arg, homes);
        if (!files || !files.every((f) => readLines(f, homes, depth + 1, out))) return false;
      }
    }
  }
  return true;
}

/**
 * The Host lines of `files` (as ssh reads them for one `ssh -G`: the -F file, or the user's and the
 * system's), `home` the account's home directory and $HOME where it differs (ssh's ~, see
 * includedFiles). Undefined: not sure enough to group hosts.
 */
export function readHostLines(files: readonly string[], home: string | readonly string[]): HostLines | undefined {
  const out: HostLines = [];
  const homes = [...new Set(typeof home === 'string' ? [home] : home)];
  for (const f of files) if (!readLines(f, homes, 0, out)) return undefined;
  return out;
}

/** Which of the Host lines a name matches, both case-sensitively and not (the stricter of the two readings). */
export function hostLineKey(lines: HostLines, name: string): string {
  const matches = (ignoreCase: boolean) => lines.map((patterns) => {
    let hit = false;
    for (const p of patterns) {
      if (p.startsWith('!')) {
        if (globMatch(p.slice(1), name, ignoreCase)) return '0';
      } else if (globMatch(p, name, ignoreCase)) hit = true;
    }
    return hit ? '1' : '0';
  }).join('');
  return `${matches(false)}/${matches(true)}`;
}
