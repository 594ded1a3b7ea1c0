// One SSH connection (to the target or to a ProxyJump host): strict host key check, trust on first
// use only when allowed, keys then agent, a passphrase asked only when nothing else got in, keepalives.
import type { Duplex } from 'node:stream';
import { NodeSSH } from 'node-ssh';
import type { AnyAuthMethod } from 'ssh2';
import { ConnectError, TeqlError } from '../errors.js';
import { hostKeyRefusal, recordFileFor, recordHostKey } from './host-keys.js';
import { PASSPHRASE_WAYS, parsePrivateKey, planAuth, type AuthPlan } from './identities.js';
import { canonicalBlob, rsaModulusBits } from './key-blob.js';
import { orderHostKeyAlgorithms } from './ssh-algorithms.js';
import { checkHostKeyFor, fingerprint, keyTypeOf, knownKeyTypes, preferKnownTypes, type HostKeyVerdict, type KnownHostEntry } from './known-hosts.js';
import { describeHop, DEFAULT_IDENTITIES, hostPort, type Hop } from './resolve-target.js';
import { unusableDefaultNotes } from './default-identities.js';
import { connectTcp } from './tcp-connect.js';

export interface HopContext {
  inventoryName: string;
  home: string;
  knownHosts: KnownHostEntry[];
  knownHostsFiles: string[];
  agent?: string;
  keyPassphrase?: string;
  askKeyPassphrase?: (file: string) => Promise<string>;
  /** `jumpHost`: the key is a ProxyJump hop's, not the router's own. */
  onUnknownHostKey?: (fingerprint: string, hostLabel: string, jumpHost: boolean) => Promise<boolean>;
  unknownHostHint?: (fingerprint: string) => string;
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Says what the login left out although it got in (a key file named but not usable), as ssh warns of it. */
  warn?: (line: string) => void;
}

type Attempt =
  | { kind: 'ok'; ssh: NodeSSH }
  | { kind: 'host key'; refusal: ConnectError; unknownKey?: Buffer }
  | { kind: 'auth failed'; tooMany?: true }
  | { kind: 'error'; error: Error };

function noKeyError(ctx: HopContext, hop: Hop, plan: AuthPlan): ConnectError {
  const where = describeHop(hop);
  if (plan.locked.length > 0) {
    return new ConnectError(ctx.inventoryName, `cannot log in to ${where}: ${plan.locked.map((l) => l.file).join(', ')} is encrypted and no passphrase was given${plan.notes.length ? `; ${plan.notes.join('; ')}` : ''}`, PASSPHRASE_WAYS);
  }
  const why = plan.notes.length > 0 ? plan.notes.join('; ')
    : hop.defaultIdentities ? `no key file is named, none of ~/.ssh/${DEFAULT_IDENTITIES.join(', ')} exists, and ${hop.agent === null ? 'ssh_config leaves the agent out (IdentityAgent none, or a socket that is not there)' : 'no ssh-agent runs (SSH_AUTH_SOCK)'}`
      // IdentityFile none: no file and no default, as ssh (a review); only an agent could log in.
      : hop.identityFiles.length === 0 ? 'ssh_config sets IdentityFile none (no key file, not even ~/.ssh/id_*), and no ssh-agent is asked' : 'no usable key';
  // A key was named but cannot be used: the fix is its path or its mode, not naming one.
  const hint = plan.notes.length > 0
    ? 'fix the key file named by ansible_ssh_private_key_file (or IdentityFile in ~/.ssh/config, -i in ansible_ssh_common_args): its path, or its mode (chmod 600)'
    : 'set ansible_ssh_private_key_file (or IdentityFile in ~/.ssh/config), or add a key to ssh-agent';
  return new ConnectError(ctx.inventoryName, `cannot log in to ${where}: ${why}`, hint);
}

function authError(ctx: HopContext, hop: Hop, plan: AuthPlan, asked: boolean, tooMany = false): ConnectError {
  const notes = [...plan.notes, ...(asked ? [] : plan.locked.map((l) => `${l.file} is encrypted and no passphrase was given`))];
  // sshd hangs up after MaxAuthTries keys (6 by default): an agent with many keys spends them all.
  if (tooMany) {
    return new ConnectError(
      ctx.inventoryName,
      `authentication as ${hop.user} to ${describeHop(hop)} failed: the server hung up after too many keys (its MaxAuthTries) (offered: ${plan.offered.join(', ') || 'nothing'})${notes.length ? `; ${notes.join('; ')}` : ''}`,
      hop.identitiesOnly ? 'check ansible_user and the key files named' : 'set IdentitiesOnly yes for this host in ~/.ssh/config (or -o IdentitiesOnly=yes in ansible_ssh_common_args), so that only the key files named are offered',
    );
  }
  return new ConnectError(
    ctx.inventoryName,
    `authentication as ${hop.user} to ${describeHop(hop)} failed (offered: ${plan.offered.join(', ') || 'nothing'})${notes.length ? `; ${notes.join('; ')}` : ''}`,
    !asked && plan.locked.length > 0 ? PASSPHRASE_WAYS : 'check ansible_user and ansible_ssh_private_key_file (or User/IdentityFile in ~/.ssh/config), or the keys in ssh-agent',
  );
}

