// Where, as whom and through which hosts to connect, where no ssh client is installed (else
// resolve-openssh.ts asks `ssh -G`): the inventory's connection variables win over ~/.ssh/config, as
// in Ansible (it puts them on ssh's command line). Pure: no file is read here.
import { algorithmsOf, type SshAlgorithms } from './ssh-algorithms.js';
import { ConnectError } from '../errors.js';
import type { ConnectionSpec } from '../load/types.js';
import { hostKeyName } from './known-hosts.js';
import { optionsFor, unfollowedSettings, type SshConfigBlock, type SshConfigOption } from './ssh-config.js';
import { hostNameToken, refusedLines, timeSeconds } from './ssh-config-check.js';
import { sshPort, type ServicePort } from '../load/tcp-services.js';
import { isNoneCommand, proxyJumpOf } from './ssh-proxy-jump.js';
import { unknownKeywords } from './ssh-keywords.js';
import { ignoredOfConfig } from './ignored-settings.js';
import { keyFilesOf } from './default-identities.js';
import { agentOfNone, knownHostsOfNone } from './none-settings.js';
export { DEFAULT_IDENTITIES } from './default-identities.js';
import { expandIdentityPath, SshPathError, type Tokens } from './identity-path.js';
export { expandIdentityPath, SshPathError } from './identity-path.js';
export { parseProxyJump, type JumpSpec } from '../load/proxy-jump.js';
export { addressFamilyOf, connectTimeoutOf } from './hop-settings.js';
import { addressFamilyOf, connectTimeoutOf, requiredRsaOf } from './hop-settings.js';

export interface LocalEnv {
  home: string;
  localUser: string;
  exists: (path: string) => boolean;
  /** The environment, for ${VAR} in ssh_config paths and IdentityAgent $VAR. */
  vars?: Readonly<Record<string, string | undefined>>;
  /** The local user's uid, for %i. */
  uid?: number;
  /** This machine's host name, for %l, %L and %C. */
  localHost?: string;
  /** TCP service names a Port may be written as (`Port ssh`), as ssh reads /etc/services; none if absent. */
  servicePort?: ServicePort;
  /** Another local user's home folder, for `~user/` in IdentityFile. */
  homeOf?: (user: string) => string | undefined;
}

export interface Hop {
  /** The name ssh_config was matched against: ansible_host, the inventory name, or a ProxyJump entry. */
  alias: string;
  host: string;
  port: number;
  user: string;
  /** Key files to offer, in order (`~` and `%` tokens expanded). */
  identityFiles: string[];
  /** identityFiles are OpenSSH's defaults found in ~/.ssh, because none was named (`IdentityFile none`: no file, not the defaults). */
  defaultIdentities: boolean;
  /** Default key files there that teqlctl cannot offer (security keys, XMSS): said at login (default-identities.ts). */
  unusableDefaults?: string[];
  /** Its name in known_hosts: HostKeyAlias, else `host`, or `[host]:port` when the port is not 22. */
  hostKeyName: string;
  /** Without HostKeyAlias, on a port not 22: the bare host, where ssh looks a key up next ("checking without port identifier"). */
  hostKeyNameWithoutPort?: string;
  /** HostKeyAlgorithms written out (or with ^): asked for as listed, as ssh does, not reordered for known_hosts. */
  hostKeyAlgorithmsAsListed?: true;
  /** IdentityAgent: a socket other than SSH_AUTH_SOCK's, or null for none; absent means SSH_AUTH_SOCK. */
  agent?: string | null;
  /** StrictHostKeyChecking yes: a host key never seen is refused, even with --accept-new. */
  strictHostKeys?: true;
  /** IdentitiesOnly yes: the agent offers only keys of identityFiles (identities.ts). */
  identitiesOnly?: true;
  /**
   * UserKnownHostsFile and GlobalKnownHostsFile of ssh_config, where they are not OpenSSH's
   * defaults (`~` and `%` tokens expanded): read instead of ~/.ssh/known_hosts and
   * /etc/ssh/ssh_known_hosts; a key accepted on first use goes into the first user file.
   */
  knownHosts?: { user: string[]; global: string[] };
  /** RequiredRSASize above OpenSSH's own floor (1024): an RSA host key with fewer bits is refused, as ssh refuses it. */
  requiredRsaBits?: number;
  /** HashKnownHosts yes: a key accepted on first use is written with its name hashed, as ssh writes it. */
  hashKnownHosts?: true;
  /** ConnectTimeout: the bound on this hop's TCP connection (the login after it keeps teqlctl's own). */
  connectTimeoutMs?: number;
  /** AddressFamily inet or inet6: the name resolved to that family only. */
  addressFamily?: 'inet' | 'inet6';
  /** KexAlgorithms, Ciphers, HostKeyAlgorithms, MACs of ssh -G, as far as ssh2 has them (ssh-algorithms.ts); ssh2's own without ssh. */
  algorithms?: SshAlgorithms;
  /** ssh_config's settings for a login session that teqlctl's own commands leave out, said when it logs in (ignoredSettings). */
  ignored?: string[];
}

