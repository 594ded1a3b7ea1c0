// `~user/...` in a key or known_hosts path, as Ansible (os.path.expanduser) and ssh expand it: the
// home folder of that user, from the local password file. Node has no getpwnam; users only a
// directory service knows (LDAP, NIS) are not found here, and such a path is refused, not guessed.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';

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
 * `${NAME}` replaced by the environment's value, as ssh expands it in an identity file (ssh_config(5),
 * ENVIRONMENT VARIABLES), which Ansible hands it as written: taken as text, the key was looked for
 * in a folder named `${HOME}` under the inventory's (a review). One not set stays as written.
 */
export function expandEnv(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.replace(/\$\{([^}]*)\}/g, (all, name: string) => (Object.hasOwn(env, name) ? env[name] : undefined) ?? all);
}

/**
 * Why teqlctl cannot read `path` as ssh would, or undefined: a `~user` it cannot find, one of
 * ssh's % tokens (%d, %u, %h, ...), which ssh expands in identity files and teqlctl does not, or a
 * `${NAME}` not set in the environment (ssh refuses it).
 */
export function pathProblem(path: string, env = true): { why: string; hint: string } | undefined {
  const unset = env ? /\$\{([^}]*)\}/.exec(expandEnv(path))?.[1] : undefined;
  if (unset !== undefined) return { why: `${path} names the environment variable \${${unset}}, which is not set here (ssh would refuse it)`, hint: `set ${unset || 'it'} in the environment teqlctl runs in, or write the path out in full` };
  const user = /^~([^/]+)/.exec(path)?.[1];
  if (user !== undefined && homeOf(user) === undefined) return { why: `the user ${user} of ${path} is not in /etc/passwd, so teqlctl cannot tell its home folder`, hint: 'write the path out in full' };
  if (/%[a-zA-Z%]/.test(path)) return { why: `${path} holds a token (${/%[a-zA-Z%]/.exec(path)![0]}) that ssh expands and teqlctl does not`, hint: 'write the path out in full (e.g. ~/.ssh/... for %d/.ssh/...)' };
  return undefined;
}

/**
 * `~` is the home folder, `~user` that user's (pathProblem refuses one not found); a relative path
 * is relative to the inventory file's folder. `${NAME}` is the environment's, as ssh expands it in an
 * identity file (`env`), not in -F's file.
 */
export function expandPath(given: string, inventoryDir: string, env = true): string {
  const p = env ? expandEnv(given) : given;
  const user = /^~([^/]+)(\/.*)?$/.exec(p);
  const other = user ? homeOf(user[1]!) : undefined;
  const home = p === '~' ? homedir() : p.startsWith('~/') ? resolve(homedir(), p.slice(2)) : other !== undefined ? resolve(other, (user![2] ?? '/').slice(1)) : p;
  if (isAbsolute(home)) return home;
  // Relative to the inventory's folder; where nothing is there but is from the current folder, that
  // one: Ansible hands the path to ssh as written, which reads it from where ansible-playbook runs
  // (keys/ at a repository's root, `-i inventories/prod/hosts`).
  const own = resolve(inventoryDir, home);
  const fromHere = resolve(home);
  return !existsSync(own) && existsSync(fromHere) ? fromHere : own;
}
