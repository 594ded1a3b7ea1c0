// SSH transport over node-ssh: one connection per host for the whole run (through ProxyJump hosts
// when ssh_config says so), strict host keys, scripts sent on stdin (never in argv), become through
// sudo with the password on stdin only, and a lost connection reported instead of waited on.
import type { Duplex } from 'node:stream';
import type { NodeSSH, SSHExecCommandResponse } from 'node-ssh';
import { ConnectError, RefusedError, TeqlError } from '../errors.js';
import type { ConnectionSpec } from '../load/types.js';
import { execCommand, type StagedStdin } from './exec-command.js';
import { stagedOverStdin } from './staged-stdin.js';
import { doasProbeCommand, probeCommand, readProbe, scriptCommand, wantsDashT, type Become, type BecomeCommand, type TimeoutStyle } from './become.js';
import { knownHostsFiles, loadKnownHosts } from './host-keys.js';
import { readLocalSsh, resolveHost, type LocalSsh } from './local-ssh.js';
import { describeHop, type Hop, type Target } from './resolve-target.js';
import { connectHop, type HopContext } from './ssh-hop.js';
import { forwardOut } from './forward-out.js';
import { warnOnce } from './warn-once.js';
import type { CommandResult, StagedRun, Transport, TransportStats } from './transport.js';
import { IPROUTE2_HINT, missingIproute2, usesIproute2 } from '../router/iproute2.js';
import { Iproute2Cache } from './iproute2-cache.js';

export const BECOME_PASSWORD_WAYS = 'set TEQLCTL_BECOME_PASSWORD or pass --become-password-file FILE (on a terminal, teqlctl asks)';

export interface ConnectOptions {
  /** Become password for sudo, given up front; sent only to hosts whose sudo asks for one. */
  becomePassword?: string;
  /** Asks for the become password when sudo wants one and none was given (interactive runs). */
  askBecomePassword?: () => Promise<string>;
  /** sudo wanting a password that teqlctl does not have fails the connection (exit 3), instead of the first run. */
  strictBecome?: boolean;
  /** Passphrase for encrypted private keys, given up front. */
  keyPassphrase?: string;
  /** Asks for a key's passphrase when nothing else got in (interactive runs). */
  askKeyPassphrase?: (file: string) => Promise<string>;
  readyTimeoutMs?: number;
  /** SSH keepalives: a peer silent for interval x (count + 1) ms counts as lost. */
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  /**
   * Trust on first use: asked only for a key that no known_hosts file has for this host (a changed
   * or revoked key is always refused). True appends it to ~/.ssh/known_hosts and connects.
   */
  onUnknownHostKey?: (fingerprint: string, hostLabel: string, jumpHost: boolean) => Promise<boolean>;
  /** The hint shown with an unknown host key (how to accept it with the caller's command line). */
  unknownHostHint?: (fingerprint: string) => string;
  /** The local side (home, user, ssh client or ~/.ssh/config, agent); read from the process when absent. */
  local?: LocalSsh;
  /** Where a warning of the login goes (a key file named but not usable); default: stderr, once per process. */
  warn?: (line: string) => void;
}

export async function connectSsh(name: string, spec: ConnectionSpec, opts: ConnectOptions = {}): Promise<Transport> {
  const local = opts.local ?? (await readLocalSsh());
  const target = await resolveHost(name, spec, local);
  // Each hop is checked against its own known_hosts files (ssh_config may name other files for a
  // jump host than for the router), as ssh checks each of them; then the inventory's file.
  const files = knownHostsFiles(local.env.home, spec.knownHostsFile, [target.knownHosts]);
  const ctx: HopContext = {
    inventoryName: name,
    home: local.env.home,
    knownHosts: await loadKnownHosts(files),
    knownHostsFiles: files,
    ...(local.agent ? { agent: local.agent } : {}),
    ...(opts.keyPassphrase !== undefined ? { keyPassphrase: opts.keyPassphrase } : {}),
    ...(opts.askKeyPassphrase ? { askKeyPassphrase: opts.askKeyPassphrase } : {}),
    ...(opts.onUnknownHostKey ? { onUnknownHostKey: opts.onUnknownHostKey } : {}),
    ...(opts.unknownHostHint ? { unknownHostHint: opts.unknownHostHint } : {}),
    readyTimeoutMs: opts.readyTimeoutMs ?? 20_000,
    keepaliveIntervalMs: opts.keepaliveIntervalMs ?? 5_000,
    keepaliveCountMax: opts.keepaliveCountMax ?? 3,
    warn: opts.warn ?? warnOnce,
  };
  const clients: NodeSSH[] = [];
  try {
    const hops = [...target.jumps, target];
    let sock: (() => Promise<Duplex>) | undefined;
    for (const [i, hop] of hops.entries()) {
      const own = hop === target ? files : knownHostsFiles(local.env.home, spec.knownHostsFile, [hop.knownHosts]);
      const hopCtx = own.join("\0") === files.join("\0") ? ctx : { ...ctx, knownHosts: await loadKnownHosts(own), knownHostsFiles: own };
      const client = await connectHop(hopCtx, hop, i < hops.length - 1 ? 'jump host ' : '', sock);
      clients.push(client);
      const next = hops[i + 1];
      if (next) sock = () => forwardOut(name, client, hop, next);
    }
    const transport = new SshTransport(name, clients[clients.length - 1]!, clients.slice(0, -1), describeHop(target));
    await transport.settleBecome(target, spec, opts);
    return transport;
  } catch (err) {
    for (const c of clients.reverse()) c.dispose();
    throw err;
  }
}