export interface Target extends Hop {
  /** Hosts to pass through first, in order (ProxyJump); empty when the connection is direct. */
  jumps: Hop[];
}

const MAX_DEPTH = 8;

interface Given {
  alias: string;
  port?: number;
  user?: string;
  identityFiles: string[];
  /** -J / -o ProxyJump of the inventory's ssh args: wins over ssh_config's. */
  proxyJump?: string;
}

/** Resolves one host of the inventory: its own settings, then its ProxyJump chain. */
export function resolveTarget(inventoryName: string, spec: ConnectionSpec, config: readonly SshConfigBlock[], env: LocalEnv): Target {
  const fail = (message: string, hint?: string) => new ConnectError(inventoryName, message, hint);

  const resolve = (given: Given, depth: number): Target => {
    const refused = [...refusedLines(config, env.servicePort), ...unknownKeywords(config, given.alias)];
    if (refused.length > 0) throw fail(`ssh_config has lines for which OpenSSH refuses the whole file: ${refused.join('; ')}`, 'fix them, or name a keyword of another ssh in an IgnoreUnknown line before it (ssh itself could not connect with this file)');
    const o = optionsFor(config, given.alias);
    const first = (key: string) => o.first.get(key);
    const unfollowed = unfollowedSettings(config, o);
    if (unfollowed.length > 0) {
      throw fail(`ssh_config (for ${given.alias}) has what teqlctl's own reader of it cannot follow (OpenSSH's ssh, which reads it for teqlctl, is not installed): ${unfollowed.join('; ')}`,
        'install the OpenSSH client (Debian: apt-get install openssh-client), or remove these lines for this host');
    }
    const hostName = first('hostname')?.args[0];
    const badToken = hostNameToken(first('hostname'));
    if (badToken) throw fail(badToken, 'fix HostName in ssh_config');
    // As OpenSSH 9.2 (ssh.c): %h expanded, then the name lowercased, as are HostKeyAlias and known_hosts names.
    const host = (hostName ? hostName.replace(/%(%|h)/g, (_, k: string) => (k === 'h' ? given.alias : '%')) : given.alias).toLowerCase();
    // Checked by refusedLines: a Port written there is one ssh takes (a number or a service name).
    const port = given.port ?? sshPort(first('port')?.args[0] ?? '22', env.servicePort) ?? 22;
    const user = given.user ?? first('user')?.args[0] ?? env.localUser;
    const aliasOpt = first('hostkeyalias')?.args[0]?.toLowerCase();
    const tokens: Tokens = {
      home: env.home, localUser: env.localUser, remoteUser: user, host, port, alias: given.alias,
      ...(env.uid !== undefined ? { uid: env.uid } : {}), ...(env.localHost !== undefined ? { localHost: env.localHost } : {}),
      ...(aliasOpt !== undefined ? { keyAlias: aliasOpt } : {}), ...(env.homeOf ? { homeOf: env.homeOf } : {}),
    };
    const expand = (f: SshConfigOption) => {
      try {
        return expandIdentityPath(f.args[0]!, tokens, env.vars);
      } catch (err) {
        if (err instanceof SshPathError) throw fail(`${f.source}: IdentityFile ${err.message}`, `fix IdentityFile at ${f.source}, or set the variable`);
        throw err;
      }
    };
    // `none` is kept for keyFilesOf: it names no file, and keeps ssh's defaults out (a review).
    const fromConfig = o.identityFiles.map((f) => (f.args[0]!.toLowerCase() === 'none' ? 'none' : expand(f)));
    const keyFiles = keyFilesOf([...given.identityFiles, ...fromConfig], env.home, env.exists);

    const jumps: Hop[] = [];
    const jumpOpt = given.proxyJump !== undefined ? { args: [given.proxyJump], source: 'ansible_ssh_common_args' } : first('proxyjump');
    const proxyCommand = given.proxyJump !== undefined ? undefined : first('proxycommand');
    const jumpUse = jumpOpt && proxyJumpOf(jumpOpt, env.servicePort);
    if (jumpUse && 'problem' in jumpUse) throw fail(jumpUse.problem, 'write it bare, as ProxyJump [user@]host[:port][,...], a comment on a line of its own');
    if (jumpOpt && jumpUse && jumpUse.jumps.length > 0) {
      const specs = jumpUse.jumps;
      // As ssh.c of 9.2: the last entry as written (its user, port: the host's user, 22) is this host.
      const last = specs[specs.length - 1]!;
      if (last.host === host && (last.user ?? user) === user && (last.port ?? 22) === port) throw fail(`${jumpOpt.source}: ProxyJump ${jumpOpt.args[0]} for ${given.alias}: jumphost loop via ${last.host} (the host would be reached through itself; ssh refuses it too)`, 'remove ProxyJump for this host (e.g. ProxyJump none in its own Host block, before the one that sets it)');
      if (depth >= MAX_DEPTH) throw fail(`${jumpOpt.source}: ProxyJump goes more than ${MAX_DEPTH} hosts deep (a loop?)`, 'fix ~/.ssh/config');
      specs.forEach((j, i) => {
        // A later entry's own ProxyJump and ProxyCommand are never used (`ssh -J` reaches it through those before).
        const hop = resolve({ alias: j.host, identityFiles: [], ...(j.port ? { port: j.port } : {}), ...(j.user ? { user: j.user } : {}), ...(i > 0 ? { proxyJump: 'none' } : {}) }, depth + 1);
        // As with `ssh -J a,b`: only the first entry's own ProxyJump applies; b is reached through a.
        if (i === 0) jumps.push(...hop.jumps);
        const { jumps: _own, ...plain } = hop;
        jumps.push(plain);
      });
    } else if (proxyCommand && !isNoneCommand(proxyCommand)) {
      throw fail(`${proxyCommand.source}: ProxyCommand is not supported`, 'use ProxyJump [user@]host[:port] instead');
    }

    // Algorithm lists written out (those with +, - or ^ were refused above), as ssh -G would print them.
    const { algorithms, unsupported } = algorithmsOf(new Map(['kexalgorithms', 'ciphers', 'hostkeyalgorithms', 'macs'].flatMap((k) => (first(k) ? [[k, [first(k)!.args.join(',')]]] : []))));
    if (unsupported[0]) throw fail(`ssh_config (for ${given.alias}) allows only ${unsupported[0].name} ${unsupported[0].listed.join(',')}, none of which teqlctl's SSH client (ssh2) has`, `add one it has (ssh2 has ${unsupported[0].supported.join(', ')})`);
    return {
      ...(Object.keys(algorithms).length > 0 ? { algorithms } : {}),
      alias: given.alias,
      host,
      port,
      user,
      ...keyFiles,
      hostKeyName: aliasOpt ?? hostKeyName(host, port),
      ...(aliasOpt === undefined && port !== 22 ? { hostKeyNameWithoutPort: host } : {}),
      ...(algorithms.serverHostKey ? { hostKeyAlgorithmsAsListed: true as const } : {}),
      ...((depth === 0 ? spec.identitiesOnly : undefined) ?? ['yes', 'true'].includes(first('identitiesonly')?.args[0]?.toLowerCase() ?? '') ? { identitiesOnly: true } : {}),
      // As through ssh -G: never trust a new key for this host, even with --accept-new.
      ...(['yes', 'true'].includes(first('stricthostkeychecking')?.args[0]?.toLowerCase() ?? '') ? { strictHostKeys: true as const } : {}),
      ...(['yes', 'true'].includes(first('hashknownhosts')?.args[0]?.toLowerCase() ?? '') ? { hashKnownHosts: true as const } : {}),
      ...requiredRsaOf(first('requiredrsasize')?.args[0]),
      // In seconds, as ssh -G prints it (ConnectTimeout 1m30s: 90).
      ...connectTimeoutOf(String(timeSeconds(first('connecttimeout')?.args[0] ?? '') ?? 'none')),
      ...addressFamilyOf(first('addressfamily')?.args[0]?.toLowerCase()),
      ...(ignoredOfConfig(config, given.alias).length > 0 ? { ignored: ignoredOfConfig(config, given.alias) } : {}),
      ...knownHostsOfNone(first, env.home),
      ...agentOfNone(first),
      jumps,
    };
  };

  const target = resolve({
    alias: spec.host,
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    ...(spec.user !== undefined ? { user: spec.user } : {}),
    ...(spec.proxyJump !== undefined ? { proxyJump: spec.proxyJump } : {}),
    identityFiles: [...(spec.privateKeyFile ? [spec.privateKeyFile] : []), ...(spec.argIdentityFiles ?? [])],
  }, 0);
  return spec.strictHostKeys ? { ...target, strictHostKeys: true } : target;
}

/** `host:port`, or `[2001:db8::1]:port` for an IPv6 address: for messages, as ssh writes them. */
export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `user@host:port`, or `alias (user@host:port)` when ssh_config renamed it: for messages. */
export function describeHop(hop: Hop): string {
  const where = `${hop.user}@${hostPort(hop.host, hop.port)}`;
  return hop.alias === hop.host ? where : `${hop.alias} (${where})`;
}
