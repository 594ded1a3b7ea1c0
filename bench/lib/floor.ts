// The floor: what one SSH connection and one command cost, with ssh2 directly (no teqlctl code on
// the path), host keys checked against the given known_hosts files.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import ssh2 from 'ssh2';
import { checkHostKey, parseKnownHosts } from '../../src/connect/known-hosts.js';

export interface SshEndpoint {
  host: string;
  port: number;
  user: string;
  privateKeyFile: string;
  knownHostsFile: string;
}

export function connect(ep: SshEndpoint): Promise<ssh2.Client> {
  const entries = parseKnownHosts(readFileSync(ep.knownHostsFile, 'utf8'), ep.knownHostsFile);
  return new Promise((resolve, reject) => {
    const c = new ssh2.Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({
      host: ep.host,
      port: ep.port,
      username: ep.user,
      privateKey: readFileSync(ep.privateKeyFile, 'utf8'),
      readyTimeout: 20_000,
      hostVerifier: (key: Buffer) => checkHostKey(entries, ep.host, ep.port, key).kind === 'match',
    });
  });
}

/** Runs `command`, sends `stdin` then EOF, resolves with the exit code once the channel closes. */
export function exec(c: ssh2.Client, command: string, stdin = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, stream) => {
      if (err) return reject(err);
      let code = -1;
      stream.on('exit', (n: number | null) => { code = n ?? -1; });
      stream.on('data', () => undefined);
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => resolve(code));
      if (stdin) stream.write(stdin);
      stream.end();
    });
  });
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export interface FloorSamples {
  /** Connect, authenticate, `true`, close: the least a run can cost. */
  connectTrue: number[];
  /** `true` over a connection already open. */
  openTrue: number[];
  /** A script on stdin to `sh -s`, as teqlctl sends it, over an open connection (Nagle on, as ssh2 leaves it). */
  openScript: number[];
  /** The same with TCP_NODELAY set on the client socket. */
  openScriptNoDelay: number[];
}

export async function measureFloor(ep: SshEndpoint, connects: number, commands: number): Promise<FloorSamples> {
  const out: FloorSamples = { connectTrue: [], openTrue: [], openScript: [], openScriptNoDelay: [] };
  for (let i = 0; i < connects; i++) {
    out.connectTrue.push(await timed(async () => {
      const c = await connect(ep);
      await exec(c, 'true');
      c.end();
    }));
  }
  const c = await connect(ep);
  try {
    await exec(c, 'true'); // warm: the first channel on a connection is not what we measure
    for (let i = 0; i < commands; i++) out.openTrue.push(await timed(() => exec(c, 'true')));
    const script = 'export LANG=C LC_ALL=C\ntrue\n';
    for (let i = 0; i < commands; i++) out.openScript.push(await timed(() => exec(c, 'timeout 60 sh -s', script)));
    c.setNoDelay(true);
    for (let i = 0; i < commands; i++) out.openScriptNoDelay.push(await timed(() => exec(c, 'timeout 60 sh -s', script)));
  } finally {
    c.end();
  }
  return out;
}
