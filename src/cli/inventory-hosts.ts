// For commands that act on an inventory without a playbook (status, rollback, unlock): load it,
// pick the hosts, connect to them all at once, with the same secrets as `play`. Bad input exits 2
// before any connection; a remote command that fails is an error with its exit code, never read as
// an empty answer.
import { Option, type Command } from 'commander';
import { loadInventory, matchPattern } from '../load/index.js';
import { connectSsh, type ConnectOptions } from '../connect/ssh-transport.js';
import { askOnce, givenSecrets, type SecretFlags } from '../connect/secrets.js';
import type { CommandResult, Transport } from '../connect/transport.js';
import { ConnectError, RemoteCommandError, type Stage } from '../errors.js';
import { askHidden } from '../ui/prompts.js';

export interface HostConnection {
  host: string;
  transport?: Transport;
  error?: string;
}

export interface InventoryFlags extends SecretFlags {
  /** Every -i, in order: Ansible merges them all (a later one adds hosts and overrides variables). */
  inventory: string[];
  limit?: string;
}

/** `-i` as ansible-playbook takes it: repeatable, each a file or a folder, merged in order. */
export function inventoryOption(): Option {
  return new Option('-i, --inventory <path>', 'inventory file (YAML or INI) or folder of them; repeat -i to merge several, in order')
    .makeOptionMandatory()
    .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
}

/** The secret sources `play` reads: files, else the environment, else a question on a terminal. */
export function secretOptions(cmd: Command): Command {
  return cmd
    .option('--become-password-file <file>', 'sudo password for become (else $TEQLCTL_BECOME_PASSWORD; asked on a terminal)')
    .option('--key-passphrase-file <file>', 'passphrase of an encrypted SSH key (else $TEQLCTL_SSH_PASSPHRASE; asked on a terminal)');
}

/** How these commands connect: as `play` does, a sudo that wants a password nobody gave fails the connection. */
export function inventoryConnectOptions(flags: SecretFlags, interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)): ConnectOptions {
  return {
    ...givenSecrets(flags, process.env),
    strictBecome: true,
    ...(interactive ? askOnce((message) => askHidden(message, process.stderr), () => undefined) : {}),
  };
}

/** Connects to the inventory's hosts (or `flags.limit`'s); `options` may be shared by several calls (one question each). */
export async function connectInventory(flags: InventoryFlags, options = inventoryConnectOptions(flags)): Promise<HostConnection[]> {
  const { inventory } = loadInventory(flags.inventory);
  const names = flags.limit ? matchPattern(flags.limit, inventory) : [...inventory.hosts.keys()];
  return Promise.all(
    names.map(async (host) => {
      try {
        return { host, transport: await connectSsh(host, inventory.hosts.get(host)!.connection, options) };
      } catch (err) {
        return { host, error: (err as Error).message + (err instanceof ConnectError && err.hint ? ` (hint: ${err.hint})` : '') };
      }
    }),
  );
}

/** Runs a script and returns its result, or throws RemoteCommandError unless it exited with one of `ok`. */
export async function runChecked(t: Transport, label: string, script: string, what: string, stage: Stage, ok: readonly number[] = [0]): Promise<CommandResult> {
  const res = await t.run(label, script);
  if (!ok.includes(res.code)) throw new RemoteCommandError(t.host, res, what, stage);
  return res;
}

export async function closeAll(conns: HostConnection[]): Promise<void> {
  await Promise.all(conns.map((c) => c.transport?.close().catch(() => undefined)));
}
