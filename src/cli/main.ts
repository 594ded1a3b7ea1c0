#!/usr/bin/env node
// The one entry point: parses the command line, runs a command, maps errors to exit codes.
import { buildProgram, describeError } from './program.js';
import { errorDocument, wantsJson } from './json-error.js';
import { ExitCode } from '../errors.js';
import { terminalJson, terminalText } from '../ui/terminal.js';
import { guardOutput, outputLost } from '../ui/output-guard.js';

// Before anything writes: a closed pipe or a full disk is a lost output to end on, not a crash.
guardOutput('stdout', process.stdout);
guardOutput('stderr', process.stderr);

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    const { message, code } = describeError(err);
    // Error messages carry what routers said (sudo, iproute2): escaped before they reach the terminal.
    if (message) process.stderr.write(terminalText(message) + '\n');
    // The message stays on stderr for people; stdout gets the document for scripts.
    if (code === ExitCode.badInput && wantsJson(argv.slice(2))) process.stdout.write(terminalJson(errorDocument(err)) + '\n');
    return code;
  }
}

// Output that failed is a failed command (exit 1), unless its own code says more (a rollback
// incomplete, an interruption): what it did is in its log and journal.
// The last write flushed first: a reader gone is said (EPIPE) only once a write is tried.
main(process.argv).then((code) => {
  const exit = () => process.exit(code === 0 && outputLost() ? ExitCode.internal : code);
  process.stdout.write('', () => setImmediate(exit));
  setTimeout(exit, 2000);
});
