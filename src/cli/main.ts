#!/usr/bin/env node
// The one entry point: parses the command line, runs a command, maps errors to exit codes.
import { buildProgram, describeError } from './program.js';
import { errorDocument, wantsJson } from './json-error.js';
import { ExitCode } from '../errors.js';
import { terminalJson, terminalText } from '../ui/terminal.js';

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

main(process.argv).then((code) => process.exit(code));
