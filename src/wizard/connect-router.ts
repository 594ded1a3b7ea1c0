// Connecting to one router for the wizard: trust on first use, a sudo password only if sudo asks,
// then one facts round trip. Reads nothing on the router that `teqlctl play` would not read.
import { readFileSync, statSync } from 'node:fs';
import { notAKeyFile } from '../connect/read-key-file.js';
import { homedir } from 'node:os';
import ssh2 from 'ssh2';
import { connectSsh } from '../connect/ssh-transport.js';
import type { Transport } from '../connect/transport.js';
import type { Facts } from '../gather/facts.js';
import { readFacts } from '../gather/read-facts.js';
import type { ConnectionSpec } from '../load/types.js';
import type { RouterAnswers } from './model.js';

export interface ConnectedRouter {
  transport: Transport;
  spec: ConnectionSpec;
  /** Secrets typed during the connection, kept for the run (passed to play through 0600 files). */
  becomePassword?: string;
  keyPassphrase?: string;
}

export interface ConnectHooks {
  trust: (fingerprint: string, hostLabel: string, jumpHost: boolean) => Promise<boolean>;
  /** Asked by the transport only when sudo wants a password; it checks it before connecting. */
  becomePassword: (router: string, user: string) => Promise<string>;
  /** Asked only for a passphrase-protected key that no agent holds. */
  keyPassphrase: (file: string) => Promise<string>;
}

export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** What is wrong with a private key file, if anything (the question's validation). */
export function checkKeyFile(path: string): string | undefined {
  let text: string;
  try {
    // Stat first: a named pipe held this synchronous read, and the terminal (Ctrl-C too), forever.
    const unusable = notAKeyFile(path, statSync(expandHome(path)));
    if (unusable) return unusable;
    text = readFileSync(expandHome(path), 'utf8');
  } catch (err) {
    return `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
  if (!/PRIVATE KEY/.test(text)) return `${path} is not a private key${path.endsWith('.pub') ? ' (that is the public half: drop .pub)' : ''}`;
  const parsed = ssh2.utils.parseKey(text);
  // A passphrase-protected key is fine: its passphrase is asked when connecting.
  if (parsed instanceof Error && !/passphrase|encrypted/i.test(parsed.message)) return `${path}: ${parsed.message}`;
  return undefined;
}

export function specOf(r: RouterAnswers): ConnectionSpec {
  return { host: r.host, port: r.port, user: r.user, become: r.become, becomeUser: 'root', ...(r.keyFile ? { privateKeyFile: expandHome(r.keyFile) } : {}) };
}

export async function connectRouter(r: RouterAnswers, hooks: ConnectHooks): Promise<ConnectedRouter> {
  const spec = specOf(r);
  const secrets: { becomePassword?: string; keyPassphrase?: string } = {};
  const transport = await connectSsh(r.name, spec, {
    onUnknownHostKey: hooks.trust,
    askBecomePassword: async () => (secrets.becomePassword = await hooks.becomePassword(r.name, r.user)),
    askKeyPassphrase: async (file) => (secrets.keyPassphrase = await hooks.keyPassphrase(file)),
  });
  return { transport, spec, ...secrets };
}

/** One facts round trip: every rp_filter, and ip_forward for the forwarding caveat. */
export function readRouterFacts(r: RouterAnswers, c: ConnectedRouter): Promise<Facts> {
  return readFacts(c.transport, r.name, ['net.ipv4.ip_forward']);
}
