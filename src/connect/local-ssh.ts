// What the local machine brings to a connection, read once: home, user name, the ssh client (for
// `ssh -G`) or else ~/.ssh/config, ssh-agent. And how one host is resolved with them.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, hostname, tmpdir, userInfo } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { ConfigError, ConnectError } from '../errors.js';
import { readSshConfigText } from './read-ssh-config.js';
import type { ConnectionSpec } from '../load/types.js';
import { resolveWithOpenSsh } from './resolve-openssh.js';
import { resolveTarget, type LocalEnv, type Target } from './resolve-target.js';
import { tcpServicePort } from '../load/tcp-services.js';
import { homeOf } from '../load/user-home.js';
import { parseSshConfig, type SshConfigBlock } from './ssh-config.js';
import { runSshG, type RunSshG } from './ssh-g.js';
import { sshGBroker } from './ssh-g-broker.js';
import { sharedSshG } from './ssh-g-shared.js';
import { readHostLines } from './ssh-config-hosts.js';

export interface LocalSsh {
  env: LocalEnv;
  /** ~/.ssh/config as teqlctl's own parser reads it: used only where there is no ssh client. */
  config: SshConfigBlock[];
  /** The ssh client that resolves hosts (`ssh -G`); absent: the parser above is used. */
  ssh?: string;
  /** -F for `ssh -G`, when ssh would otherwise read another ~/.ssh/config than $HOME's. */
  configFile?: string;
  /** SSH_AUTH_SOCK, when it names a socket that exists (a stale one would fail the whole login). */
  agent?: string;
}

function localUser(): { name: string; home?: string } {
  try {
    const u = userInfo();
    return { name: u.username, home: u.homedir };
  } catch {
    return { name: process.env.USER ?? 'root' };
  }
}

/** The system's ssh_config, which ssh reads after the user's, unless given -F. */
const SYSTEM_CONFIG = '/etc/ssh/ssh_config';

/**
 * The -F for `ssh -G` where $HOME is not the account's home: $HOME's config, and the system's after
 * it, as ssh reads them without -F. -F alone dropped /etc/ssh/ssh_config (a site's ProxyJump, its
 * HashKnownHosts) without a word (a review, 2026-12-05): a file of two Includes in a private temporary
 * folder, made once per process. No system file: $HOME's config itself (or /dev/null).
 */
const wrappers = new Map<string, string>();
function otherHomeConfig(file: string): string {
  const user = existsSync(file) ? file : undefined;
  if (!existsSync(SYSTEM_CONFIG)) return user ?? '/dev/null';
  // ssh checks an included file's owner and mode (another user's, or writable by others: "Bad owner
  // or permissions", ssh -G aborts), not the -F file's: such a file keeps -F alone, as before (a
  // review: root with HOME=/home/alice, as `sudo -E` leaves it).
  if (user && !sshWouldInclude(user)) return user;
  const made = wrappers.get(user ?? '');
  if (made !== undefined && existsSync(made)) return made;
  // ssh_config quotes a path with spaces; Host lines' reader (ssh-config-hosts.ts) gives up on quotes: only where needed.
  const include = (p: string) => `Include ${/\s/.test(p) ? `"${p}"` : p}`;
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-ssh-'));
  const wrapper = join(dir, 'config');
  writeFileSync(wrapper, [...(user ? [include(user)] : []), include(SYSTEM_CONFIG), ''].join('\n'), { mode: 0o600 });
  if (wrappers.size === 0) process.once('exit', () => { for (const w of wrappers.values()) rmSync(dirname(w), { recursive: true, force: true }); });
  wrappers.set(user ?? '', wrapper);
  return wrapper;
}

