// Connecting to one router for the wizard: trust on first use, a sudo password only if sudo asks,
// then one facts round trip. Reads nothing on the router that `teqlctl play` would not read.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import ssh2 from 'ssh2';
import { connectSsh } from '../connect/ssh-transport.js';
import type { Transport } from '../connect/transport.js';
import { FactError } from '../errors.js';
import type { Facts } from '../gather/facts.js';
import { parseFacts } from '../gather/parse-facts.js';
import { factsScript } from '../gather/script.js';
import type { ConnectionSpec } from '../load/types.js';
import type { RouterAnswers } from './model.js';

export interface ConnectedRouter {
  transport: Transport;
  spec: ConnectionSpec;
  becomePassword?: string;
}

export function expandHome(path: string): string {
  return path === '~' ? homedir() : path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

/** What is wrong with a private key file, if anything (the question's validation). */
export function checkKeyFile(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(expandHome(path), 'utf8');
  } catch (err) {
    return `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
  if (!/PRIVATE KEY/.test(text)) return `${path} is not a private key${path.endsWith('.pub') ? ' (that is the public half: drop .pub)' : ''}`;
  const parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error) {
    return /passphrase|encrypted/i.test(parsed.message)
      ? `${path} is protected by a passphrase: load it into ssh-agent (ssh-add ${path}) and leave the key empty`
      : `${path}: ${parsed.message}`;
  }
  return undefined;
}

export function specOf(r: RouterAnswers): ConnectionSpec {
  return { host: r.host, port: r.port, user: r.user, become: r.become, becomeUser: 'root', ...(r.keyFile ? { privateKeyFile: expandHome(r.keyFile) } : {}) };
}

export async function connectRouter(r: RouterAnswers, trust: (fingerprint: string, hostLabel: string) => Promise<boolean>): Promise<ConnectedRouter> {
  const spec = specOf(r);
  return { transport: await connectSsh(r.name, spec, { onUnknownHostKey: trust }), spec };
}

const SUDO_WANTS_PASSWORD = /password is required|a terminal is required|no askpass/i;

/** One facts round trip (ip_forward besides every rp_filter); 'sudo-password' when sudo wants one. */
export async function readFacts(r: RouterAnswers, c: ConnectedRouter): Promise<Facts | 'sudo-password'> {
  const res = await c.transport.run('facts', factsScript(['net.ipv4.ip_forward']));
  if (res.code === 0) return parseFacts(r.name, res.stdout);
  if (r.become && c.becomePassword === undefined && SUDO_WANTS_PASSWORD.test(res.stderr)) return 'sudo-password';
  throw new FactError(r.name, `reading facts failed (exit ${res.code}): ${res.stderr.trim() || res.stdout.trim().slice(-300)}`);
}

/** The transport keeps its sudo password for the whole connection: connect again with it (the key is known now). */
export async function reconnectWithPassword(r: RouterAnswers, c: ConnectedRouter, password: string): Promise<void> {
  await c.transport.close();
  c.transport = await connectSsh(r.name, c.spec, { becomePassword: password });
  c.becomePassword = password;
}
