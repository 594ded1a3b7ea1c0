// SSH transport over node-ssh: one connection per host for the whole run, strict host keys,
// scripts sent on stdin (never in argv), become through sudo with the password on stdin only.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NodeSSH } from 'node-ssh';
import { ConnectError } from '../errors.js';
import type { ConnectionSpec } from '../load/types.js';
import { checkHostKey, fingerprint, hostKeyName, keyTypeOf, parseKnownHosts, type HostKeyVerdict, type KnownHostEntry } from './known-hosts.js';
import type { CommandResult, Transport, TransportStats } from './transport.js';

export interface ConnectOptions {
  /** Become password for sudo when the inventory asks for become and sudo needs one. */
  becomePassword?: string;
  readyTimeoutMs?: number;
  /**
   * Trust on first use: asked only for a key that no known_hosts file has for this host (a changed
   * or revoked key is always refused). True appends it to ~/.ssh/known_hosts and connects.
   */
  onUnknownHostKey?: (fingerprint: string, hostLabel: string) => Promise<boolean>;
}

/** Appends `[host]:port type base64` (OpenSSH's own format) to ~/.ssh/known_hosts. */
async function trustHostKey(host: string, port: number, key: Buffer): Promise<void> {
  const dir = join(homedir(), '.ssh');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await appendFile(join(dir, 'known_hosts'), `${hostKeyName(host, port)} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
}

async function knownHostEntries(spec: ConnectionSpec): Promise<KnownHostEntry[]> {
  const files = [join(homedir(), '.ssh', 'known_hosts'), ...(spec.knownHostsFile ? [spec.knownHostsFile] : [])];
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    if (existsSync(file)) entries.push(...parseKnownHosts(await readFile(file, 'utf8'), file));
  }
  return entries;
}

function hostKeyError(name: string, spec: ConnectionSpec, port: number, verdict: HostKeyVerdict, seen: string): ConnectError {
  const where = port === 22 ? spec.host : `[${spec.host}]:${port}`;
  if (verdict.kind === 'mismatch') {
    return new ConnectError(name, `HOST KEY CHANGED for ${where}: it presents ${seen}, but ${verdict.source} says ${verdict.expected}. Someone may be intercepting the connection, or the router was reinstalled.`, `verify the new key out of band, then remove the old line (ssh-keygen -R '${where}') and accept the new key`);
  }
  if (verdict.kind === 'revoked') return new ConnectError(name, `host key of ${where} (${seen}) is marked @revoked in ${verdict.source}`);
  return new ConnectError(name, `unknown host key for ${where}: ${seen} is in no known_hosts file`, `check the fingerprint out of band, then add it: ssh-keyscan -p ${port} ${spec.host} >> ~/.ssh/known_hosts (or name a known_hosts file with teqlctl_known_hosts_file)`);
}

export async function connectSsh(name: string, spec: ConnectionSpec, opts: ConnectOptions = {}): Promise<Transport> {
  const port = spec.port ?? 22;
  const entries = await knownHostEntries(spec);
  let refusal: ConnectError | undefined;
  let unknownKey: Buffer | undefined;
  const ssh = new NodeSSH();
  let privateKey: string | undefined;
  if (spec.privateKeyFile) {
    try {
      privateKey = await readFile(spec.privateKeyFile, 'utf8');
    } catch (err) {
      throw new ConnectError(name, `cannot read private key ${spec.privateKeyFile}: ${(err as Error).message}`, 'fix ansible_ssh_private_key_file in the inventory');
    }
  }
  try {
    await ssh.connect({
      host: spec.host,
      port,
      username: spec.user ?? process.env.USER ?? 'root',
      ...(privateKey ? { privateKey } : {}),
      ...(process.env.SSH_AUTH_SOCK ? { agent: process.env.SSH_AUTH_SOCK } : {}),
      readyTimeout: opts.readyTimeoutMs ?? 20_000,
      hostVerifier: (key: Buffer) => {
        const verdict = checkHostKey(entries, spec.host, port, key);
        if (verdict.kind === 'match') return true;
        // Hang up before asking: a person may take longer than readyTimeout or sshd's LoginGraceTime.
        if (verdict.kind === 'unknown' && opts.onUnknownHostKey) unknownKey = key;
        refusal = hostKeyError(name, spec, port, verdict, fingerprint(key));
        return false;
      },
    });
  } catch (err) {
    ssh.dispose();
    if (unknownKey && opts.onUnknownHostKey) {
      if (!(await opts.onUnknownHostKey(fingerprint(unknownKey), hostKeyName(spec.host, port)))) throw refusal!;
      await trustHostKey(spec.host, port, unknownKey);
      // Connect again with the key now known: a host that shows another key this time is refused.
      const { onUnknownHostKey: _asked, ...rest } = opts;
      return connectSsh(name, spec, rest);
    }
    if (refusal) throw refusal;
    const msg = (err as Error).message;
    const hint = /authentication/i.test(msg)
      ? 'check ansible_user and ansible_ssh_private_key_file (or the keys in ssh-agent)'
      : `check that ${spec.host}:${port} is reachable and runs sshd`;
    throw new ConnectError(name, `cannot connect to ${spec.host}:${port}: ${msg}`, hint);
  }
  // An error after connect() resolved would crash Node without a listener; the next run() reports it.
  let lost: Error | undefined;
  ssh.connection?.on('error', (err: Error) => { lost = err; });
  return new SshTransport(name, ssh, spec, opts.becomePassword, () => lost);
}

class SshTransport implements Transport {
  readonly stats: TransportStats = { roundTrips: 0, bytesSent: 0, bytesReceived: 0 };

  constructor(
    readonly host: string,
    private readonly ssh: NodeSSH,
    private readonly spec: ConnectionSpec,
    private readonly becomePassword: string | undefined,
    private readonly lostConnection: () => Error | undefined,
  ) {}

  /** The remote command line: fixed, short, with no secret in it; the script itself goes on stdin. */
  private commandLine(timeoutSec: number): { command: string; stdinPrefix: string } {
    const sh = `timeout ${timeoutSec} sh -s`;
    const needsSudo = this.spec.become && !(this.spec.user === 'root' && this.spec.becomeUser === 'root');
    if (!needsSudo) return { command: sh, stdinPrefix: '' };
    const user = this.spec.becomeUser === 'root' ? '' : ` -u ${this.spec.becomeUser}`;
    if (this.becomePassword === undefined) return { command: `sudo -n${user} ${sh}`, stdinPrefix: '' };
    return { command: `sudo -S -p ''${user} ${sh}`, stdinPrefix: this.becomePassword + '\n' };
  }

  async run(label: string, script: string, timeoutSec = 120): Promise<CommandResult> {
    const lost = this.lostConnection();
    if (lost) throw new ConnectError(this.host, `connection lost: ${lost.message}`);
    const { command, stdinPrefix } = this.commandLine(timeoutSec);
    const started = Date.now();
    const res = await this.ssh.execCommand(command, { stdin: stdinPrefix + script, noTrim: true });
    this.stats.roundTrips++;
    this.stats.bytesSent += Buffer.byteLength(command) + Buffer.byteLength(stdinPrefix + script);
    this.stats.bytesReceived += Buffer.byteLength(res.stdout) + Buffer.byteLength(res.stderr);
    return { label, script, code: res.code ?? -1, stdout: res.stdout, stderr: res.stderr, durationMs: Date.now() - started };
  }

  async close(): Promise<void> {
    this.ssh.dispose();
  }
}
