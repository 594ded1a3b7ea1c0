// An in-process SSH server (ssh2's Server) for the transport's unit tests: public key logins, a sudo
// that may want a password, direct-tcpip forwarding (a ProxyJump host), and scripted faults.
import { iproute2Preamble } from '../../src/router/iproute2.js';

/** The preamble a transport sends first on a connection (it probes, and says where it found ip and tc). */
const PREAMBLE = iproute2Preamble(undefined, { announce: true });
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { connect as tcpConnect, type AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { ed25519KeyPair } from '../helpers/keys.js';

export interface Exec {
  user: string;
  command: string;
  stdin: string;
  /** What the client wrote to stdin before sudo printed its prompt (a password there went to a shell). */
  beforePrompt: string;
}

export interface FakeSshd {
  name: string;
  port: number;
  /** `ssh-ed25519 AAAA...` */
  publicKey: string;
  fingerprint: string;
  execs: Exec[];
  forwards: string[];
  /** Each public key a client offered (base64), once per connection, in the order offered. */
  keysOffered: string[];
  /** Drops every client connection at once (a router that died with a FIN). */
  dropAll(): void;
  close(): Promise<void>;
}

export interface FakeOptions {
  name: string;
  /** Public keys (`ssh-ed25519 AAAA...`) allowed to log in. */
  authorized: string[];
  /** operator's sudo password; undefined means NOPASSWD. */
  sudoPassword?: string;
  /** More host keys (PEM), offered besides the ed25519 one, as sshd offers all of its keys. */
  extraHostKeys?: string[];
  /** Run each script in a real /bin/sh fed from the channel as it arrives (a router's shell), not echo it. */
  shell?: boolean;
  /** The router's `timeout` is an older BusyBox's: a bare SECS is taken for the program (exit 127). */
  oldTimeout?: boolean;
  /** The only host key (PEM) and the algorithms the server offers, instead of an ed25519 key and ssh2's lists (an old router). */
  only?: { hostKey: string; publicKey: string; algorithms: NonNullable<ConstructorParameters<typeof ssh2.Server>[0]['algorithms']> };
}

export function keyFingerprint(publicKey: string): string {
  return 'SHA256:' + createHash('sha256').update(Buffer.from(publicKey.split(' ')[1]!, 'base64')).digest('base64').replace(/=+$/, '');
}

/** sudo's behaviour for the probe and script commands, as Debian's sudo prints it; OpenDoas's for doas. */
function sudo(command: string, stdin: string, password: string | undefined): { code: number; stderr: string; stdin: string } | undefined {
  // doas -n with a rule that is not `nopass`: it never reads stdin, it wants a terminal.
  if (/\bdoas -n\b/.test(command)) return password === undefined ? { code: 0, stderr: '', stdin } : { code: 1, stderr: 'doas: Authorization required\n', stdin };
  if (!/\bsudo\b/.test(command)) return undefined;
  if (password === undefined) return { code: 0, stderr: '', stdin };
  if (/sudo -k -n|sudo -n/.test(command)) return { code: 1, stderr: 'sudo: a password is required\n', stdin };
  const nl = stdin.indexOf('\n');
  const given = nl < 0 ? stdin : stdin.slice(0, nl);
  if (given !== password) return { code: 1, stderr: 'Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n', stdin: '' };
  return { code: 0, stderr: '', stdin: nl < 0 ? '' : stdin.slice(nl + 1) };
}

export async function startFakeSshd(opts: FakeOptions): Promise<FakeSshd> {
  const hostKey = ed25519KeyPair();
  const allowed = opts.authorized.map((k) => Buffer.from(k.split(' ')[1]!, 'base64'));
  const execs: Exec[] = [];
  const forwards: string[] = [];
  const keysOffered: string[] = [];
  const sockets = new Set<{ end(): void }>();
  const config = opts.only ? { hostKeys: [opts.only.hostKey], algorithms: opts.only.algorithms } : { hostKeys: [hostKey.private, ...(opts.extraHostKeys ?? [])] };
  const server = new ssh2.Server(config, (client) => {
    sockets.add(client);
    let user = '';
    client.on('error', () => undefined);
    client.on('close', () => sockets.delete(client));
    const offeredHere = new Set<string>();
    client.on('authentication', (ctx) => {
      user = ctx.username;
      if (ctx.method === 'publickey') {
        const k = ctx.key.data.toString('base64');
        if (!offeredHere.has(k)) keysOffered.push(k);
        offeredHere.add(k);
      }
      if (ctx.method === 'publickey' && allowed.some((k) => k.equals(ctx.key.data))) return ctx.accept();
      return ctx.reject(['publickey']);
    });
    client.on('tcpip', (accept, _reject, info) => {
      forwards.push(`${info.destIP}:${info.destPort}`);
      const channel = accept();
      const upstream = tcpConnect(info.destPort, info.destIP);
      upstream.on('error', () => channel.destroy());
      channel.on('error', () => upstream.destroy());
      channel.pipe(upstream).pipe(channel);
    });
    client.on('session', (acceptSession) => {
      acceptSession().on('exec', (acceptExec, _reject, info) => {
        const stream = acceptExec();
        let stdin = '';
        let beforePrompt = '';
        // A sudo that wants a password prints its -p prompt on stderr, a little later, then reads.
        const prompt = opts.sudoPassword !== undefined ? /sudo -k -S -p '([^']+)'/.exec(info.command)?.[1] : undefined;
        let prompted = prompt === undefined;
        if (prompt !== undefined) setTimeout(() => { prompted = true; stream.stderr.write(prompt); }, 30);
        const bareSecs = opts.oldTimeout ? /exec timeout (\d+) /.exec(info.command)?.[1] : undefined;
        if (bareSecs !== undefined) {
          execs.push({ user, command: info.command, stdin: '', beforePrompt: '' });
          stream.stderr.write(`timeout: can't execute '${bareSecs}': No such file or directory\n`);
          stream.exit(127);
          stream.end();
          return;
        }
        if (opts.shell && /\/bin\/sh -s/.test(info.command)) return runShell(stream, prompt !== undefined ? opts.sudoPassword : undefined, () => prompted);
        stream.on('data', (d: Buffer) => {
          if (!prompted) beforePrompt += d.toString();
          stdin += d.toString();
        });
        stream.on('end', () => {
          execs.push({ user, command: info.command, stdin, beforePrompt });
          const s = sudo(info.command, stdin, opts.sudoPassword);
          if (s && s.code !== 0) {
            stream.stderr.write(s.stderr);
            stream.exit(s.code);
            stream.end();
            return;
          }
          // A real router runs the iproute2 preamble silently: the echo shows the script after it.
          const sent = s ? s.stdin : stdin;
          const script = sent.startsWith(PREAMBLE + '\n') ? sent.slice(PREAMBLE.length + 1) : sent;
          if (script.includes('HANG')) return; // never answers
          if (script.includes('DROP')) return client.end();
          stream.write(`${opts.name} ran as ${s ? 'root' : user}: ${script}`);
          stream.exit(0);
          stream.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name: opts.name,
    port: (server.address() as AddressInfo).port,
    publicKey: opts.only?.publicKey ?? hostKey.public.split(' ').slice(0, 2).join(' '),
    fingerprint: keyFingerprint(hostKey.public),
    execs,
    forwards,
    keysOffered,
    dropAll: () => { for (const c of sockets) c.end(); },
    close: () => {
      for (const c of sockets) c.end();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A TCP relay that can turn into a black hole: the peer stays "connected" but never answers again. */
export async function startRelay(port: number): Promise<{ port: number; blackHole(): void; close(): void }> {
  const net = await import('node:net');
  const pairs: Array<[import('node:net').Socket, import('node:net').Socket]> = [];
  let dead = false;
  const server = net.createServer((down) => {
    const up = net.connect(port, '127.0.0.1');
    pairs.push([down, up]);
    down.on('data', (d) => { if (!dead) up.write(d); });
    up.on('data', (d) => { if (!dead) down.write(d); });
    for (const s of [down, up]) s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    blackHole: () => { dead = true; },
    close: () => {
      for (const [a, b] of pairs) { a.destroy(); b.destroy(); }
      server.close();
    },
  };
}

/**
 * A router's shell: /bin/sh reads the script from the channel as it arrives (after sudo's password
 * line, when one is wanted; the iproute2 preamble cut where it comes, as it needs a router's ip), and its output
 * and exit status go back as they come.
 */
function runShell(stream: ssh2.ServerChannel, password: string | undefined, prompted: () => boolean): void {
  let head = '';
  let child: ReturnType<typeof spawn> | undefined;
  const want = password === undefined ? '' : password + '\n';
  // The preamble comes only before a script that runs ip or tc (usesIproute2).
  const preamble = PREAMBLE + '\n';
  const start = (rest: string) => {
    child = spawn('/bin/sh', ['-s'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d: Buffer) => stream.write(d));
    child.stderr!.on('data', (d: Buffer) => stream.stderr.write(d));
    child.on('close', (code) => {
      stream.exit(code ?? 1);
      stream.end();
    });
    child.stdin!.on('error', () => undefined);
    child.stdin!.write(rest);
  };
  stream.on('data', (d: Buffer) => {
    if (child) return void child.stdin!.write(d);
    head += d.toString();
    if (head.length < want.length) return;
    if (!prompted() || !head.startsWith(want)) {
      stream.stderr.write('fake shell: unexpected input before the script\n');
      stream.exit(1);
      return void stream.end();
    }
    const script = head.slice(want.length);
    if (script.length < preamble.length && preamble.startsWith(script)) return; // more to come
    start(script.startsWith(preamble) ? script.slice(preamble.length) : script);
  });
  stream.on('end', () => {
    // A script shorter than the preamble (or none): the shell still runs it, and ends.
    if (!child && head.startsWith(want)) start(head.slice(want.length));
    child?.stdin!.end();
  });
}
