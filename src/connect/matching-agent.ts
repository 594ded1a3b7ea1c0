// IdentitiesOnly yes, as ssh reads it: of the agent's keys, only those that are one of the key
// files named (a key loaded with ssh-add whose file is encrypted, say). Without it, a server with a
// low MaxAuthTries (6 by default) sees every key the agent holds and may refuse the login before
// the right one is offered.
import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';

/** An agent on `socket` that lists only the keys whose public blob is in `wanted`. */
export function matchingAgent(socket: string, wanted: readonly Buffer[]): ssh2.BaseAgent {
  return new MatchingAgent(socket, wanted);
}

class MatchingAgent extends ssh2.OpenSSHAgent {
  constructor(
    socket: string,
    private readonly wanted: readonly Buffer[],
  ) {
    super(socket);
  }

  override getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
    super.getIdentities((err, keys) => {
      if (err) return cb(err);
      // OpenSSHAgent lists parsed keys (ssh2's agent.js).
      cb(undefined, (keys as ParsedKey[] | undefined ?? []).filter((k) => this.wanted.some((w) => w.equals(k.getPublicSSH()))));
    });
  }
}

/** The public blob of `file` from `file.pub`, as ssh reads it for a key it cannot open itself. */
export async function publicBlobOf(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(`${file}.pub`, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = ssh2.utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key instanceof Error || key === undefined ? undefined : key.getPublicSSH();
}
