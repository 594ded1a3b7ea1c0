// `play --syntax-check | --list-hosts | --list-tasks`: load and validate exactly as a run does, print,
// stop. Nothing connects: a bad input is exit 2 as in a run, a good one exit 0.
import { loadRun, refuseMissingKnownHosts } from '../load/index.js';
import { ExitCode } from '../errors.js';
import { withHalfBundleNotes } from '../play/half-bundles.js';
import { formatListing } from '../report/list-plays.js';
import { terminalText } from '../ui/terminal.js';
import { loadOptions, type PlayFlags } from './play-flags.js';

export async function showOffline(playbook: string, flags: PlayFlags): Promise<number> {
  const loaded = withHalfBundleNotes(await loadRun(flags.inventory, playbook, loadOptions(flags)));
  // As a run refuses it before connecting (a local file, nothing contacted): what --syntax-check
  // passes, a run accepts (a review found a missing teqlctl_known_hosts_file passed here).
  refuseMissingKnownHosts(loaded.inventory, new Set(loaded.plays.flatMap((p) => p.hosts)));
  for (const note of loaded.notes ?? []) process.stderr.write(terminalText(`note: ${note}`) + '\n');
  // Templated names may hold what an inventory variable says: escaped as any text for the terminal.
  process.stdout.write(terminalText(formatListing(loaded, playbook, { hosts: Boolean(flags.listHosts), tasks: Boolean(flags.listTasks) })));
  return ExitCode.ok;
}
