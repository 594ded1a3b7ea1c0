// The keys a login offers, in OpenSSH 9.2's order (sshconnect2.c, pubkey_prepare; checked against
// the real ssh by test/connect/key-order.test.ts): first the agent's keys that are files named (in
// the agent's order; the agent signs), then its other keys (none with IdentitiesOnly), then the
// files it does not hold. teqlctl offered every readable file first, then the agent (a review): a
// server that counts failed keys (MaxAuthTries) saw other keys first than ssh shows it.
import ssh2 from 'ssh2';
import type { ParsedKey, SignCallback, SigningRequestOptions } from 'ssh2';
import { warnOnce } from './warn-once.js';

/** A key file named: its key where teqlctl can sign with it, and its public blob to match the agent's by. */
export interface FileKey {
  file: string;
  /** Ready to sign (read, unlocked): offered after the agent's keys when the agent does not hold it. */
  key?: ParsedKey;
  /** The public key, as ssh loads it for a file (the key itself, its OpenSSH header or its .pub). */
  blob?: Buffer;
}

/** How long the agent may take to list its keys: past it, the files alone (a hung agent held the login). */
export const AGENT_LIST_MS = 5_000;

/**
 * Agent sockets that did not list their keys in time, and until when later logins go without them
 * at once: waited for again at each login, a hung agent cost every host of a fleet 5 s, unsaid. For
 * a minute, not for good: an agent that was waiting for a PIN answers once it is given.
 */
const hungUntil = new Map<string, number>();
const HUNG_FOR_MS = 60_000;

/**
 * The keys to offer, in ssh's order: `agentKeys` of files named, the other `agentKeys`, then `files`
 * the agent does not hold; `fallback` maps an agent's key to its file's ready key, to sign with
 * should the agent fail.
 */
export function sshKeyOrder(agentKeys: readonly ParsedKey[], files: readonly FileKey[], identitiesOnly: boolean, fallback = new Map<ParsedKey, ParsedKey>()): ParsedKey[] {
  const taken = new Set<FileKey>();
  const named: ParsedKey[] = [];
  const others: ParsedKey[] = [];
  for (const k of agentKeys) {
    const blob = k.getPublicSSH();
    const file = files.find((f) => !taken.has(f) && f.blob?.equals(blob) === true);
    // A file the agent holds is offered as the agent's key, which the agent signs with (id->agent_fd).
    if (file) taken.add(file);
    if (file?.key) fallback.set(k, file.key);
    if (file) named.push(k);
    else if (!identitiesOnly) others.push(k);
  }
  const rest = files.flatMap((f) => (!taken.has(f) && f.key ? [f.key] : []));
  return [...named, ...others, ...rest];
}

/** An agent on `socket` that lists its keys and the ready files in ssh's order, and signs with each where it is. */
export function orderedAgent(socket: string, files: readonly FileKey[], identitiesOnly: boolean, listMs = AGENT_LIST_MS): ssh2.BaseAgent {
  return new OrderedAgent(socket, files, identitiesOnly, listMs);
}

class OrderedAgent extends ssh2.OpenSSHAgent {
  /** The agent's keys that are a ready file's: signed from the file when the agent fails to. */
  private readonly fallback = new Map<ParsedKey, ParsedKey>();

  constructor(
    private readonly agentSocket: string,
    private readonly files: readonly FileKey[],
    private readonly identitiesOnly: boolean,
    private readonly listMs: number,
  ) {
    super(agentSocket);
  }

  override getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const answer = (keys: ParsedKey[]) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      cb(undefined, sshKeyOrder(keys, this.files, this.identitiesOnly, this.fallback));
    };
    // An agent that does not answer (a frozen gpg-agent, a stale forwarded socket), or answers with
    // an error: the files alone, as ssh goes on without it (ssh2 would otherwise drop the whole
    // method, the files with it; a hung one held the login until the handshake timed out, a review).
    if ((hungUntil.get(this.agentSocket) ?? 0) > Date.now()) return answer([]);
    timer = setTimeout(() => {
      hungUntil.set(this.agentSocket, Date.now() + HUNG_FOR_MS);
      warnOnce(`the SSH agent at ${this.agentSocket} did not list its keys within ${this.listMs / 1000} s: logging in with key files only, without it, for the next minute (a stale SSH_AUTH_SOCK or IdentityAgent, or an agent waiting for a PIN?)`);
      answer([]);
    }, this.listMs);
    super.getIdentities((err, keys) => answer(err ? [] : ((keys as ParsedKey[] | undefined) ?? [])));
  }

  override sign(pubKey: ParsedKey | Buffer | string, data: Buffer, options?: SigningRequestOptions | SignCallback, cb?: SignCallback): boolean {
    const done = typeof options === 'function' ? options : cb;
    const opts = typeof options === 'object' ? options : undefined;
    const own = this.files.find((f) => f.key !== undefined && f.key === pubKey)?.key;
    if (own) return signHere(own, data, opts, done);
    // The agent's key of a ready file: should the agent fail to sign (a confirmation refused, the
    // agent gone mid-login), the file signs, as ssh would go on to it; node-ssh ends the whole login
    // at the first error (a review).
    const file = typeof pubKey === 'object' && !Buffer.isBuffer(pubKey) ? this.fallback.get(pubKey) : undefined;
    const answer: SignCallback = (err, signature) => (err && file ? signHere(file, data, opts, done) : done?.(err, signature));
    return opts ? super.sign(pubKey, data, opts, answer) : super.sign(pubKey, data, answer);
  }
}

/** Signs with a key teqlctl holds, as ssh2's publickey method signs with it. */
function signHere(key: ParsedKey, data: Buffer, options: SigningRequestOptions | undefined, done: SignCallback | undefined): boolean {
  const signature = key.sign(data, (options as { hash?: string } | undefined)?.hash);
  if (signature instanceof Error) done?.(signature);
  else done?.(undefined, signature);
  return true;
}
