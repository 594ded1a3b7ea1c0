// `teqlctl wizard`: the interactive setup. Refuses without a terminal; Ctrl-C in a prompt ends it
// with nothing written (files appear whole at the end) and nothing changed (routers are only read).
// The wizard returns what to run; this command runs it as `teqlctl play --yes` would.
import type { Command } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, ExitCode } from '../errors.js';
import type { PlayRequest } from '../wizard/flow.js';
import { PLAY_DEFAULTS } from './play-flags.js';

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
  // Loaded when the wizard runs: the prompts (inquirer) and SSH are not needed to define the command.
  const [{ runWizard }, { isPromptExit }, { targetDirProblem }] = await Promise.all([import('../wizard/flow.js'), import('../ui/prompts.js'), import('../wizard/target-dir.js')]);
  const dirProblem = targetDirProblem(resolve(dir));
  if (dirProblem) throw new ConfigError(`--dir ${dir}: ${dirProblem}`, undefined, 'give a folder you can write to (it is created if missing): teqlctl wizard --dir <folder>');
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new ConfigError(
      'teqlctl wizard asks questions and needs a terminal; stdin or stdout is not one',
      undefined,
      'unattended, write the inventory and playbook yourself (see inventories/example.yml and playbooks/teql.yml) and run: teqlctl play -i <inventory> <playbook> --yes',
    );
  }
  let request: PlayRequest | undefined;
  try {
    request = await runWizard({ dir });
  } catch (err) {
    const message = interruptedMessage(err, isPromptExit);
    if (message === undefined) throw err;
    process.stderr.write(`\nwizard ${message}\n`);
    return ExitCode.interrupted;
  }
  return request ? runRequest(request) : 0;
}

/** What Ctrl-C in a prompt ends with: "nothing was written" only while that is true. */
export function interruptedMessage(err: unknown, isPromptExit: (err: unknown) => boolean): string | undefined {
  if (err instanceof Error && err.name === 'StoppedAfterWriting') return err.message;
  return isPromptExit(err) ? 'interrupted: nothing was written and no router was changed' : undefined;
}

/** Runs what the wizard wrote; secrets typed in the wizard reach play through 0600 files, removed after. */
/**
 * What the wizard says once its run ended. Only a run that converged changes nothing the second
 * time; after a rollback or a refusal the routers are as they were, and a run again would change
 * them (a review: "a second run changes nothing" was said after any run).
 */
export function afterRunLine(command: string, code: number): string {
  return code === 0
    ? `\nRun it again any time: ${command} --yes   (a second run changes nothing)\n`
    : `\nThe run did not converge (exit ${code}; above, what each router holds now). Preview the next try with: ${command} --check\n`;
}

async function runRequest(r: PlayRequest): Promise<number> {
  const secrets = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-'));
  const secretFile = (name: string, value: string): string => {
    const file = join(secrets, name);
    writeFileSync(file, value, { mode: 0o600 });
    return file;
  };
  try {
    process.stdout.write(`\n== Running: ${r.command} --yes\n`);
    // From here the engine handles Ctrl-C: it rolls both routers back at once.
    const { runPlayCommand } = await import('./play-run.js');
    const code = await runPlayCommand(r.playbook, {
      ...PLAY_DEFAULTS,
      inventory: [r.inventory],
      yes: true,
      ...(r.becomePassword !== undefined ? { becomePasswordFile: secretFile('become-password', r.becomePassword) } : {}),
      ...(r.keyPassphrase !== undefined ? { keyPassphraseFile: secretFile('key-passphrase', r.keyPassphrase) } : {}),
    });
    process.stdout.write(afterRunLine(r.command, code));
    return code;
  } finally {
    rmSync(secrets, { recursive: true, force: true });
  }
}
