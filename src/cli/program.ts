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
  registerHelpCommand(program);
  program.addHelpText('after', EXIT_CODES_HELP);
  refuseRepeatedValues(program);
  return program;
}

// Options taken more than once, each value kept: -i merges inventories, -e stacks variables,
// --debug-hold holds several points (the fault matrix gives it twice).
const REPEATABLE = new Set(['--inventory', '--extra-vars', '--debug-hold']);

/**
 * An option with a value given twice (`--forks 5 --forks 6`, `--log a --log b`): commander keeps the
 * last without a word, as it did for -l and --run until they were refused (a review: the first
 * --become-password-file was never read). And a value that is another option of the command
 * (`--log --json` wrote the log to a file named --json, the recap in text): both refused, exit 2.
 */
function refuseRepeatedValues(cmd: Command): void {
  // Its help's too (commander keeps -h apart), and a cluster of short flags (-vv) by its first.
  const flags = new Set([...cmd.options.flatMap((o) => [o.long, o.short]), '-h', '--help'].filter((f): f is string => f !== undefined));
  const isFlag = (v: string) => flags.has(v.startsWith('--') ? v.split('=')[0]! : v.slice(0, 2));
  for (const o of cmd.options) {
    if (!o.required && !o.optional) continue;
    let first: string | undefined;
    cmd.on(`option:${o.name()}`, (value: unknown) => {
      const given = String(value);
      // Its value's own name (<file>, <n>, <hosts>): only a file may be written ./-name.
      const arg = /<[^>]+>/.exec(o.flags)?.[0] ?? '<value>';
      const file = /file|dir|path/.test(arg) ? `, or write a ${arg.slice(1, -1)} whose name starts with - as ./${given}` : '';
      if (isFlag(given)) cmd.error(`error: option '${o.flags}' took '${given}' as its value: give ${o.long ?? o.short} ${arg} with its value${file}`, { code: 'teqlctl.optionAsValue', exitCode: ExitCode.badInput });
      if (REPEATABLE.has(o.long ?? '')) return;
      if (first !== undefined) cmd.error(`error: option '${o.flags}' given twice ('${first}', then '${given}'): give it once (the last would quietly win)`, { code: 'teqlctl.optionRepeated', exitCode: ExitCode.badInput });
      first = given;
    });
  }
  for (const c of cmd.commands) refuseRepeatedValues(c);
}

/**
 * `help [command...]`, as commander's but for nested commands (`help lab up` showed lab's help) and
 * for a name that is no command (`help bogus` printed the whole help, exit 2, without saying why).
 */
function registerHelpCommand(program: Command): void {
  program.helpCommand(false);
  program
    .command('help')
    .description('display help for command')
    .argument('[command...]', 'a command, or a command and its subcommand (help lab up)')
    .action((names: string[]) => {
      let cmd = program;
      for (const [k, name] of names.entries()) {
        const next = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!next) {
          const path = ['teqlctl', ...names.slice(0, k)].join(' ');
          throw new ConfigError(`no command '${names.slice(0, k + 1).join(' ')}'`, undefined, `${path} has: ${cmd.commands.map((c) => c.name()).join(', ') || 'no subcommands'}`);
        }
        cmd = next;
      }
      cmd.outputHelp();
    });
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
