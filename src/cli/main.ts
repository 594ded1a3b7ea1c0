#!/usr/bin/env node
// The one entry point: parses the command line, runs a command, maps errors to exit codes.
import { buildProgram, describeError } from './program.js';

async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (err) {
    const { message, code } = describeError(err);
    if (message) process.stderr.write(message + '\n');
    return code;
  }
}

main(process.argv).then((code) => process.exit(code));
