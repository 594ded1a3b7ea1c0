// For commands that act on an inventory without a playbook (status, rollback, unlock): load it,
// pick the hosts, connect to them all at once. Bad input exits 2 before any connection.
import { loadInventory, matchPattern } from '../load/index.js';
import { connectSsh } from '../connect/ssh-transport.js';
import type { Transport } from '../connect/transport.js';
import { ConnectError } from '../errors.js';

export interface HostConnection {
  host: string;
  transport?: Transport;
  error?: string;
}

export async function connectInventory(file: string, limit?: string): Promise<HostConnection[]> {
  const { inventory } = loadInventory(file);
  const names = limit ? matchPattern(limit, inventory) : [...inventory.hosts.keys()];
  const password = process.env.TEQLCTL_BECOME_PASSWORD;
  return Promise.all(
    names.map(async (host) => {
      try {
        return { host, transport: await connectSsh(host, inventory.hosts.get(host)!.connection, password ? { becomePassword: password } : {}) };
      } catch (err) {
        const e = err as Error;
        return { host, error: e.message + (err instanceof ConnectError && err.hint ? ` (hint: ${err.hint})` : '') };
      }
    }),
  );
}

export async function closeAll(conns: HostConnection[]): Promise<void> {
  await Promise.all(conns.map((c) => c.transport?.close().catch(() => undefined)));
}
