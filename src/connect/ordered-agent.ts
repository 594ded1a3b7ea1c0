// The keys a login offers, in OpenSSH 9.2's order (sshconnect2.c, pubkey_prepare; checked against
// the real ssh by test/connect/key-order.test.ts): first the agent's keys that are files named (in
// the agent's order; the agent signs), then its other keys (none with IdentitiesOnly), then the
// files it does not hold. teqlctl offered every readable file first, then the agent (a review): a
// server that counts failed keys (MaxAuthTries) saw other keys first than ssh shows it.
import ssh2 from 'ssh2';
import type { ParsedKey, SignCallback, SigningRequestOptions } from 'ssh2';

/** A key file named: its key where teqlctl can sign with it, and its public blob to match the agent's by. */
export interface FileKey {
  file: string;
  /** Ready to sign (read, unlocked): offered after the agent's keys when the agent does not hold it. */
  key?: ParsedKey;
  /** The public key, as ssh loads it for a file (the key itself, its OpenSSH header or its .pub). */
  blob?: Buffer;
}

/** The keys to offer, in ssh's order: `agentKeys` of files named, the other `agentKeys`, then `files` the agent does not hold. */
export function sshKeyOrder(agentKeys: readonly ParsedKey[], files: readonly FileKey[], identitiesOnly: boolean): ParsedKey[] {
  const taken = new Set<FileKey>();
  const named: ParsedKey[] = [];
  const others: ParsedKey[] = [];
  for (const k of agentKeys) {
    const blob = k.getPublicSSH();
    const file = files.find((f) => !taken.has(f) && f.blob?.equals(blob) === true);
    // A file the agent holds is offered as the agent's key, which the agent signs with (id->agent_fd).
    if (file) taken.add(file);
    if (file) named.push(k);
    else if (!identitiesOnly) others.push(k);
  }
  const rest = files.flatMap((f) => (!taken.has(f) && f.key ? [f.key] : []));
  return [...named, ...others, ...rest];
}

/** An agent on `socket` that lists its keys and the ready files in ssh's order, and signs with each where it is. */
export function orderedAgent(socket: string, files: readonly FileKey[], identitiesOnly: boolean): ssh2.BaseAgent {
  return new OrderedAgent(socket, files, identitiesOnly);
}

class OrderedAgent extends ssh2.OpenSSHAgent {
  constructor(
    socket: string,
    private readonly files: readonly FileKey[],
    private readonly identitiesOnly: boolean,
  ) {
    super(socket);
  }

  override getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    super.getIdentities((err, keys) => {
      // An agent that does not answer: the files alone, as ssh goes on without it (ssh2 would
      // otherwise drop the whole method, the files with it).
      const listed = err ? [] : ((keys as ParsedKey[] | undefined) ?? []);
      cb(undefined, sshKeyOrder(listed, this.files, this.identitiesOnly));
    });
  }

  override sign(pubKey: ParsedKey | Buffer | string, data: Buffer, options?: SigningRequestOptions | SignCallback, cb?: SignCallback): boolean {
    const done = typeof options === 'function' ? options : cb;
    const own = this.files.find((f) => f.key !== undefined && f.key === pubKey)?.key;
    if (!own) return typeof options === 'function' ? super.sign(pubKey, data, options) : super.sign(pubKey, data, options, cb);
    // A key file the agent does not hold: signed here, as ssh2's publickey method signs it.
    const hash = typeof options === 'object' ? (options as { hash?: string }).hash : undefined;
    const signature = own.sign(data, hash);
    if (signature instanceof Error) done?.(signature);
    else done?.(undefined, signature);
    return true;
  }
}
