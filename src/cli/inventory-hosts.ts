// For commands that act on an inventory without a playbook (status, rollback, unlock): load it,
// pick the hosts, connect to them all at once, with the same secrets as `play`. Bad input exits 2
// before any connection; a remote command that fails is an error with its exit code, never read as
// an empty answer.
import { connectWithExtraVars, limitErrorPos, limitTermsAt, loadInventory, matchTerms, PatternError, refuseMissingKnownHosts } from '../load/index.js';
import { extraVarsLayer } from '../load/extra-vars.js';
import { refuseConfigConnection, refuseHashMerge } from '../load/ansible-config-connection.js';
import { ansibleConfigNotes } from '../load/ansible-config.js';
import { homedir } from 'node:os';
import { hostProblems } from '../load/inventory.js';
import { Problems } from '../load/problems.js';
import { checkUnreadVars } from '../load/unread-vars.js';
import { connectSsh, type ConnectOptions } from '../connect/ssh-transport.js';
import { askOnce, givenSecrets, unusedBecomeFile, type SecretFlags } from '../connect/secrets.js';
import { ConfigError, ConnectError, RunFailure, type SourcePos } from '../errors.js';
import { askHidden } from '../ui/prompts.js';
import { terminalText } from '../ui/terminal.js';
import { statSync } from 'node:fs';
import { realPath, recordDir, recordedRunOf, rememberedPlaybookDir, type Remembered, type RunChoice } from './remembered-playbook-dir.js';
import { checkRunExtraVars } from './run-extra-vars.js';
import { warnOnce } from '../connect/warn-once.js';
import { dirname, join } from 'node:path';

export type { HostConnection, InventoryFlags } from './inventory-options.js';
export { inventoryOption, secretOptions } from './inventory-options.js';
import type { HostConnection, InventoryFlags } from './inventory-options.js';

/** How these commands connect: as `play` does, a sudo that wants a password nobody gave fails the connection. */
export function inventoryConnectOptions(flags: SecretFlags, interactive = Boolean(process.stdin.isTTY && process.stderr.isTTY)): ConnectOptions {
  return {
    ...givenSecrets(flags, process.env),
    strictBecome: true,
    ...(interactive ? askOnce((message) => askHidden(message, process.stderr), () => undefined) : {}),
  };
}

/** `--limit`'s hosts; a pattern that matches nothing (or is malformed) is bad input, as for `play`: exit 2, nothing contacted. */
function limitedHosts(limit: string, inventory: Parameters<typeof matchTerms>[1]): string[] {
  let at = new Map<string, SourcePos>();
  try {
    const read = limitTermsAt([limit]);
    at = read.at;
    return matchTerms(read.terms, inventory);
  } catch (err) {
    if (!(err instanceof PatternError)) throw err;
    throw new ConfigError(`--limit: ${err.message}`, limitErrorPos(err, at), err.hint);
  }
}

/** Connects to the inventory's hosts (or `flags.limit`'s); `options` may be shared by several calls (one question each). */
export async function connectInventory(flags: InventoryFlags, options = inventoryConnectOptions(flags), purpose: 'read' | 'change' = 'change'): Promise<HostConnection[]> {
  const playbookDir = playbookDirOf(flags);
  // -e first, as play reads it: a bad one stops the command before anything else is read.
  const extraProblems = new Problems();
  const extra = extraVarsLayer(flags.extraVars ?? [], extraProblems);
  extraProblems.throwIfAny();
  checkRunExtraVars(recordedRunOf(flags.inventory, runChoice(flags)), extra, purpose === 'change' && !flags.force ? 'change' : 'read', (text) => warnOnce(terminalText(`note: ${text}`)));
  const { inventory, layers, notes, deferred = new Map() } = loadInventory(flags.inventory, { ...(playbookDir !== undefined ? { playbookDir } : {}), deferHostProblems: true });
  // `-e ansible_user=admin` given to a play logged in as admin: given here, these log in as it did.
  connectWithExtraVars(inventory, layers, extra, deferred);
  const unread = playbookDir === undefined || realPath(playbookDir) !== realPath(process.cwd()) ? unreadPlaybookVars(process.cwd(), flags.inventory) : undefined;
  if (unread) warnOnce(terminalText(`note: ${unread}`));
  // What the inventory holds and no host reads (a host_vars typo, a skipped hosts.ini): said, as play says it.
  for (const note of notes ?? []) warnOnce(terminalText(`note: ${note}`));
  // ansible.cfg and ANSIBLE_* said as play says them (ANSIBLE_PLAYBOOK_DIR: Ansible's --playbook-dir
  // for these commands, not read here); they were said by play alone (a review).
  for (const note of ansibleConfigNotes(process.env, process.cwd(), homedir())) warnOnce(terminalText(`note: ${note}`));
  const names = flags.limit ? limitedHosts(flags.limit, inventory) : [...inventory.hosts.keys()];
  // Only the problems of the hosts reached: a --limit past a shared inventory's broken host works, as in Ansible.
  const problems = new Problems();
  hostProblems(deferred, names, problems);
  // -e judged as play judges it: `-e ansibel_user=admin` logged in as root without a word (a review).
  const unreadExtra: string[] = [];
  checkUnreadVars({ playbook: undefined, inventory: [], plays: [], extra, derived: names.map((h) => layers.get(h)!) }, problems, unreadExtra);
  for (const note of unreadExtra) warnOnce(terminalText(`note: ${note}`));
  refuseConfigConnection({ env: process.env, cwd: process.cwd(), home: homedir(), hosts: new Map(names.map((h) => [h, layers.get(h)!])), extra }, problems);
  refuseHashMerge({ env: process.env, cwd: process.cwd(), home: homedir() }, [...names.map((h) => layers.get(h)!), extra], problems);
  problems.throwIfAny();
  refuseMissingKnownHosts(inventory, names);
  const unusedBecome = unusedBecomeFile(flags, names.map((h) => inventory.hosts.get(h)!.connection.become));
  if (unusedBecome) warnOnce(terminalText(`note: ${unusedBecome}`));
  return Promise.all(
    names.map(async (host) => {
      try {
        return { host, transport: await connectSsh(host, inventory.hosts.get(host)!.connection, options) };
      } catch (err) {
        // Ctrl-C at a question stops the command (exit 130), not this host's connection alone.
        if (err instanceof RunFailure) throw err;
        return { host, error: (err as Error).message + (err instanceof ConnectError && err.hint ? ` (hint: ${err.hint})` : '') };
      }
    }),
  );
}

