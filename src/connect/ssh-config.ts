// OpenSSH's client configuration (ssh_config(5)), the part teqlctl honours. Pure: text in, settings out.
// Host blocks with `*`, `?` and `!` patterns; for each keyword the first value obtained wins, except
// IdentityFile, which accumulates. Match blocks and Include are not followed: unfollowedSettings names
// them, and what else ssh would do that this reader cannot, so that a run refuses instead of ignoring.

import { sshKeyword } from '../load/ssh-aliases.js';
import { argvSplit } from '../load/ssh-words.js';

export { argvSplit };

export interface SshConfigOption {
  /** Keyword in lower case. */
  key: string;
  args: string[];
  /** The line after the keyword, unsplit (quotes and a comment kept): ProxyJump and ProxyCommand are read from it, as ssh reads them. */
  raw?: string;
  /** `file:line`, for messages. */
  source: string;
}

export interface SshConfigBlock {
  /** Host patterns; lines before the first Host apply to every host. */
  patterns: string[];
  options: SshConfigOption[];
  /** A Match block: not evaluated, so none of its lines apply (unfollowedSettings names it). */
  match?: true;
  /** `file:line` of the block's Host or Match line. */
  source?: string;
  /** Nothing at all after `Host` (ssh refuses it; `Host # note` it takes, as a block for no host). */
  bare?: true;
  /** A quote on its Host or Match line that does not close: ssh refuses the file ("invalid quotes"). */
  unclosedQuote?: true;
}

/**
 * Words of a line as OpenSSH 9.2's argv_split reads a config line: blanks between words; single
 * and double quotes, anywhere in a word (`a"b c"d` is `ab cd`); a backslash before a quote, a
 * backslash or (outside quotes) a blank takes it as itself (`my\ key`), before anything else it
 * stays; a `#` that starts a word ends the line. (Double quotes around whole words only, until
 * 2026-12-05: `IdentityFile ~/.ssh/my\ key` was refused as two values; a review.)
 */
export function splitWords(text: string): string[] {
  return argvSplit(text).words;
}

export function parseSshConfig(text: string, file: string): SshConfigBlock[] {
  const blocks: SshConfigBlock[] = [{ patterns: ['*'], options: [] }];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    // `Keyword value`, `Keyword=value` and `Keyword = value` are all allowed.
    // A line that is no `Keyword value` (`Port:22`) is kept under its first word, which is then no
    // keyword: refused as ssh refuses it (ssh-keywords.ts), not skipped.
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*(?:=\s*|\s+|$)(.*)$/.exec(line) ?? /^(\S+)\s*(.*)$/.exec(line)!;
    // An older name (IdentityFile2, SmartcardDevice) as the keyword ssh reads it as (ssh-aliases.ts).
    const key = sshKeyword(m[1]!);
    const args = splitWords(m[2]!);
    const unclosed = argvSplit(m[2]!).unclosed ? { unclosedQuote: true as const } : {};
    if (key === 'host') blocks.push({ patterns: args, options: [], source: `${file}:${i + 1}`, ...(m[2] === '' ? { bare: true as const } : {}), ...unclosed });
    else if (key === 'match') blocks.push({ patterns: [], options: [], match: true, source: `${file}:${i + 1}`, ...unclosed });
    else blocks[blocks.length - 1]!.options.push({ key, args, raw: m[2]!, source: `${file}:${i + 1}` });
  });
  return blocks;
}

// Case-sensitive, against the name as given: OpenSSH 9.2 (match_pattern) lowercases the host name
// only after reading its configuration, so `Host R*` applies to `ssh R1`, not to `ssh r1`.
function globMatch(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 's').test(name);
}

/** OpenSSH: a block applies when one pattern matches and no negated pattern does. */
export function hostMatches(patterns: readonly string[], name: string): boolean {
  let hit = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) {
      hit = true;
    }
  }
  return hit;
}

export interface HostOptions {
  /** First value of each keyword that applies to the host (IdentityFile excepted). */
  first: Map<string, SshConfigOption>;
  /** Every IdentityFile that applies, in file order. */
  identityFiles: SshConfigOption[];
}

// One setting in OpenSSH (readconf.c): whichever of ProxyCommand and ProxyJump comes first wins,
// `none` included; the other is then ignored.
const PROXY = ['proxycommand', 'proxyjump'];

/** The options ssh would use for `name`, the host as given on its command line. */
export function optionsFor(blocks: readonly SshConfigBlock[], name: string): HostOptions {
  const first = new Map<string, SshConfigOption>();
  const identityFiles: SshConfigOption[] = [];
  for (const block of blocks) {
    if (block.match || !hostMatches(block.patterns, name)) continue;
    for (const opt of block.options) {
      if (opt.args.length === 0) continue;
      if (opt.key === 'identityfile') identityFiles.push(opt);
      else if (PROXY.includes(opt.key) && PROXY.some((k) => first.has(k))) continue;
      // `ConnectTimeout none` is ssh's own "not set" (-1): a later value still wins (ssh -G of 9.2).
      else if (opt.key === 'connecttimeout' && opt.args[0]!.toLowerCase() === 'none') continue;
      else if (!first.has(opt.key)) first.set(opt.key, opt);
    }
  }
  return { first, identityFiles };
}

/** Names of Host lines written without `*`, `?` or `!`, in file order, each once: what can be typed as a host. */
export function hostAliases(blocks: readonly SshConfigBlock[]): string[] {
  return [...new Set(blocks.flatMap((b) => (b.match ? [] : b.patterns.filter((p) => !/[*?!]/.test(p)))))];
}

/**
 * What the built-in reader (used only where OpenSSH's `ssh -G` is missing) does not follow, but ssh
 * would, for a host whose options are `o`: said, never dropped (a Match block could change its
 * HostName, an Include add a Host block, a known_hosts file or a source address change what is
 * trusted or allowed). `file:line` and the setting: Match blocks, Include, then the settings.
 */
export function unfollowedSettings(blocks: readonly SshConfigBlock[], o: HostOptions): string[] {
  const out = blocks.filter((b) => b.match).map((b) => `${b.source ?? '?'}: Match`);
  const is = (key: string, test: (v: string) => boolean) => {
    const opt = o.first.get(key);
    // The whole value: `UserKnownHostsFile none ~/x` is no none (ssh: "none" must appear alone).
    if (opt && test(opt.args.join(' ').toLowerCase())) out.push(`${opt.source}: ${opt.key} ${opt.args.join(' ')}`);
  };
  is('include', () => true);
  for (const key of ['bindaddress', 'bindinterface', 'certificatefile', 'userknownhostsfile', 'globalknownhostsfile', 'identityagent', 'knownhostscommand', 'pkcs11provider', 'revokedhostkeys']) is(key, (v) => v !== 'none');
  // Algorithm lists with +, - or ^: they apply to ssh's own defaults, which only ssh knows (a list
  // written out is followed as written: resolve-target.ts).
  for (const key of ['ciphers', 'kexalgorithms', 'hostkeyalgorithms', 'macs']) is(key, (v) => /^[+\-^]/.test(v));
  is('pubkeyauthentication', (v) => v === 'no' || v === 'false');
  is('canonicalizehostname', (v) => v !== 'no' && v !== 'false');
  return out;
}