/** teqlctl's own bound on the connect-time probes (sudo, doas), which the router bounds to 30 s. */
const PROBE_DEADLINE_SEC = 60;

class SshTransport implements Transport {
  readonly stats: TransportStats = { roundTrips: 0, bytesSent: 0, bytesReceived: 0 };
  private become: Become = { kind: 'none' };
  private lostError: ConnectError | undefined;
  private closing = false;
  /** Where this connection's first script with `ip`/`tc` found them: later scripts skip the probe. */
  private readonly iproute2 = new Iproute2Cache();
  private timeoutStyle: TimeoutStyle | undefined; // learnt from the first command's answer (send)
  /** Rejects once the connection (or a jump host's) errors or closes: pending runs end with it. */
  private readonly lost: Promise<never>;

  constructor(
    readonly host: string,
    private readonly ssh: NodeSSH,
    private readonly jumps: NodeSSH[],
    readonly target?: string,
  ) {
    this.lost = new Promise<never>((_, reject) => {
      const onLost = (why: string) => {
        if (this.lostError) return;
        this.lostError = new ConnectError(host, `connection lost: ${this.closing ? 'closed by teqlctl' : why}`, 'check that the host is up and reachable; nothing more was sent to it');
        reject(this.lostError);
      };
      for (const c of [ssh, ...jumps]) {
        c.connection?.on('error', (err: Error) => onLost(err.message));
        c.connection?.on('close', () => onLost('the SSH connection closed'));
      }
    });
    this.lost.catch(() => undefined);
  }

  /** Runs `cmd` with `stdin` (see exec-command.ts), failing with the connection if it is lost. */
  private async exec(cmd: BecomeCommand, stdin: string | StagedStdin, deadlineSec = PROBE_DEADLINE_SEC): Promise<SSHExecCommandResponse> {
    if (this.lostError) throw this.lostError;
    let res: SSHExecCommandResponse;
    try {
      res = await execCommand(this.ssh, this.host, cmd, stdin, deadlineSec, this.lost);
    } catch (err) {
      if (err instanceof TeqlError) throw err;
      throw this.lostError ?? new ConnectError(this.host, `cannot run a command: ${(err as Error).message}`);
    }
    // A channel closed by a dying connection ends without an exit code.
    if (res.code === null && this.lostError) throw this.lostError;
    return res;
  }

  /** Decides how to become root, asking sudo once now, so that a missing or wrong password fails here. */
  async settleBecome(target: Target, spec: ConnectionSpec, opts: ConnectOptions): Promise<void> {
    if (!spec.become || target.user === spec.becomeUser) return;
    const user = spec.becomeUser;
    const where = `${describeHop(target)} (login ${target.user}, become ${user})`;
    if (spec.becomeMethod === 'doas') return this.settleDoas(user, where);
    const fail = (what: string, res: SSHExecCommandResponse) =>
      new ConnectError(this.host, `become: sudo on ${where} ${what}: ${res.stderr.trim().split('\n').pop() || `exit ${res.code}`}`, 'check the sudo rule of the login user (ansible_become_user, ansible_user)');
    const plain = await this.send((style) => probeCommand(user, undefined, undefined, style), '');
    const verdict = readProbe(plain.code, plain.stderr);
    if (verdict === 'ok') {
      this.become = { kind: 'sudo', user };
      return;
    }
    if (verdict !== 'password required') throw fail(verdict === 'timeout' ? 'did not answer within 30 s' : 'refused', plain);
    let password = opts.becomePassword;
    if (password === undefined && opts.askBecomePassword) {
      try {
        password = await opts.askBecomePassword();
      } catch (err) {
        if (err instanceof TeqlError) throw err;
        throw new ConnectError(this.host, `no become password: ${(err as Error).message}`, BECOME_PASSWORD_WAYS);
      }
    }
    if (password === undefined || password === '') {
      if (!opts.strictBecome) {
        this.become = { kind: 'sudo', user }; // the first run reports sudo's own message
        return;
      }
      throw new ConnectError(this.host, `become: sudo on ${where} asks for a password, and none was given`, BECOME_PASSWORD_WAYS);
    }
    const withPassword = await this.send((style) => probeCommand(user, password, undefined, style), '');
    const second = readProbe(withPassword.code, withPassword.stderr);
    if (second === 'ok') {
      this.become = { kind: 'sudo', user, password };
      return;
    }
    if (second === 'password rejected' || second === 'password required') {
      throw new ConnectError(this.host, `become: sudo on ${where} rejected the become password`, 'check the password given with --become-password-file, TEQLCTL_BECOME_PASSWORD or at the prompt');
    }
    throw fail(second === 'timeout' ? 'did not answer within 30 s' : 'refused', withPassword);
  }

