// Where, as whom and through which hosts to connect, as OpenSSH resolves it: one `ssh -G` per hop.
// The inventory's values go on its command line (-p, -l, -o ProxyJump), where they win over
// ssh_config, as they do when Ansible runs ssh. Used wherever an ssh client is installed.
import { ConnectError } from '../errors.js';
import type { ConnectionSpec } from '../load/types.js';
import { parsePort, parseProxyJump } from '../load/proxy-jump.js';
import { hostKeyName } from './known-hosts.js';
import { requiredRsaOf } from './hop-settings.js';
import { ignoredSettings } from './ignored-settings.js';
import { isNoneFile, keyFilesOf, SSH_DEFAULT_IDENTITIES } from './default-identities.js';
import { expandIdentityPath, SshPathError } from './identity-path.js';
import { addressFamilyOf, connectTimeoutOf, type Hop, type LocalEnv, type Target } from './resolve-target.js';
import { parseSshG, sshGArgs, type RunSshG, type SshGQuery } from './ssh-g.js';
import { algorithmsOf, reordersHostKeyAlgorithms } from './ssh-algorithms.js';

const MAX_DEPTH = 8;
// What `ssh -G` lists when no IdentityFile applies (readconf.c, fill_default_options): then teqlctl
// offers those of ssh's defaults it can use that exist, as without ssh (default-identities.ts). The list differs by version
// (OpenSSH 8.0: rsa, dsa, ecdsa, ed25519, xmss; 9.2: seven; builds without DSA: six), so a list of
// at least four of these names, and nothing else, is taken for it: nobody writes four of them.
const OPENSSH_DEFAULT_NAMES = new Set(SSH_DEFAULT_IDENTITIES.map((k) => `~/.ssh/${k}`));
// UserKnownHostsFile and GlobalKnownHostsFile as `ssh -G` prints them when ssh_config sets neither:
// OpenSSH 9 prints the user's files with ~ expanded (from the password database, which may not be
// $HOME), older versions with ~.
const isDefaultUserKnownHosts = (line: string) => /^(\S+)\/\.ssh\/known_hosts \1\/\.ssh\/known_hosts2$/.test(line);
const DEFAULT_GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts /etc/ssh/ssh_known_hosts2';
// And in the order of one of those lists: id_dsa second until OpenSSH 9.1, last from 9.2. Four
// default names in another order are the user's own list (a review: ed25519 first was taken for
// the defaults, rsa first offered).
const DSA_SECOND = ['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss'].map((k) => `~/.ssh/${k}`);
const inOrder = (listed: readonly string[], order: readonly string[]) => listed.every((f, i) => i === 0 || order.indexOf(listed[i - 1]!) < order.indexOf(f));
const isOpenSshDefaultList = (listed: readonly string[]) => listed.length >= 4 && new Set(listed).size === listed.length && listed.every((f) => OPENSSH_DEFAULT_NAMES.has(f)) && (inOrder(listed, [...OPENSSH_DEFAULT_NAMES]) || inOrder(listed, DSA_SECOND));

/**
 * IdentityAgent's socket: a path, `$NAME` for an environment variable's value; null for none or a
 * socket that does not exist. ssh -G prints the path expanded already (tokens, ${VAR}, ~): expanded
 * again, `IdentityAgent /tmp/ag%%ent.sock` failed on "%e" (a review). Only a leading ~ of an older
 * ssh is taken as home, as for the known_hosts files.
 */
function agentSocket(opt: string, home: (f: string) => string, env: LocalEnv): string | null {
  if (opt.toLowerCase() === 'none') return null;
  const path = opt.startsWith('$') && !opt.startsWith('${') ? env.vars?.[opt.slice(1)] : home(opt);
  return path !== undefined && path !== '' && env.exists(path) ? path : null;
}

