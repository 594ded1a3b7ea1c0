// How the wizard ends when it is stopped before the run: Ctrl-C, or TERM and HUP (a closed terminal,
// `kill`), which ended it silently with 143 (a review). Always exit 130, as every teqlctl command
// that is interrupted, and a message that is true: a trusted host key is written to known_hosts
// long before the files are.
import { writeSync } from 'node:fs';
import { shown } from './terminal.js';

/** What the wizard wrote so far, in the operator's terms (a known_hosts entry, the files). */
export interface Written {
  readonly wrote: readonly string[];
}

export function interruptedLine(w: Written): string {
  if (w.wrote.length === 0) return 'interrupted: nothing was written and no router was changed';
  return `interrupted: ${w.wrote.join(' and ')} ${w.wrote.length === 1 ? 'was' : 'were'} written; no router was changed`;
}

/** A file written by the wizard, as it is named in the interrupted line. */
export const fileWritten = (path: string): string => shown(path);

/** A host key trusted at its question: ssh-hop records it in known_hosts (ssh_config's UserKnownHostsFile). */
export const hostKeyWritten = (label: string): string => `the host key of ${label} (to known_hosts)`;

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Where the interrupted line goes: straight to the descriptors (see onInterrupt). */
export interface InterruptOutput {
  write(fd: 1 | 2, text: string): void;
  /** Whether stdout, where a progress display or a prompt hides the cursor, is a terminal. */
  stdoutIsTty: boolean;
}

const DESCRIPTORS: InterruptOutput = {
  write: (fd, text) => {
    try {
      writeSync(fd, text);
    } catch {
      // A terminal closed (HUP): nothing to say it to.
    }
  },
  get stdoutIsTty() {
    return process.stdout.isTTY === true;
  },
};

/**
 * Outside a prompt (connecting, reading), Ctrl-C is a signal; at a prompt, inquirer takes Ctrl-C
 * but not TERM or HUP. Each ends the wizard here; returns what removes the handlers. Said with
 * writeSync, not process.stderr.write: while routers are read or planned, the progress display
 * (listr2) holds that stream's writes in its buffer and hides the cursor, and process.exit dropped
 * both: no message, and the terminal left without a cursor (a review). The cursor is shown again.
 */
export function onInterrupt(s: Written & { discard(): void }, exit: (code: number) => void = (code) => process.exit(code), out: InterruptOutput = DESCRIPTORS): () => void {
  const handler = () => {
    s.discard();
    if (out.stdoutIsTty) out.write(1, '\x1b[?25h');
    out.write(2, `\n${interruptedLine(s)}\n`);
    exit(130);
  };
  for (const sig of INTERRUPT_SIGNALS) process.on(sig, handler);
  return () => {
    for (const sig of INTERRUPT_SIGNALS) process.off(sig, handler);
  };
}

/** Ctrl-C at a prompt once something was written: the command says this error's message (not "nothing was written"). */
export class StoppedAfterWriting extends Error {
  constructor(w: Written) {
    super(interruptedLine(w));
    // The name src/cli/wizard-command.ts looks for to say the message as it is.
    this.name = 'StoppedAfterWriting';
  }
}
