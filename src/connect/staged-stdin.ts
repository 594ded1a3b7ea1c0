// A staged round trip (see transport.ts) over one command whose stdin stays open: the first part is
// written at once, the marker is watched for in the output as it comes, and the rest is written
// (then stdin ends) when the caller finishes.
import type { StagedStdin } from './exec-command.js';
import { beforeMarker, type CommandResult, type StagedRun } from './transport.js';

/**
 * `run` sends a StagedStdin as one command; `sent` counts the bytes once they are all written.
 * `preamble` goes before `first` on the wire but not into the result's script.
 */
export function stagedOverStdin(preamble: string, first: string, marker: string, run: (stdin: StagedStdin) => Promise<CommandResult>, sent: (bytes: number) => void): StagedRun {
  let out = '';
  let reachedYet = false;
  let give!: (rest: string) => void;
  let atMarker: (stdout: string) => void = () => undefined;
  const seen = new Promise<string>((resolve) => (atMarker = resolve));
  const stdin: StagedStdin = {
    first: preamble + first,
    rest: new Promise<string>((resolve) => (give = resolve)),
    onStdout: (chunk) => {
      if (reachedYet) return; // the rest is the command's to collect: one copy of the output, not two
      out += chunk.toString();
      if (beforeMarker(out, marker) === undefined) return;
      reachedYet = true;
      atMarker(out);
      // Let go: the resolver kept its promise, and with it this output, for as long as the shell waited.
      atMarker = () => undefined;
      out = '';
    },
  };
  const firstBytes = Buffer.byteLength(stdin.first);
  const whole = run(stdin);
  whole.catch(() => undefined);
  const reached = Promise.race([seen.then((stdout) => ({ stdout })), whole.then((r) => ({ stdout: r.stdout, ended: r }))]);
  return {
    reached,
    finish: async (rest): Promise<CommandResult> => {
      give(rest);
      const r = await whole;
      sent(firstBytes + Buffer.byteLength(rest));
      // The first part is the caller's (logged when sent): kept here, a fleet's waiting scripts stayed in memory.
      return { ...r, script: rest };
    },
  };
}
