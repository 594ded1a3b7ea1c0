// `yes`, `no`, `on`, `off` written plain in a YAML file: booleans to Ansible (YAML 1.1), text to
// teqlctl (YAML 1.2). Where teqlctl needs a boolean it refuses the text; compared (`tune == true`,
// `dis == 'off'`) or printed (`"{{ tune }}"`) it went on with its own reading and chose another
// branch or value than Ansible would, without a word (a review). Refused there, naming the variable.
import { ExprError } from './expr-error.js';
import type { Expr } from './expr-parse.js';

/** A variable whose value was written as a plain YAML 1.1 boolean word. */
export interface BooleanWord {
  word: string;
  /** Ansible's reading. */
  value: boolean;
  /** Where it was written: file:line:col. */
  at: string;
}

const WORDS = /^(?:yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The YAML 1.1 boolean a plain scalar's source text is, when it is one of those words. */
export function booleanWordOf(source: unknown): boolean | undefined {
  if (typeof source !== 'string' || !WORDS.test(source)) return undefined;
  return /^(?:yes|on)$/i.test(source);
}

/** Refuses `e` when it is a variable written as such a word; `use`: "compared", "printed". */
export function refuseBooleanWord(e: Expr, find: ((name: string) => BooleanWord | undefined) | undefined, use: string): void {
  if (e.kind !== 'var' || !find) return;
  const w = find(e.name);
  if (!w) return;
  throw new ExprError(
    `'${e.name}' is written \`${w.word}\` (at ${w.at}): Ansible (YAML 1.1) reads it as the boolean ${w.value}, teqlctl (YAML 1.2) as the text '${w.word}', and ${use} the two differ`,
    `write ${w.value} where it is set if it is a switch (or quote it, '${w.word}', if it is text), or convert it here with ${e.name} | bool`,
  );
}
