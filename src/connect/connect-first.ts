// On a terminal, every host is connected before the progress display starts, so that questions
// (a key's passphrase, the sudo password) are asked on a quiet screen. Failures are kept, not
// thrown: the run reports them for their host as it would any connection failure.
import type { Transport } from './transport.js';

export async function connectFirst(hosts: readonly string[], limit: number, connect: (host: string) => Promise<Transport>, stop?: AbortSignal): Promise<Map<string, Promise<Transport>>> {
  const out = new Map<string, Promise<Transport>>();
  let next = 0;
  const worker = async (): Promise<void> => {
    // Interrupted (Ctrl-C at a question, a signal): no more hosts are connected.
    while (next < hosts.length && !stop?.aborted) {
      const host = hosts[next++]!;
      const p = connect(host);
      p.catch(() => undefined); // the run awaits it later
      out.set(host, p);
      await p.catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, hosts.length)) }, worker));
  return out;
}

/** Closes what connectFirst opened (the run closes the ones it used; closing twice is harmless). */
export async function closeAll(early: Map<string, Promise<Transport>> | undefined): Promise<void> {
  if (!early) return;
  await Promise.all([...early.values()].map((p) => p.then((t) => t.close(), () => undefined)));
}
