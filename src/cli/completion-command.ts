// `teqlctl completion bash|zsh`: prints a completion script made from the program's own commands
// and options (see command-tree.ts), so it cannot fall behind the parser.
import { Argument, type Command } from 'commander';
import { commandTree } from './command-tree.js';
import { bashCompletion } from './completion-bash.js';
import { zshCompletion } from './completion-zsh.js';

export const SHELLS = { bash: bashCompletion, zsh: zshCompletion } as const;

export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(teqlctl completion bash), or zsh')
    .addArgument(new Argument('<shell>', 'bash or zsh').choices(Object.keys(SHELLS)))
    .action((shell: keyof typeof SHELLS) => {
      process.stdout.write(SHELLS[shell](commandTree(program)));
    });
}
