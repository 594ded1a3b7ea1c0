// Defaults for a router's connection, from what the operator typed, ~/.ssh/config and the agent. Pure.
import { expandSshPath, lookupSshHost, type SshConfigBlock } from './ssh-config.js';

export interface LocalEnv {
  home: string;
  localUser: string;
  /** SSH_AUTH_SOCK is set. */
  agent: boolean;
  exists: (path: string) => boolean;
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

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

/** `/home/me/.ssh/k` -> `~/.ssh/k`, so an inventory does not carry one person's home path. */
export function tildify(path: string, home: string): string {
  return path.startsWith(home + '/') ? '~' + path.slice(home.length) : path;
}

export function routerDefaults(typed: string, config: readonly SshConfigBlock[], env: LocalEnv): RouterDefaults {
  const s = lookupSshHost(config, typed);
  const fromConfig: string[] = [];
  if (s.hostName) fromConfig.push(`HostName ${s.hostName}`);
  if (s.port) fromConfig.push(`Port ${s.port}`);
  if (s.user) fromConfig.push(`User ${s.user}`);
  const host = s.hostName ?? typed;
  const user = s.user ?? env.localUser;
  let keyFile = '';
  if (s.identityFile) {
    keyFile = tildify(expandSshPath(s.identityFile, { home: env.home, localUser: env.localUser, remoteUser: user, host }), env.home);
    fromConfig.push(`IdentityFile ${s.identityFile}`);
  } else {
    const found = DEFAULT_KEYS.map((k) => `${env.home}/.ssh/${k}`).find((p) => env.exists(p));
    if (found) keyFile = tildify(found, env.home);
  }
  return { host, port: s.port ?? 22, user, keyFile, become: user !== 'root', fromConfig };
}