async function unlockLocked(ctx: HopContext, hop: Hop, plan: AuthPlan): Promise<AnyAuthMethod[]> {
  const out: AnyAuthMethod[] = [];
  for (const locked of plan.locked) {
    let passphrase: string;
    try {
      passphrase = await ctx.askKeyPassphrase!(locked.file);
    } catch (err) {
      if (err instanceof TeqlError) throw err;
      throw new ConnectError(ctx.inventoryName, `no passphrase for ${locked.file}: ${(err as Error).message}`, PASSPHRASE_WAYS);
    }
    const state = parsePrivateKey(locked.file, locked.text, passphrase);
    if (state.kind !== 'ready') throw new ConnectError(ctx.inventoryName, state.kind === 'unusable' ? state.why : `${locked.file} is still locked`, 'check the passphrase');
    out.push({ type: 'publickey', username: hop.user, key: state.key });
    plan.offered.push(locked.file);
  }
  return out;
}

async function attempt(ctx: HopContext, hop: Hop, methods: AnyAuthMethod[], sock?: Duplex): Promise<Attempt> {
  const ssh = new NodeSSH();
  let verdict: HostKeyVerdict | undefined;
  let seen: Buffer | undefined;
  const knownTypes = knownKeyTypes(ctx.knownHosts, hop.hostKeyName);
  const preferred = hop.algorithms?.serverHostKey ? undefined : preferKnownTypes(knownTypes);
  // ssh_config's lists (ssh -G); host key algorithms reordered for the types known, as ssh does, unless written out.
  const configured = hop.algorithms ? { ...hop.algorithms, ...(hop.algorithms.serverHostKey ? { serverHostKey: hop.hostKeyAlgorithmsAsListed ? hop.algorithms.serverHostKey : orderHostKeyAlgorithms(hop.algorithms.serverHostKey, knownTypes) } : {}) } : undefined;
  try {
    // ConnectTimeout bounds the TCP connection alone, as in ssh (tcp-connect.ts); a jump's stream is made already.
    const stream = sock ?? (hop.connectTimeoutMs ? await connectTcp(hop.host, hop.port, hop.connectTimeoutMs, hop.addressFamily) : undefined);
    await ssh.connect({
      host: hop.host,
      port: hop.port,
      username: hop.user,
      ...(stream ? { sock: stream } : {}),
      authHandler: methods,
      readyTimeout: ctx.readyTimeoutMs,
      // AddressFamily of ssh_config: the name resolved to that family only, as ssh does.
      ...(hop.addressFamily === 'inet' ? { forceIPv4: true } : hop.addressFamily === 'inet6' ? { forceIPv6: true } : {}),
      keepaliveInterval: ctx.keepaliveIntervalMs,
      keepaliveCountMax: ctx.keepaliveCountMax,
      // @types/ssh2 lists algorithm names only; ssh2 also takes RegExps (lib/utils.js, generateAlgorithmList).
      ...(preferred || configured ? {
        algorithms: {
          ...configured,
          ...(preferred ? { serverHostKey: preferred as NonNullable<NonNullable<Parameters<NodeSSH['connect']>[0]['algorithms']>['serverHostKey']> } : {}),
        } as NonNullable<Parameters<NodeSSH['connect']>[0]['algorithms']>,
      } : {}),
      hostVerifier: (key: Buffer) => {
        seen = key;
        const bits = hop.requiredRsaBits === undefined ? undefined : rsaModulusBits(key);
        verdict = bits !== undefined && bits < hop.requiredRsaBits! ? { kind: 'small', bits, required: hop.requiredRsaBits! } : checkHostKeyFor(ctx.knownHosts, hop.hostKeyName, hop.hostKeyNameWithoutPort, key);
        return verdict.kind === 'match';
      },
    });
    // An error after connect() resolved would crash Node without a listener; the transport adds its own.
    ssh.connection?.on('error', () => undefined);
    // Each round trip is a few small writes: without TCP_NODELAY, Nagle's algorithm holds them back
    // for the peer's delayed ACK. (A hop through a jump host is a channel, not a socket: a no-op.)
    ssh.connection?.setNoDelay(true);
    return { kind: 'ok', ssh };
  } catch (err) {
    ssh.dispose();
    if (verdict && verdict.kind !== 'match' && seen) {
      const hint = ctx.unknownHostHint?.(fingerprint(seen));
      return { kind: 'host key', refusal: hostKeyRefusal(ctx.inventoryName, hop, verdict, seen, ctx.knownHostsFiles, hint), ...(verdict.kind === 'unknown' ? { unknownKey: seen } : {}) };
    }
    const e = err as Error & { level?: string };
    if (e.level === 'client-authentication' || /authentication methods failed/i.test(e.message)) return { kind: 'auth failed' };
    if (/too many authentication failures/i.test(e.message)) return { kind: 'auth failed', tooMany: true };
    return { kind: 'error', error: e };
  }
}