// OpenSSH's own HostKeyAlgorithms (ssh -G without a config), once per ssh: a host's list that
// differs from it other than by + or - is asked for as listed (ssh-algorithms.ts).
const defaults = new WeakMap<RunSshG, Promise<string[]>>();
function defaultHostKeyAlgorithms(run: RunSshG): Promise<string[]> {
  let known = defaults.get(run);
  if (!known) {
    known = run(['-G', '-F', '/dev/null', '--', 'teqlctl-defaults']).then((r) => parseSshG(r.stdout).get('hostkeyalgorithms')?.[0]?.split(',') ?? []);
    defaults.set(run, known);
  }
  return known;
}

export async function resolveWithOpenSsh(name: string, spec: ConnectionSpec, run: RunSshG, env: LocalEnv, configFile?: string): Promise<Target> {
  const fail = (message: string, hint: string) => new ConnectError(name, message, hint);
  const config = spec.sshConfigFile ?? configFile;

  const resolve = async (q: SshGQuery, given: string[], depth: number): Promise<Target> => {
    const args = sshGArgs({ ...q, ...(config !== undefined ? { configFile: config } : {}) });
    const r = await run(args);
    if (r.code !== 0) {
      const said = r.stderr.trim().split('\n').filter((l) => !/^Pseudo-terminal/.test(l)).slice(-2).join(' / ');
      throw fail(`ssh ${args.join(' ')} failed (exit ${r.code ?? 'none'}): ${said || 'no message'}`, `fix the ssh_config it names${config ? ` (${config})` : ' (~/.ssh/config, /etc/ssh/ssh_config)'}, or the host name`);
    }
    const g = parseSshG(r.stdout);
    const one = (k: string) => g.get(k)?.[0];
    const host = one('hostname') ?? q.alias;
    const port = parsePort(one('port'));
    if (port === undefined) throw fail(`ssh -G ${q.alias} gives port ${JSON.stringify(one('port'))}`, 'fix Port in ssh_config');
    const user = one('user') ?? env.localUser;
    // `IdentityFile none` is kept for keyFilesOf: no file, and not ssh's defaults either (a review).
    const listed = g.get('identityfile') ?? [];
    const isDefault = isOpenSshDefaultList(listed);
    const keyAlias = one('hostkeyalias');
    const jump = one('proxyjump');
    const tokens = {
      home: env.home, localUser: env.localUser, remoteUser: user, host, port, alias: q.alias,
      ...(env.uid !== undefined ? { uid: env.uid } : {}), ...(env.localHost !== undefined ? { localHost: env.localHost } : {}),
      ...(keyAlias !== undefined ? { keyAlias } : {}), ...(jump !== undefined && jump.toLowerCase() !== 'none' ? { proxyJump: jump } : {}),
      ...(env.homeOf ? { homeOf: env.homeOf } : {}),
    };
    // ssh -G prints IdentityFile as written: its tokens and ${VAR}s are expanded here, as ssh
    // expands them when it connects; one that cannot be is an error, not a key never found.
    const expand = (f: string) => {
      try {
        return expandIdentityPath(f, tokens, env.vars);
      } catch (err) {
        if (err instanceof SshPathError) throw fail(`ssh_config (for ${q.alias}): ${err.message}`, `fix it in ssh_config${config ? ` (${config})` : ''}, or set the variable`);
        throw err;
      }
    };
    const keyFiles = keyFilesOf([...given, ...(isDefault ? [] : listed.map((f) => (isNoneFile(f) ? f : expand(f))))], env.home, env.exists);
    const agentOpt = one('identityagent');
    // Set in ssh_config: the files ssh would read (and write a new key to), not teqlctl's defaults.
    const userKnown = (g.get('userknownhostsfile') ?? []).join(' ');
    const globalKnown = (g.get('globalknownhostsfile') ?? []).join(' ');
    // Printed expanded by ssh (tokens, and ~ from the password database); older versions print ~.
    const home = (f: string) => (f === '~' ? env.home : f.startsWith('~/') ? env.home + f.slice(1) : f);
    const files = (line: string) => knownHostsPaths(line, (f) => env.exists(home(f))).filter((f) => f.toLowerCase() !== 'none').map(home);
    const defaultKnown = (userKnown === '' || isDefaultUserKnownHosts(userKnown)) && (globalKnown === '' || globalKnown === DEFAULT_GLOBAL_KNOWN_HOSTS);
    const knownHosts = defaultKnown ? undefined : { user: files(userKnown), global: files(globalKnown) };

    const jumps: Hop[] = [];
    const jumpText = one('proxyjump');
    const proxyCommand = one('proxycommand');
    if (jumpText !== undefined && jumpText.toLowerCase() !== 'none') {
      const specs = parseProxyJump(jumpText, env.servicePort);
      if (!specs) throw fail(`ProxyJump "${jumpText}" (for ${q.alias}) is not [user@]host[:port][,...]`, 'fix ProxyJump in ssh_config');
      if (depth >= MAX_DEPTH) throw fail(`ProxyJump goes more than ${MAX_DEPTH} hosts deep from ${name} (a loop?)`, 'fix ProxyJump in ssh_config');
      for (const [i, j] of specs.entries()) {
        // A later entry is reached as `ssh -J <those before> <it>` reaches it: the command line's
        // jump wins over its own ProxyJump and ProxyCommand, which are never used (ProxyJump=none
        // keeps ssh -G from reading them; a review found valid chains refused on them).
        const hop = await resolve({ alias: j.host, ...(j.port ? { port: j.port } : {}), ...(j.user ? { user: j.user } : {}), ...(i > 0 ? { proxyJump: 'none' } : {}) }, [], depth + 1);
        // As `ssh -J a,b` does: only the first entry's own ProxyJump applies; b is reached through a.
        if (i === 0) jumps.push(...hop.jumps);
        const { jumps: _own, ...plain } = hop;
        jumps.push(plain);
      }
    } else if (proxyCommand !== undefined && proxyCommand.toLowerCase() !== 'none') {
      throw fail(`ProxyCommand (for ${q.alias}) is not supported`, 'use ProxyJump [user@]host[:port] instead');
    }
    // Settings that change where a connection comes from or how it logs in, which teqlctl's SSH
    // client cannot follow: refused rather than dropped (a router's ACL may admit only that source).
    const unfollowed = unsupportedSettings(g);
    const { algorithms, unsupported } = algorithmsOf(g);
    if (unsupported.length > 0) {
      const u = unsupported[0]!;
      throw fail(`ssh_config (for ${q.alias}) allows only ${u.name} ${u.listed.join(',')}, none of which teqlctl's SSH client (ssh2) has`, `add one it has for this host (${u.name} +${u.supported[0]}; ssh2 has ${u.supported.join(', ')}), if the router offers it`);
    }
    if (unfollowed.length > 0) throw fail(`ssh_config (for ${q.alias}) sets ${unfollowed.join(', ')}, which teqlctl cannot follow`, `remove ${unfollowed.length > 1 ? 'them' : 'it'} for this host (a Host block of its own, or -F with another config in ansible_ssh_common_args); teqlctl logs in with keys from the system's own source address`);

    return {
      alias: q.alias,
      host,
      port,
      user,
      ...keyFiles,
      hostKeyName: one('hostkeyalias') ?? hostKeyName(host, port),
      ...(one('hostkeyalias') === undefined && port !== 22 ? { hostKeyNameWithoutPort: host } : {}),
      ...(reordersHostKeyAlgorithms(g.get('hostkeyalgorithms')?.[0]?.split(',') ?? [], await defaultHostKeyAlgorithms(run)) ? {} : { hostKeyAlgorithmsAsListed: true }),
      // `SSH_AUTH_SOCK` means the environment's agent, as when IdentityAgent is not set; a socket
      // that does not exist counts as none, as ssh skips it (ssh2 would fail the whole login).
      // `$NAME` (not `${NAME}`): the socket's path is in that environment variable, as ssh reads it.
      ...(agentOpt === undefined || agentOpt === 'SSH_AUTH_SOCK' ? {} : { agent: agentSocket(agentOpt, home, env) }),
      ...(one('stricthostkeychecking') === 'true' ? { strictHostKeys: true } : {}),
      ...(one('hashknownhosts') === 'yes' ? { hashKnownHosts: true } : {}),
      ...requiredRsaOf(one('requiredrsasize')),
      ...connectTimeoutOf(one('connecttimeout')),
      ...addressFamilyOf(one('addressfamily')),
      // As ssh: the command line's -o (the inventory's ssh args) wins, for the host, not its jump hosts.
      ...((depth === 0 ? spec.identitiesOnly : undefined) ?? one('identitiesonly') === 'yes' ? { identitiesOnly: true } : {}),
      ...(knownHosts ? { knownHosts } : {}),
      ...(Object.keys(algorithms).length > 0 ? { algorithms } : {}),
      ...(ignoredSettings(g).length > 0 ? { ignored: ignoredSettings(g) } : {}),
      jumps,
    };
  };

  const target = await resolve({
    alias: spec.host,
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    ...(spec.user !== undefined ? { user: spec.user } : {}),
    ...(spec.proxyJump !== undefined ? { proxyJump: spec.proxyJump } : {}),
  }, [...(spec.privateKeyFile ? [spec.privateKeyFile] : []), ...(spec.argIdentityFiles ?? [])], 0);
  return spec.strictHostKeys ? { ...target, strictHostKeys: true } : target;
}

