// The commander program as plain data, for the completion scripts: they are generated from the
// very options the parser knows, so a new option completes without anyone editing a script.
import type { Command } from 'commander';

export interface OptionNode {
  /** `-i` and `--inventory`, as written in the option's flags. */
  names: string[];
  description: string;
  /** Takes a value: completion offers files for it when `fileValue`, nothing otherwise. */
  takesValue: boolean;
  fileValue: boolean;
  /** May be given several times (-e, -v): options with their own accumulating parser. */
  repeatable: boolean;
}

export interface ArgumentNode {
  name: string;
  choices?: string[];
  variadic: boolean;
}

export interface CommandNode {
  name: string;
  description: string;
  options: OptionNode[];
  args: ArgumentNode[];
  subcommands: CommandNode[];
}

// Values that name a path: <file>, --log <file>, --inventory-out <path>, wizard's --dir <folder>.
const FILE_VALUE = /<(file|path|dir|folder)[^>]*>/;

export function commandTree(cmd: Command): CommandNode {
  const options: OptionNode[] = cmd.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      names: [o.short, o.long].filter((n): n is string => Boolean(n)),
      description: o.description,
      takesValue: o.required || o.optional,
      fileValue: FILE_VALUE.test(o.flags),
      repeatable: o.parseArg !== undefined,
    }));
  // commander adds --help itself, outside cmd.options.
  options.push({ names: ['-h', '--help'], description: 'display help for command', takesValue: false, fileValue: false, repeatable: false });
  return {
    name: cmd.name(),
    description: cmd.description(),
    options,
    args: cmd.registeredArguments.map((a) => ({ name: a.name(), variadic: a.variadic, ...(a.argChoices ? { choices: [...a.argChoices] } : {}) })),
    subcommands: cmd.commands.map(commandTree),
  };
}

/** Every command with its path of names below the program ('' for the program itself, 'lab up' ...). */
export function walk(node: CommandNode, path: string[] = []): Array<{ path: string[]; node: CommandNode }> {
  return [{ path, node }, ...node.subcommands.flatMap((c) => walk(c, [...path, c.name]))];
}
