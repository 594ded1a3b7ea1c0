// The options of commands that act on an inventory, kept apart from how they connect: defining a
// command's options must not load SSH (`teqlctl --version` and `--help` start without it).
import { statSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
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
  /** The folder whose group_vars/ and host_vars/ `play` reads beside its playbook (Ansible's --playbook-dir). */
  playbookDir?: string;
  /** rollback's --run: without --playbook-dir, the playbook folder that run read is read. */
  run?: string;
  /** rollback without --run (it undoes the routers' latest confirmed run): the folder of the latest run recorded confirmed is read. */
  latestConfirmed?: boolean;
  /** -e, as play takes it: `-e ansible_user=admin` given to a play must be given here too, or these log in otherwise. */
  extraVars?: string[];
  /** rollback's and unlock's --force: a run's -e connection variables not given again are said, not refused. */
  force?: boolean;
}

/** `-e`, as play takes it (repeatable). */
export function extraVarsOption(what = 'set a variable above all others (repeatable), e.g. -e teql_persist=true'): Option {
  return new Option('-e, --extra-vars <name=value>', what).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
}

/** `-i` as ansible-playbook takes it: repeatable, each a file or a folder, merged in order. */
export function inventoryOption(): Option {
  return new Option('-i, --inventory <path>', 'inventory file (YAML or INI) or folder of them; repeat -i to merge several, in order')
    .makeOptionMandatory()
    .argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
}

/** `--playbook-dir`, as `ansible` takes it: the group_vars/ and host_vars/ a play beside them would read. */
export function playbookDirOption(): Option {
  return new Option('--playbook-dir <dir>', "read group_vars/ and host_vars/ in this folder too, as `play` reads them beside its playbook (they may set the user, port or become)").argParser(folderArg);
}

/** A folder that is there: a typo would leave the group_vars/ that set how to log in silently unread. */
function folderArg(value: string): string {
  let isDir = false;
  try {
    isDir = statSync(value).isDirectory();
  } catch {
    throw new InvalidArgumentError(`${value} does not exist: give the folder of the playbook whose group_vars/ and host_vars/ to read`);
  }
  if (!isDir) throw new InvalidArgumentError(`${value} is not a folder: give the folder of the playbook, not a file`);
  return value;
}

/** A run id as teqlctl gives them (`teqlctl status` lists them): checked before any router is contacted. */
export function runIdArg(value: string, previous?: string): string {
  // As -l: a second --run would quietly win, and the rollback undo the other run (a review).
  if (previous !== undefined) throw new InvalidArgumentError(`--run is already '${previous}': give one run`);
  if (!/^[A-Za-z0-9._-]+$/.test(value) || value === '.' || value === '..') throw new InvalidArgumentError(`'${value}' is not a run id: give one as \`teqlctl status\` lists it (letters, digits, . _ -)`);
  return value;
}

/**
 * `-l`'s value: one pattern list, never empty. Ansible runs an empty --limit on every host and keeps
 * only the last of several: a script whose $HOSTS came out empty would then reach the whole fleet,
 * and `-l a -l b` would quietly mean b. Both are refused (exit 2, nothing contacted).
 */
export function limitArg(value: string, previous: string | undefined): string {
  if (previous !== undefined) throw new InvalidArgumentError(`--limit is already '${previous}': give one --limit with the patterns separated by commas (-l a,b)`);
  if (value.trim() === '') throw new InvalidArgumentError('it is empty: give a host pattern, or leave --limit out to run on every host');
  return value;
}

/** The secret sources `play` reads: files, else the environment, else a question on a terminal. */
export function secretOptions(cmd: Command): Command {
  return cmd
    .option('--become-password-file <file>', 'sudo password for become (else $TEQLCTL_BECOME_PASSWORD; asked on a terminal)')
    .option('--key-passphrase-file <file>', 'passphrase of an encrypted SSH key (else $TEQLCTL_SSH_PASSPHRASE; asked on a terminal)');
}

