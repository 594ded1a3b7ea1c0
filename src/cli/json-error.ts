// With --json, bad input (exit 2) still prints one JSON document on stdout, so a script that reads
// stdout learns what was wrong and where (docs/json-schema/error.schema.json), as it learns a run's outcome.
import { CommanderError } from 'commander';
import { ConfigError, ConfigErrors, ExitCode } from '../errors.js';
import { SCHEMA_VERSION } from '../report/json.js';

export interface JsonProblem {
  file: string | null;
  line: number | null;
  column: number | null;
  message: string;
  hint: string | null;
}

/**
 * A problem of the command line (-e) has no file: its text places it as `(command line):1:N`, the
 * N-th -e; here its position is null, as the schema says for options (a review found the -e's
 * number given as a column of a file named "(command line)").
 */
function problem(e: ConfigError): JsonProblem {
  const pos = e.pos && !e.pos.file.startsWith('(command line') ? e.pos : undefined;
  return { file: pos?.file ?? null, line: pos?.line ?? null, column: pos?.col ?? null, message: e.message, hint: e.hint ?? null };
}

/** The error document for an exit-2 error: every problem with its position (null where it has none, e.g. an option). */
export function errorDocument(err: unknown) {
  const errors: JsonProblem[] =
    err instanceof ConfigErrors ? err.errors.map(problem)
      : err instanceof ConfigError ? [problem(err)]
      // commander's own message, without its "error: " prefix: an unknown option, a missing argument.
      : err instanceof CommanderError ? [{ file: null, line: null, column: null, message: err.message.replace(/^error: /, ''), hint: null }]
      : [{ file: null, line: null, column: null, message: err instanceof Error ? err.message : String(err), hint: null }];
  return { schemaVersion: SCHEMA_VERSION, kind: 'error' as const, exitCode: ExitCode.badInput, errors };
}

/** The commands that have --json: `unlock --json` is an unknown option, said as such, not as a JSON document. */
const JSON_COMMANDS = ['play', 'status'];

/**
 * Whether the command line asks for JSON. Read from the words themselves: when the parser itself
 * failed (an unknown option), there are no parsed flags to ask. Words after `--` are not ours, nor
 * a --json given to a command that has none (rollback, unlock: a JSON document was printed).
 */
export function wantsJson(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const ours = end === -1 ? args : args.slice(0, end);
  const command = ours.find((a) => !a.startsWith('-'));
  return command !== undefined && JSON_COMMANDS.includes(command) && ours.includes('--json');
}