/** `sock` gives a fresh stream through the previous hop for each attempt (a retry needs a new one). */
export async function connectHop(ctx: HopContext, hop: Hop, role: string, sock?: () => Promise<Duplex>): Promise<NodeSSH> {
  // IdentityAgent of ssh_config (through `ssh -G`) names another agent, or none.
  const agent = hop.agent === null ? undefined : (hop.agent ?? ctx.agent);
  const plan = await planAuth(hop.user, hop.identityFiles, agent, ctx.keyPassphrase, hop.identitiesOnly === true);
  // A default security key or XMSS key ssh would offer: said, not skipped silently (a review).
  plan.notes.push(...unusableDefaultNotes(hop.unusableDefaults));
  let methods = plan.methods;
  let asked = false;
  const canAsk = plan.locked.length > 0 && ctx.askKeyPassphrase !== undefined;
  if (methods.length === 0) {
    if (!canAsk) throw noKeyError(ctx, hop, plan);
    methods = await unlockLocked(ctx, hop, plan);
    asked = true;
  }
  let trusted = false;
  for (;;) {
    const r = await attempt(ctx, hop, methods, sock ? await sock() : undefined);
    if (r.kind === 'ok') {
      // Another key or the agent got in: the key the user named is still not what logged in.
      for (const n of plan.notes) ctx.warn?.(`${ctx.inventoryName}: warning: ${n} (logged in to ${describeHop(hop)} without it)`);
      for (const n of hop.ignored ?? []) ctx.warn?.(`${ctx.inventoryName}: warning: ssh_config (for ${hop.alias}) sets ${n}`);
      return r.ssh;
    }
    if (r.kind === 'host key') {
      // Asked after hanging up: a person may take longer than readyTimeout or sshd's LoginGraceTime.
      if (!r.unknownKey || trusted || !ctx.onUnknownHostKey || hop.strictHostKeys) throw r.refusal;
      if (!(await ctx.onUnknownHostKey(fingerprint(r.unknownKey), hop.hostKeyName, role !== ''))) throw r.refusal;
      const into = recordFileFor(ctx.home, hop);
      const file = into === undefined ? 'this run only (ssh_config: UserKnownHostsFile none)' : await recordHostKey(into, hop.hostKeyName, r.unknownKey, hop.hashKnownHosts === true);
      if (into === undefined) ctx.warn?.(`${ctx.inventoryName}: warning: the host key of ${hop.hostKeyName} is trusted for this run only: ssh_config sets UserKnownHostsFile none for ${hop.alias}, so it is recorded nowhere`);
      // A new array: the one loaded is shared by every connection of the run (host-keys.ts).
      ctx.knownHosts = [...ctx.knownHosts, { patterns: [hop.hostKeyName], keyType: keyTypeOf(r.unknownKey), key: canonicalBlob(r.unknownKey) ?? r.unknownKey.toString('base64'), source: file }];
      // Connect again with the key now known: a host that shows another key this time is refused.
      trusted = true;
      continue;
    }
    if (r.kind === 'auth failed') {
      if (!asked && canAsk) {
        methods = await unlockLocked(ctx, hop, plan);
        asked = true;
        continue;
      }
      throw authError(ctx, hop, plan, asked, r.tooMany === true);
    }
    // No algorithm in common: teqlctl offered what ssh_config allows (as ssh would), ssh2's own without ssh.
    const hint = /no matching/i.test(r.error.message)
      ? `the router offers none of the ${hop.algorithms ? 'algorithms ssh_config allows for this host (`ssh -G ' + hop.alias + '` lists them)' : "algorithms teqlctl's SSH client has"}: \`ssh -vv ${hop.alias}\` shows the router's; add one with + (e.g. HostKeyAlgorithms +ssh-rsa) in a Host block of its own`
      : `check that ${hostPort(hop.host, hop.port)} is reachable and runs sshd`;
    throw new ConnectError(ctx.inventoryName, `cannot connect to ${role}${describeHop(hop)}: ${r.error.message}`, hint);
  }
}
