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
  // Settled once, by the marker or by the command's end; then neither function is kept: a resolving
  // function keeps its promise, and with it the output before the marker, for as long as the shell
  // waits (the pending command holds the callback below). A fleet's hosts wait together.
  let settle: ((v: { stdout: string; ended?: CommandResult }) => void) | undefined;
  let fail: ((err: unknown) => void) | undefined;
  const reached = new Promise<{ stdout: string; ended?: CommandResult }>((resolve, reject) => ((settle = resolve), (fail = reject)));
  const take = () => {
    const fns = { settle, fail };
    settle = fail = undefined;
    return fns;
  };
  const stdin: StagedStdin = {
    first: preamble + first,
    rest: new Promise<string>((resolve) => (give = resolve)),
    onStdout: (chunk) => {
      if (reachedYet) return; // the rest is the command's to collect: one copy of the output, not two
      out += chunk.toString();
      if (beforeMarker(out, marker) === undefined) return;
      reachedYet = true;
      const stdout = out;
      out = '';
      take().settle?.({ stdout });
    },
  };
  const firstBytes = Buffer.byteLength(stdin.first);
  const whole = run(stdin);
  whole.then((r) => take().settle?.({ stdout: r.stdout, ended: r }), (err: unknown) => take().fail?.(err));
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
