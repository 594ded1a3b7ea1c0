// Defaults for a router's connection, from what the operator typed, ~/.ssh/config and the agent. Pure.
// ~/.ssh/config is read as `teqlctl play` reads it (src/connect), so the defaults are what play would use.
import { DEFAULT_IDENTITIES, expandIdentityPath, SshPathError, type LocalEnv as ConnectEnv } from '../connect/resolve-target.js';
import { optionsFor, type SshConfigBlock } from '../connect/ssh-config.js';

/** A path ssh would expand further (a %C, an unset ${VAR}) is shown as written. */
function expandedOr(written: string, expand: () => string): string {
  try {
    return expand();
  } catch (err) {
    if (err instanceof SshPathError) return written;
    throw err;
  }
}

export interface LocalEnv extends ConnectEnv {
  /** SSH_AUTH_SOCK is set. */
  agent: boolean;
}

export interface RouterDefaults {
  host: string;
  port: number;
  user: string;
  /** '' means "the ssh-agent only". */
  keyFile: string;
  become: boolean;
  /** What came from ~/.ssh/config, for the operator to see (`HostName 10.1.1.1`, `Port 2201`, ...). */
  fromConfig: string[];
}

/** `/home/me/.ssh/k` -> `~/.ssh/k`, so an inventory does not carry one person's home path. */
export function tildify(path: string, home: string): string {
  return path.startsWith(home + '/') ? '~' + path.slice(home.length) : path;
}

/** A Port that is not 1..65535 gives no default here (play names the line when it meets it). */
function configPort(text: string | undefined): number | undefined {
  if (!text || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

export function routerDefaults(typed: string, config: readonly SshConfigBlock[], env: LocalEnv): RouterDefaults {
  const o = optionsFor(config, typed);
  const value = (key: string) => o.first.get(key)?.args[0];
  const fromConfig: string[] = [];
  const hostName = value('hostname')?.replace(/%(%|h)/g, (_, k: string) => (k === 'h' ? typed : '%'));
  if (hostName) fromConfig.push(`HostName ${hostName}`);
  const port = configPort(value('port'));
  if (port) fromConfig.push(`Port ${port}`);
  const configUser = value('user');
  if (configUser) fromConfig.push(`User ${configUser}`);
  const host = hostName ?? typed;
  const user = configUser ?? env.localUser;
  // The first IdentityFile that applies: the key play offers first for this alias.
  const identity = o.identityFiles.map((f) => f.args[0]!).find((f) => f.toLowerCase() !== 'none');
  let keyFile = '';
  if (identity) {
    const tokens = { home: env.home, localUser: env.localUser, remoteUser: user, host, port: port ?? 22, alias: typed, ...(env.uid !== undefined ? { uid: env.uid } : {}), ...(env.localHost !== undefined ? { localHost: env.localHost } : {}) };
    // A default to show, not a connection: a path ssh would expand further is shown as written.
    keyFile = tildify(expandedOr(identity, () => expandIdentityPath(identity, tokens, env.vars)), env.home);
    fromConfig.push(`IdentityFile ${identity}`);
  } else {
    const found = DEFAULT_IDENTITIES.map((k) => `${env.home}/.ssh/${k}`).find((p) => env.exists(p));
    if (found) keyFile = tildify(found, env.home);
  }
  return { host, port: port ?? 22, user, keyFile, become: user !== 'root', fromConfig };
}