/** ssh -G's settings that teqlctl cannot follow (ssh -G prints BindAddress, BindInterface and KnownHostsCommand only when set). */
function unsupportedSettings(g: Map<string, string[]>): string[] {
  const out: string[] = [];
  for (const [key, name] of [['bindaddress', 'BindAddress'], ['bindinterface', 'BindInterface'], ['certificatefile', 'CertificateFile']] as const) {
    const v = g.get(key)?.[0];
    if (v !== undefined && v.toLowerCase() !== 'none') out.push(`${name} ${v}`);
  }
  const pubkey = g.get('pubkeyauthentication')?.[0]?.toLowerCase();
  if (pubkey === 'false' || pubkey === 'no') out.push('PubkeyAuthentication no');
  // Keys on a token: teqlctl's client cannot offer them (the agent may log in with another key).
  const p11 = g.get('pkcs11provider')?.[0];
  if (p11 !== undefined && p11.toLowerCase() !== 'none') out.push(`PKCS11Provider ${p11}`);
  // Host keys from a command (a CA's inventory): teqlctl reads known_hosts files only, and would
  // call every router unknown and offer --accept-new, which pins a plain key instead.
  // Keys revoked by a file (plain keys or a binary KRL): not read, so a revoked key would pass.
  const revoked = g.get('revokedhostkeys')?.[0];
  if (revoked !== undefined && revoked.toLowerCase() !== 'none') out.push(`RevokedHostKeys ${revoked}`);
  const khc = g.get('knownhostscommand')?.[0];
  if (khc !== undefined && khc.toLowerCase() !== 'none') out.push(`KnownHostsCommand ${khc}`);
  return out;
}

/**
 * The files of a UserKnownHostsFile or GlobalKnownHostsFile line as `ssh -G` prints it: separated
 * by spaces, but a path with a space in it ("/srv/lab hosts/known", quoted in ssh_config) printed
 * as it is. ssh -G prints each expanded (absolute, or starting with ~ for an older ssh), except a
 * relative one, as written: a word that is neither continues the path before it, so the space
 * stays where ssh_config put it, unless only the two apart are files (`exists`): `~/kh rel/kh3`
 * read as one path left both unread, a @revoked key in either missed (a review, 2026-12-05).
 */
export function knownHostsPaths(line: string, exists: (path: string) => boolean = () => false): string[] {
  const out: string[] = [];
  // Each word with the spaces before it, so that a path keeps its own spaces as they were.
  for (const [, gap, word] of line.matchAll(/( *)([^ ]+)/g)) {
    const starts = word!.startsWith('/') || word!.startsWith('~') || word!.toLowerCase() === 'none';
    const before = out[out.length - 1];
    const apart = before !== undefined && !exists(`${before}${gap}${word}`) && (exists(before) || exists(word!));
    if (!starts && before !== undefined && !apart) out[out.length - 1] += `${gap}${word}`;
    else out.push(word!);
  }
  return out;
}
