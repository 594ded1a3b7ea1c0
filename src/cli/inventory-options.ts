// The options of commands that act on an inventory, kept apart from how they connect: defining a
// command's options must not load SSH (`teqlctl --version` and `--help` start without it).
import { Option, type Command } from 'commander';
import type { SecretFlags } from '../connect/secrets.js';
import type { Transport } from '../connect/transport.js';

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

