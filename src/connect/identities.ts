// What to offer the server: key files (unlocked when encrypted), then ssh-agent, as ssh2 auth methods.
// A passphrase given up front is used at once; otherwise an encrypted key waits, and is only asked
// for when nothing else got in.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { signingOnce } from './fast-sign.js';
import { matchingAgent, publicBlobOf } from './matching-agent.js';
import { tooOpen } from './secrets.js';
import { notAKeyFile, readKeyFile } from './read-key-file.js';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, ParsedKey } from 'ssh2';

export type KeyState =
  | { file: string; kind: 'ready'; key: ParsedKey }
  | { file: string; kind: 'locked'; text: string }
  | { file: string; kind: 'unusable'; why: string };

export const PASSPHRASE_WAYS = 'set TEQLCTL_SSH_PASSPHRASE or pass --key-passphrase-file FILE (or add the key to ssh-agent: ssh-add FILE)';

const notPrivate = (file: string) => `${file} is not a private key${file.endsWith('.pub') ? ' (that is the public half: drop .pub)' : ''}`;

/**
 * A file readable by others that holds a public key (a `.pub` is 0644 by design): that it is not a
 * private key is the news, not "chmod 600", which would make a public key no more usable.
 */
async function publicKeyFile(file: string): Promise<string | undefined> {
  const text = (await readKeyFile(file)) ?? '';
  // A private key OpenSSH would refuse for its mode is not parsed: only the refusal is said.
  if (/PRIVATE KEY/.test(text)) return undefined;
  const parsed = ssh2.utils.parseKey(text);
  const key = parsed instanceof Error ? undefined : Array.isArray(parsed) ? parsed[0] : parsed;
  return key && !key.isPrivateKey() ? notPrivate(file) : undefined;
}

export function parsePrivateKey(file: string, text: string, passphrase?: string): KeyState {
  const parsed = ssh2.utils.parseKey(text, passphrase);
  if (!(parsed instanceof Error)) {
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (key?.isPrivateKey()) return { file, kind: 'ready', key: signingOnce(key) };
    return { file, kind: 'unusable', why: notPrivate(file) };
  }
  if (passphrase === undefined && /encrypted/i.test(parsed.message)) return { file, kind: 'locked', text };
  if (passphrase !== undefined) return { file, kind: 'unusable', why: `${file} is encrypted, and the passphrase given does not unlock it` };
  return { file, kind: 'unusable', why: `${file}: ${parsed.message}` };
}

// Read and parsed once per file version and passphrase for the whole run: a fleet's 1,000
// connections parsed the same key 1,000 times. The stat (and so the permission check) is per use.
const keys = new Map<string, Promise<KeyState>>();

export async function readPrivateKey(file: string, passphrase?: string): Promise<KeyState> {
  let version: string;
  try {
    const st = await stat(file);
    const odd = notAKeyFile(file, st);
    if (odd) return { file, kind: 'unusable', why: odd };
    const why = tooOpen(file, st.mode, st.uid);
    if (why) return { file, kind: 'unusable', why: (await publicKeyFile(file)) ?? `${why}: chmod 600 ${file}` };
    version = `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch (err) {
    return unreadable(file, err);
  }
  const key = [file, version, passphrase === undefined ? '' : createHash('sha256').update(passphrase).digest('hex')].join('\0');
  let state = keys.get(key);
  if (!state) {
    state = readFile(file, 'utf8').then(
      (text) => {
        const plain = parsePrivateKey(file, text, undefined);
        return plain.kind === 'locked' && passphrase !== undefined ? parsePrivateKey(file, text, passphrase) : plain;
      },
      (err: unknown) => {
        keys.delete(key); // a read that failed is tried again next time
        return unreadable(file, err);
      },
    );
    keys.set(key, state);
  }
  return state;
}

/** `<file>-cert.pub` when it is there, as ssh loads it beside each identity (sshconnect2.c). */
async function certificateBeside(file: string): Promise<string | undefined> {
  const cert = `${file}-cert.pub`;
  try {
    return (await stat(cert)).isFile() ? cert : undefined;
  } catch {
    return undefined;
  }
}

function unreadable(file: string, err: unknown): KeyState {
  return { file, kind: 'unusable', why: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
}

export interface AuthPlan {
  /** Tried first: the keys ready to use, then the agent. */
  methods: AnyAuthMethod[];
  /** Encrypted keys without a passphrase yet. */
  locked: Array<{ file: string; text: string }>;
  /** Why some keys are not offered, for the message when authentication fails. */
  notes: string[];
  /** What was offered, for messages. */
  offered: string[];
}

/**
 * `identitiesOnly` (IdentitiesOnly yes): the agent offers only the keys of `files` that cannot be
 * offered from their file (encrypted without a passphrase, unreadable), found by their `.pub`.
 */
export async function planAuth(user: string, files: readonly string[], agent: string | undefined, passphrase: string | undefined, identitiesOnly = false): Promise<AuthPlan> {
  const plan: AuthPlan = { methods: [], locked: [], notes: [], offered: [] };
  const [states, certs] = await Promise.all([Promise.all(files.map((f) => readPrivateKey(f, passphrase))), Promise.all(files.map(certificateBeside))]);
  // ssh offers <key>-cert.pub with its key (an SSH CA's certificate); ssh2 cannot: said, not dropped.
  for (const cert of certs) if (cert) plan.notes.push(`${cert} is a certificate ssh would offer with its key; teqlctl's SSH client offers the key alone (a router that takes certificates only refuses it)`);
  for (const state of states) {
    if (state.kind === 'ready') {
      plan.methods.push({ type: 'publickey', username: user, key: state.key });
      plan.offered.push(state.file);
    } else if (state.kind === 'locked') {
      plan.locked.push({ file: state.file, text: state.text });
    } else {
      plan.notes.push(state.why);
    }
  }
  if (agent && identitiesOnly) {
    const blobs = await Promise.all(states.filter((s) => s.kind !== 'ready').map((s) => publicBlobOf(s.file)));
    const wanted = blobs.filter((b): b is Buffer => b !== undefined);
    if (wanted.length > 0) {
      plan.methods.push({ type: 'agent', username: user, agent: matchingAgent(agent, wanted) });
      plan.offered.push('ssh-agent (its keys of the files named: IdentitiesOnly)');
    } else {
      plan.notes.push('ssh-agent not asked: IdentitiesOnly yes, and no key file named that teqlctl cannot open itself shows a public key the agent could match (the file itself, its OpenSSH header, or its .pub)');
    }
  } else if (agent) {
    plan.methods.push({ type: 'agent', username: user, agent });
    plan.offered.push('ssh-agent');
  }
  return plan;
}
