// The command tree, and the one place where errors become messages and exit codes.
import { Command, CommanderError } from 'commander';
import { ExitCode, TeqlError, ConfigError, ConfigErrors, exitCodeOf } from '../errors.js';
import { registerLabCommand } from './lab-command.js';
import { registerPlayCommand } from './play-command.js';
import { EXIT_CODES_HELP } from './play-flags.js';
import { registerDemoCommand } from './demo-command.js';
import { registerStatusCommand } from './status-command.js';
import { registerRollbackCommand } from './rollback-command.js';
import { registerUnlockCommand } from './unlock-command.js';
import { registerWizardCommand } from './wizard-command.js';
import { registerCompletionCommand } from './completion-command.js';
import { packageVersion } from './version.js';

export function buildProgram(): Command {
  const program = new Command('teqlctl')
    .description('Load sharing over several links between two Linux routers with TEQL (LARTC ch. 10).')
    .version(packageVersion(), '-V, --version', 'print teqlctl\'s version')
    .exitOverride()
    .showHelpAfterError();
  registerPlayCommand(program);
  registerStatusCommand(program);
  registerRollbackCommand(program);
  registerUnlockCommand(program);
  registerLabCommand(program);
  registerDemoCommand(program);
  registerWizardCommand(program);
  registerCompletionCommand(program);
  program.addHelpText('after', EXIT_CODES_HELP);
  return program;
}

export function describeError(err: unknown): { message: string; code: number } {
  if (err instanceof ConfigErrors) {
    const lines = err.errors.map((e) => e.located + (e.hint ? `\n  hint: ${e.hint}` : ''));
    return { message: lines.join('\n') + `\n${err.errors.length} problem(s); nothing was contacted.`, code: err.exitCode };
  }
  if (err instanceof ConfigError) {
    return { message: err.located + (err.hint ? `\n  hint: ${err.hint}` : ''), code: err.exitCode };
  }
  if (err instanceof TeqlError) {
    return { message: `error: ${err.message}` + (err.hint ? `\n  hint: ${err.hint}` : ''), code: err.exitCode };
  }
  if (err instanceof CommanderError) return { message: '', code: err.exitCode === 0 ? 0 : ExitCode.badInput };
  // Anything else is a bug in teqlctl, not a user mistake: show the stack.
  return { message: `internal error (a bug in teqlctl): ${err instanceof Error ? err.stack : String(err)}`, code: exitCodeOf(err) };
}
