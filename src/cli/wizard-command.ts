// `teqlctl wizard`: the interactive setup. Refuses without a terminal; Ctrl-C in a prompt ends it
// with nothing written (files appear whole at the end) and nothing changed (routers are only read).
import type { Command } from 'commander';
import { ConfigError, ExitCode } from '../errors.js';
import { runWizard } from '../wizard/flow.js';
import { isPromptExit } from '../ui/prompts.js';

export function registerWizardCommand(program: Command): void {
  program
    .command('wizard')
    .description('set up two routers step by step: connect, pick the links, address them, write an inventory and a playbook, run them')
    .option('--dir <folder>', 'where inventories/ and playbooks/ are written', process.cwd())
    .action(async (flags: { dir: string }) => {
      process.exitCode = await runWizardCommand(flags.dir);
    });
}

export async function runWizardCommand(dir: string): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new ConfigError(
      'teqlctl wizard asks questions and needs a terminal; stdin or stdout is not one',
      undefined,
      'unattended, write the inventory and playbook yourself (see inventories/example.yml and playbooks/teql.yml) and run: teqlctl play -i <inventory> <playbook> --yes',
    );
  }
  try {
    return await runWizard({ dir });
  } catch (err) {
    if (!isPromptExit(err)) throw err;
    process.stderr.write('\nwizard interrupted: nothing was written and no router was changed\n');
    return ExitCode.interrupted;
  }
}
