// `~user/...` in a key or known_hosts path, as Ansible (os.path.expanduser) and ssh expand it: the
// home folder of that user, from the local password file. Node has no getpwnam; users only a
// directory service knows (LDAP, NIS) are not found here, and such a path is refused, not guessed.
import { readFileSync } from 'node:fs';

/** The home folder of `user` in /etc/passwd (or `passwd`, for the tests), undefined if not there. */
export function homeOf(user: string, passwd = '/etc/passwd'): string | undefined {
  let text: string;
  try {
    text = readFileSync(passwd, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f.length >= 7 && f[5]) return f[5];
  }
  return undefined;
}

/**
 * Why teqlctl cannot read `path` as ssh would, or undefined: a `~user` it cannot find, or one of
 * ssh's % tokens (%d, %u, %h, ...), which ssh expands in identity files and teqlctl does not.
 */
export function pathProblem(path: string): { why: string; hint: string } | undefined {
  const user = /^~([^/]+)/.exec(path)?.[1];
  if (user !== undefined && homeOf(user) === undefined) return { why: `the user ${user} of ${path} is not in /etc/passwd, so teqlctl cannot tell its home folder`, hint: 'write the path out in full' };
  if (/%[a-zA-Z%]/.test(path)) return { why: `${path} holds a token (${/%[a-zA-Z%]/.exec(path)![0]}) that ssh expands and teqlctl does not`, hint: 'write the path out in full (e.g. ~/.ssh/... for %d/.ssh/...)' };
  return undefined;
}