/** OpenSSH's check of an included config file: owned by root or this user, writable by neither group nor others. */
function sshWouldInclude(path: string): boolean {
  try {
    const st = statSync(path);
    return (st.uid === 0 || st.uid === process.getuid?.()) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** `ssh` on PATH, as a shell would find it. */
export function findSsh(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, 'ssh'), constants.X_OK);
      return join(dir, 'ssh');
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function readLocalSsh(): Promise<LocalSsh> {
  const home = homedir();
  const user = localUser();
  const file = join(home, '.ssh', 'config');
  const text = (await readSshConfigText(file, "the user's ssh_config")) ?? '';
  const sock = process.env.SSH_AUTH_SOCK;
  const ssh = findSsh();
  // ssh takes ~ from the password database, teqlctl from $HOME (known_hosts, keys): where they differ
  // (a test's or a CI job's HOME), ssh is pointed at $HOME's config, so both read the same one.
  const otherHome = user.home !== undefined && user.home !== home;
  return {
    env: { home, localUser: user.name, exists: (p) => existsSync(p), vars: process.env, ...(process.getuid ? { uid: process.getuid() } : {}), localHost: hostname(), servicePort: (name) => tcpServicePort(name), homeOf: (u) => homeOf(u) ?? (u === user.name ? user.home : undefined) ?? nssHome(u) },
    config: parseSshConfig(text, file),
    ...(ssh ? { ssh } : {}),
    ...(ssh && otherHome ? { configFile: otherHomeConfig(file) } : {}),
    ...(sock && existsSync(sock) ? { agent: sock } : {}),
  };
}

/**
 * Resolutions already made with one LocalSsh (one run): the confirmation's new connection, and a
 * second connection to a host for any reason, reuse them, so a fleet spawns one `ssh -G` per hop
 * and host, not one per connection.
 */
const resolved = new WeakMap<LocalSsh, Map<string, Promise<Target>>>();

/** One host's connection: by `ssh -G` where there is an ssh client, else by teqlctl's parser. */
export function resolveHost(name: string, spec: ConnectionSpec, local: LocalSsh): Promise<Target> {
  let made = resolved.get(local);
  if (!made) resolved.set(local, (made = new Map()));
  const key = JSON.stringify([name, spec]);
  let target = made.get(key);
  if (!target) {
    target = resolveUncached(name, spec, local);
    made.set(key, target);
    target.catch(() => made!.delete(key)); // a failure is tried again by the next connection
  }
  return target;
}

/**
 * How this LocalSsh runs `ssh -G`: once per group of hosts ssh_config cannot tell apart
 * (ssh-g-shared.ts); spawned directly for a few, through one helper process once a run has spawned
 * more than BROKER_AFTER (a fleet; see ssh-g-broker.ts).
 */
const BROKER_AFTER = 16;
const runners = new WeakMap<LocalSsh, RunSshG>();

function sshGRunner(local: LocalSsh, binary: string): RunSshG {
  let r = runners.get(local);
  if (!r) {
    let count = 0;
    let broker: RunSshG | undefined;
    const spawnOne: RunSshG = (args) => (++count <= BROKER_AFTER ? runSshG(binary)(args) : (broker ??= sshGBroker(binary))(args));
    runners.set(local, (r = sharedSshG(spawnOne, (rest) => readHostLines(sshConfigFiles(rest), [passwdHome(), homedir()]))));
  }
  return r;
}

/** The files `ssh -G` reads: -F's alone, else the user's (in the account's home, as ssh finds it) and the system's. */
export function sshConfigFiles(args: readonly string[], home = passwdHome()): string[] {
  const f = args.indexOf('-F');
  if (f >= 0) return args[f + 1] === undefined || args[f + 1]!.toLowerCase() === 'none' ? [] : [args[f + 1]!];
  return [join(home, '.ssh', 'config'), '/etc/ssh/ssh_config'];
}

/** ssh's ~: the home directory of the password database, not $HOME. */
function passwdHome(): string {
  return localUser().home ?? homedir();
}

async function resolveUncached(name: string, spec: ConnectionSpec, local: LocalSsh): Promise<Target> {
  if (local.ssh) return resolveWithOpenSsh(name, spec, sshGRunner(local, local.ssh), local.env, local.configFile);
  if (spec.sshConfigFile === undefined) return resolveTarget(name, spec, local.config, local.env);
  let text: string | undefined;
  try {
    text = await readSshConfigText(spec.sshConfigFile, '-F of ansible_ssh_common_args');
  } catch (err) {
    if (err instanceof ConfigError) throw new ConnectError(name, err.message, err.hint);
    throw err;
  }
  if (text === undefined) throw new ConnectError(name, `cannot read the ssh_config file ${spec.sshConfigFile} (-F of ansible_ssh_common_args): ENOENT`, 'check the path');
  return resolveTarget(name, spec, parseSshConfig(text, spec.sshConfigFile), local.env);
}

/**
 * A user's home as ssh finds it (getpwnam, through NSS): `getent passwd` where /etc/passwd has no
 * such user (LDAP, sssd: a review found `IdentityFile ~alice/...` refused for them). Undefined
 * where getent is missing or knows no such user.
 */
function nssHome(user: string): string | undefined {
  if (!/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user)) return undefined;
  const r = spawnSync('getent', ['passwd', user], { encoding: 'utf8', timeout: 5000 });
  const home = r.status === 0 ? r.stdout.split('\n')[0]?.split(':')[5] : undefined;
  return home ? home : undefined;
}
