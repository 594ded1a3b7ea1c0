// Defaults for a router's connection: what `teqlctl play` would resolve for the name the operator
// typed (src/connect: `ssh -G` where an ssh client is installed, so Include, Match and the system
// file apply; else teqlctl's own parser), and what of it came from ssh_config, for the operator to
// see. Pure: the resolution is made by the caller (ask-routers.ts).
import { DEFAULT_IDENTITIES, type LocalEnv as ConnectEnv, type Target } from '../connect/resolve-target.js';

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
  /** What came from ssh_config, for the operator to see (`HostName 10.1.1.1`, `Port 2201`, ...). */
  fromConfig: string[];
  /**
   * The ProxyJump ssh_config gives the name typed, as resolved (`ops@bastion:2022,...`): `host` is
   * then that name, not its HostName, so the wizard connects through the jump hosts and the
   * inventory's ansible_host names the alias, which play resolves the same way (until 2026-12-07 the
   * jump was said and dropped: both connected to the HostName directly, unreachable behind a bastion).
   */
  proxyJump?: string;
}

/** `/home/me/.ssh/k` -> `~/.ssh/k`, so an inventory does not carry one person's home path. */
export function tildify(path: string, home: string): string {
  return path.startsWith(home + '/') ? '~' + path.slice(home.length) : path;
}

/**
 * `resolved`: how play would connect to `typed` with nothing else given; undefined when it could
 * not be resolved (the wizard then asks with OpenSSH's own defaults). `bare`: the same without any
 * ssh_config (`-F /dev/null`): what equals it (ssh's own lower-casing of a name, a `user@host`
 * typed, the user of the password database) is not shown as coming from ssh_config.
 */
export function routerDefaults(typed: string, resolved: Target | undefined, env: LocalEnv, bare?: Target): RouterDefaults {
  const firstDefaultKey = () => DEFAULT_IDENTITIES.map((k) => `${env.home}/.ssh/${k}`).find((p) => env.exists(p));
  if (resolved === undefined) {
    const key = firstDefaultKey();
    return { host: typed, port: 22, user: env.localUser, keyFile: key ? tildify(key, env.home) : '', become: env.localUser !== 'root', fromConfig: [] };
  }
  const fromConfig: string[] = [];
  if (resolved.host !== (bare?.host ?? typed)) fromConfig.push(`HostName ${resolved.host}`);
  if (resolved.port !== (bare?.port ?? 22)) fromConfig.push(`Port ${resolved.port}`);
  if (resolved.user !== (bare?.user ?? env.localUser)) fromConfig.push(`User ${resolved.user}`);
  const named = resolved.defaultIdentities ? undefined : resolved.identityFiles[0];
  if (named !== undefined) fromConfig.push(`IdentityFile ${tildify(named, env.home)}`);
  // IdentityFile none: no key file, not the defaults either (the agent's keys alone, as ssh); a
  // default key was offered as the router's key (a review).
  const none = !resolved.defaultIdentities && resolved.identityFiles.length === 0;
  if (none) fromConfig.push('IdentityFile none');
  const key = none ? undefined : named ?? resolved.identityFiles[0] ?? firstDefaultKey();
  const proxyJump = resolved.jumps.length > 0 ? resolved.jumps.map((j) => `${j.user}@${j.host}:${j.port}`).join(',') : undefined;
  if (proxyJump !== undefined) fromConfig.push(`ProxyJump ${proxyJump}`);
  const host = proxyJump !== undefined ? typed : resolved.host;
  return { host, port: resolved.port, user: resolved.user, keyFile: key ? tildify(key, env.home) : '', become: resolved.user !== 'root', fromConfig, ...(proxyJump !== undefined ? { proxyJump } : {}) };
}