const remembered = new Map<string, Remembered | undefined>();

/** The folder whose group_vars/ and host_vars/ this command reads besides the inventory's: --playbook-dir, else a recorded run's. */
export function playbookDirOf(flags: InventoryFlags): string | undefined {
  return flags.playbookDir ?? lastRunsPlaybookDir(flags.inventory, runChoice(flags));
}

/** Which recorded run the command acts for: --run's, else the latest confirmed (rollback), else the latest. */
function runChoice(flags: InventoryFlags): RunChoice {
  return flags.run !== undefined ? { runId: flags.run } : flags.latestConfirmed ? 'latest-confirmed' : 'latest';
}

/**
 * Without --playbook-dir: the folder of the playbook a recorded `play` with this -i ran (the run
 * named, the latest confirmed, or the latest), read as it read it (its group_vars/ may set how to
 * log in), and said.
 */
function lastRunsPlaybookDir(sources: readonly string[], choice: RunChoice): string | undefined {
  // Once per command: a rollback that connects again to a host it lost reads what it read first,
  // whatever a play meanwhile recorded.
  const key = JSON.stringify([sources, choice, recordDir()]);
  if (!remembered.has(key)) remembered.set(key, rememberedPlaybookDir(sources, choice));
  const last = remembered.get(key);
  if (!last) return undefined;
  const which = typeof choice === 'object' && last.runId === choice.runId ? 'the run'
    : choice === 'latest-confirmed' && last.confirmed ? 'the latest run with this inventory recorded here as confirmed' : 'the last play with this inventory';
  // An inventory's own folder is read anyway: nothing new to say.
  if (!inventoryDirs(sources).includes(realPath(last.dir))) warnOnce(terminalText(`note: reading group_vars/ and host_vars/ in ${last.dir}, as ${which} did (${last.playbook}, run ${last.runId}): --playbook-dir to read another folder's`));
  return last.dir;
}

/** The folders an inventory's group_vars/ are read in: each -i folder, or an -i file's folder. */
function inventoryDirs(sources: readonly string[]): string[] {
  return sources.map((s) => realPath(statSync(s, { throwIfNoEntry: false })?.isDirectory() ? s : dirname(s)));
}

/**
 * group_vars/ or host_vars/ in the current folder, which is no inventory's: `play` of a playbook
 * here reads them (they may set the user, port, become), a command without a playbook does not,
 * as `ansible` does not without --playbook-dir. Said, so that a rollback does not log in otherwise
 * than the run it undoes without a word.
 */
export function unreadPlaybookVars(cwd: string, sources: readonly string[]): string | undefined {
  if (inventoryDirs(sources).includes(realPath(cwd))) return undefined;
  const found = ['group_vars', 'host_vars'].filter((d) => statSync(join(cwd, d), { throwIfNoEntry: false })?.isDirectory());
  if (found.length === 0) return undefined;
  return `${found.map((d) => `${d}/`).join(' and ')} in this folder ${found.length > 1 ? 'are' : 'is'} not read (no playbook here to read ${found.length > 1 ? 'them' : 'it'} beside): give --playbook-dir . to read ${found.length > 1 ? 'them' : 'it'} as \`play\` of a playbook here does`;
}

/** Runs a script and returns its result, or throws RemoteCommandError unless it exited with one of `ok`. */
export { closeAll, runChecked } from './host-connections.js';
