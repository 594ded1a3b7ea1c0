// IdentityFile's path as ssh expands it when it connects: `~`, ${VAR} and the % tokens. Pure.
import { createHash } from 'node:crypto';

export interface Tokens {
  home: string;
  localUser: string;
  remoteUser: string;
  host: string;
  port: number;
  alias: string;
  /** The local user's uid (%i). */
  uid?: number;
  /** This machine's host name, with its domain (%l; %L is its first part; %C hashes it). */
  localHost?: string;
  /** HostKeyAlias, where set (%k). */
  keyAlias?: string;
  /** ProxyJump, where set (%j). */
  proxyJump?: string;
  /** Another local user's home folder, for `~user/` (ssh asks the password database); undefined: no such user. */
  homeOf?: (user: string) => string | undefined;
}

/** A token or environment variable in an ssh_config path that teqlctl cannot expand as ssh would. */
export class SshPathError extends Error {}

/**
 * IdentityFile as ssh expands it when it connects (`ssh -G` prints it as written; IdentityAgent it
 * prints expanded, so that is not expanded again: resolve-openssh.ts): `~`, then in one pass `${VAR}` from the environment (`vars`; unset is an error, as in
 * ssh) and the tokens OpenSSH 9.2 takes there: %% %C %d %h %i %k %L %l %n %p %r %u (and %j of later
 * versions). %C is the SHA-1 of %l%h%p%r, as in 9.2 (9.4 adds %j to it). Any other token is an
 * error naming it, where ssh would refuse too: never a path with a literal % in it.
 */
export function expandIdentityPath(path: string, t: Tokens, vars: Readonly<Record<string, string | undefined>> = {}): string {
  const tilde = expandTilde(path, t);
  const local = t.localHost ?? '';
  const map: Record<string, string | undefined> = {
    '%': '%', d: t.home, u: t.localUser, r: t.remoteUser, h: t.host, p: String(t.port), n: t.alias,
    i: t.uid !== undefined ? String(t.uid) : undefined,
    l: t.localHost, L: t.localHost?.split('.')[0],
    k: t.keyAlias ?? t.alias, j: t.proxyJump ?? '',
    C: t.localHost !== undefined ? createHash('sha1').update(`${local}${t.host}${t.port}${t.remoteUser}`).digest('hex') : undefined,
  };
  return tilde.replace(/\$\{([^}]*)\}|%(.?)/g, (whole: string, name: string | undefined, k: string | undefined) => {
    if (name !== undefined) {
      const v = vars[name];
      if (v === undefined) throw new SshPathError(`${path}: environment variable \${${name}} is not set`);
      return v;
    }
    const v = map[k ?? ''];
    if (v === undefined) throw new SshPathError(`${path}: the token ${whole} is not one ssh expands here (%% %C %d %h %i %k %L %l %n %p %r %u)`);
    return v;
  });
}

/**
 * `~`, `~/...` and `~user/...` as OpenSSH's tilde_expand_filename, before the tokens: a user not
 * found is an error, as in ssh, never a path read from the current folder (a review found
 * `IdentityFile ~deploy/.ssh/id_ed25519` looked for as written, the key not offered).
 */
function expandTilde(path: string, t: Tokens): string {
  if (path === '~' || path.startsWith('~/')) return t.home + path.slice(1);
  const other = /^~([^/]+)(\/.*)?$/.exec(path);
  if (!other) return path;
  const home = t.homeOf?.(other[1]!);
  if (home === undefined) throw new SshPathError(`${path}: no user ${other[1]} on this machine (ssh reads ~${other[1]} as that user's home folder)`);
  return home.replace(/\/+$/, '') + (other[2] ?? '');
}
