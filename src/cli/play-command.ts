// `teqlctl play`: the options, as ansible-playbook users expect them. The run is in play-run.ts,
// the offline looks in play-offline.ts, the flags' checks and defaults in play-flags.ts.
import type { Command } from 'commander';
import { ExitCode } from '../errors.js';
import { EXIT_CODES_HELP, PLAY_DEFAULTS, type PlayFlags } from './play-flags.js';
import { DEBUG_HOLD_OPTION, DEBUG_HOLDS_OPTION } from './debug-hold.js';
import { extraVarsOption, inventoryOption, limitArg } from './inventory-options.js';

export function registerPlayCommand(program: Command): void {
  program
    .command('play')
    .description('converge the hosts of an inventory to a playbook: plan, apply only the difference, verify, roll back on failure')
    .argument('<playbook>', 'playbook YAML file')
    .addOption(inventoryOption())
    .option('-C, --check', 'show the plan and stop; nothing is changed')
    .option('--detailed-exitcode', `with --check: exit 0 when nothing would change, ${ExitCode.changesPending} when changes are pending (for drift checks)`)
    .option('-D, --diff', 'show before and after values and the commands of each change')
    .option('-y, --yes', 'apply without asking (required without a terminal)')
    .option('--json', 'print one JSON document on stdout and nothing else there (docs/json-schema/)')
    .option('-v, --verbose', 'also stream the log of commands sent to stderr; -vv adds their output', (_v: string, prev: number | undefined) => (prev ?? 0) + 1)
    .option('--syntax-check', 'load and validate the inventory and playbook, then stop; connects to nothing')
    .option('--list-hosts', 'list the hosts of each play, then stop; connects to nothing')
    .option('--list-tasks', 'list the tasks of each play per host (loops expanded, `when` applied), then stop; connects to nothing')
    .option('-f, --forks <n>', 'hosts worked on at once (1 to 10000)', PLAY_DEFAULTS.forks)
    .option('-l, --limit <hosts>', 'only these hosts (comma-separated)', limitArg)
    .addOption(extraVarsOption())
    .option('--log <file>', 'log of every command sent, in a folder that exists (default $XDG_CACHE_HOME/teqlctl/logs/<run id>.log, ~/.cache if unset)')
    .option('--become-password-file <file>', 'sudo password for become (else $TEQLCTL_BECOME_PASSWORD; asked on a terminal)')
    .option('--key-passphrase-file <file>', 'passphrase of an encrypted SSH key (else $TEQLCTL_SSH_PASSPHRASE; asked on a terminal)')
    .option('--accept-new', 'trust a host key seen for the first time and record it in ~/.ssh/known_hosts (a changed key is still refused)')
    .option('--confirm-timeout <seconds>', 'each router reverts itself unless the run is confirmed within this time of its first change (10 to 86400)', PLAY_DEFAULTS.confirmTimeout)
    .addOption(DEBUG_HOLD_OPTION())
    .addOption(DEBUG_HOLDS_OPTION())
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (playbook: string, flags: PlayFlags) => {
      // Loaded when play runs: `teqlctl --version`, `--help` and the other commands start without SSH or listr2.
      const { runPlayCommand } = await import('./play-run.js');
      await runPlayCommand(playbook, flags);
    });
}