  /** doas without a password, or a refusal that says why: doas reads passwords from a terminal only. */
  private async settleDoas(user: string, where: string): Promise<void> {
    const res = await this.send((style) => doasProbeCommand(user, style), '');
    const verdict = readProbe(res.code, res.stderr);
    if (verdict === 'ok') {
      this.become = { kind: 'doas', user };
      return;
    }
    if (verdict === 'password required') {
      throw new ConnectError(
        this.host,
        `become: doas on ${where} asks for a password; doas reads it from a terminal only, where teqlctl never types a password`,
        'give the login user a `permit nopass` rule in /etc/doas.conf (e.g. permit nopass admin as root), or use sudo (ansible_become_method: sudo)',
      );
    }
    const why = verdict === 'timeout' ? 'did not answer within 30 s' : `refused: ${res.stderr.trim().split('\n').pop() || `exit ${res.code}`}`;
    throw new ConnectError(this.host, `become: doas on ${where} ${why}`, 'check /etc/doas.conf for the login user (ansible_become_user, ansible_user), and that doas is installed');
  }

  /**
   * One command, for the router's `timeout`. An older BusyBox's refuses a connection's first command
   * before it ran: sent again with `-t SEC`, as are all later ones. Any output means it ran: learnt.
   */
  private async send(build: (style: TimeoutStyle) => BecomeCommand, stdin: string | StagedStdin, deadlineSec?: number): Promise<SSHExecCommandResponse> {
    const style = this.timeoutStyle;
    // The retry's text is let go once output shows the command ran, the caller's at once: a staged shell may wait long.
    const again = style === undefined && typeof stdin !== 'string' ? { ...stdin } : undefined;
    const staged = again && typeof stdin !== 'string' ? { again, first: { ...stdin, onStdout: (c: Buffer) => ((this.timeoutStyle ??= 'secs'), (again.first = ''), stdin.onStdout?.(c)) } } : undefined;
    if (staged && typeof stdin !== 'string') stdin.first = '';
    const res = await this.sendOnce(build(style ?? 'secs'), staged?.first ?? stdin, deadlineSec);
    if (style === undefined && this.timeoutStyle !== 'secs' && wantsDashT(res.code, res.stderr)) return this.sendOnce(build((this.timeoutStyle = 'dash-t')), staged?.again ?? stdin, deadlineSec);
    this.timeoutStyle ??= 'secs';
    return res;
  }

  private async sendOnce(cmd: BecomeCommand, stdin: string | StagedStdin, deadlineSec?: number): Promise<SSHExecCommandResponse> {
    const res = await this.exec(cmd, stdin, deadlineSec);
    this.stats.roundTrips++;
    this.stats.bytesSent += Buffer.byteLength(cmd.command) + (typeof stdin === 'string' ? Buffer.byteLength(stdin) : 0);
    this.stats.bytesReceived += Buffer.byteLength(res.stdout) + Buffer.byteLength(res.stderr);
    return res;
  }

  async run(label: string, script: string | StagedStdin, timeoutSec = 120): Promise<CommandResult> {
    const started = Date.now();
    const stdin = typeof script !== 'string' ? this.iproute2.watch(script) : usesIproute2(script) ? this.iproute2.preamble() + script : script;
    const sent = await this.send((style) => scriptCommand(this.become, timeoutSec, undefined, style), stdin, timeoutSec + Math.min(30, timeoutSec));
    const res = { ...sent, stderr: this.iproute2.learn(sent.stderr) };
    const missing = missingIproute2(res.code ?? -1, res.stdout);
    // Refused before the script's first line ran: nothing was read or changed on this router.
    if (missing) throw new RefusedError(`${this.host}: the router has no ${missing} (BusyBox's applets of the same name have no JSON output)`, IPROUTE2_HINT);
    // A staged script's text is the caller's (runStaged): not kept here.
    return { label, script: typeof script === 'string' ? script : '', code: res.code ?? -1, stdout: res.stdout, stderr: res.stderr, durationMs: Date.now() - started };
  }

  runStaged(label: string, first: string, marker: string, timeoutSec = 120): StagedRun {
    // As run(): the iproute2 check only where the script uses ip or tc (its first part: the rest
    // of every staged script so far, checks or a lock's release, runs neither without the first).
    return stagedOverStdin(usesIproute2(first) ? this.iproute2.preamble() : '', first, marker, (stdin) => this.run(label, stdin, timeoutSec), (n) => (this.stats.bytesSent += n));
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const c of [this.ssh, ...[...this.jumps].reverse()]) c.dispose();
  }
}
