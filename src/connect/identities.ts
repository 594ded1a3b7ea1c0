// What to offer the server: ssh-agent's keys and key files (unlocked when encrypted) in ssh's order, as ssh2 auth methods.
// A passphrase given up front is used at once; otherwise an encrypted key waits, and is only asked
// for when nothing else got in.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { signingOnce } from './fast-sign.js';
import { publicBlobOf } from './matching-agent.js';
import { orderedAgent, type FileKey } from './ordered-agent.js';
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
  /** Tried first: the agent's keys and the ready key files, in ssh's order (ordered-agent.ts). */
  methods: AnyAuthMethod[];
  /** Encrypted keys without a passphrase yet. */
  locked: Array<{ file: string; text: string }>;
  /** Why some keys are not offered, for the message when authentication fails. */
  notes: string[];
  /** What was offered, for messages. */
  offered: string[];
}

/**
 * The keys to offer, in OpenSSH's order: with an agent, its keys of files named, its other keys,
 * then the ready files it does not hold (ordered-agent.ts); without, the ready files. The public key
 * of a file, to match the agent's by, is the parsed key's where teqlctl can read it (ssh reads the
 * file, then its .pub, then the private key's header: the same key unless a .pub is stale). `identitiesOnly` (IdentitiesOnly yes): of the agent's keys, only those of `files`, matched
 * by each file's public key (the key itself, else its OpenSSH header or its .pub: publicBlobOf).
 */
export async function planAuth(user: string, files: readonly string[], agent: string | undefined, passphrase: string | undefined, identitiesOnly = false): Promise<AuthPlan> {
  const plan: AuthPlan = { methods: [], locked: [], notes: [], offered: [] };
  const [states, certs] = await Promise.all([Promise.all(files.map((f) => readPrivateKey(f, passphrase))), Promise.all(files.map(certificateBeside))]);
  // ssh offers <key>-cert.pub with its key (an SSH CA's certificate); ssh2 cannot: said, not dropped.
  for (const cert of certs) if (cert) plan.notes.push(`${cert} is a certificate ssh would offer with its key; teqlctl's SSH client offers the key alone (a router that takes certificates only refuses it)`);
  for (const state of states) {
    if (state.kind === 'locked') plan.locked.push({ file: state.file, text: state.text });
    else if (state.kind === 'unusable') plan.notes.push(state.why);
  }
  const ready = states.flatMap((s) => (s.kind === 'ready' ? [{ file: s.file, key: s.key }] : []));
  const fileKeys = agent ? await Promise.all(states.map(fileKeyOf)) : [];
  if (agent && identitiesOnly && !fileKeys.some((f) => f.blob)) {
    plan.notes.push('ssh-agent not asked: IdentitiesOnly yes, and no key file named shows a public key the agent could match (the file itself, its OpenSSH header, or its .pub)');
  } else if (agent && fileKeys.length === 0) {
    plan.methods.push({ type: 'agent', username: user, agent });
    plan.offered.push('ssh-agent');
    return plan;
  } else if (agent) {
    // One agent method lists the agent's keys and the ready files in ssh's order (a review: the files went first).
    plan.methods.push({ type: 'agent', username: user, agent: orderedAgent(agent, fileKeys, identitiesOnly) });
    plan.offered.push(identitiesOnly ? 'ssh-agent (its keys of the files named: IdentitiesOnly)' : 'ssh-agent');
    plan.offered.push(...ready.map((r) => r.file));
    return plan;
  }
  for (const r of ready) {
    plan.methods.push({ type: 'publickey', username: user, key: r.key });
    plan.offered.push(r.file);
  }
  return plan;
}

/** A file's key where ready, and its public blob to match the agent's by, as ssh loads it. */
async function fileKeyOf(state: KeyState): Promise<FileKey> {
  if (state.kind === 'ready') return { file: state.file, key: state.key, blob: state.key.getPublicSSH() };
  const blob = await publicBlobOf(state.file);
  return { file: state.file, ...(blob ? { blob } : {}) };
}
