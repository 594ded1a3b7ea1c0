// One remote command over an SSH connection, bounded from teqlctl's side, with a sudo password given
// only after sudo asked for it.
import { PassThrough } from 'node:stream';
import type { NodeSSH, SSHExecCommandResponse } from 'node-ssh';
import { ConnectError } from '../errors.js';
import type { BecomeCommand } from './become.js';

/**
 * Runs `cmd` with `stdin` (or, staged, its first part now and the rest when it resolves). With a sudo password, stdin stays open until sudo's prompt shows on
 * stderr; only then the password goes, followed by `stdin`. A sudo that does not ask never gets it
 * (the command then ends by its timeout), and the prompt is cut out of stderr. Whether or not the
 * router has a `timeout`, the command is stopped (its channel closed) after `deadlineSec` and
 * reported as not answering, instead of being waited on for ever. `lost` rejects with the connection.
 */
export interface StagedStdin {
  first: string;
  /** Written once it resolves, then stdin ends (a rejection ends it at once). */
  rest: Promise<string>;
  onStdout?: (chunk: Buffer) => void;
  /** Sees stderr as it comes (a staged script's answer may be read long before it ends). */
  onStderr?: (chunk: Buffer) => void;
}

/**
 * `lost` for one command, let go by `done()`. Not a race with `lost` itself: each race leaves a
 * reaction on it for as long as the connection lives, and that reaction held the race's answer, so
 * every output of the connection (a facts read, the apply's) stayed alive to the end of the run.
 */
function untilLost(lost: Promise<never>): { promise: Promise<never>; done: () => void } {
  let relay: ((err: unknown) => void) | undefined;
  const promise = new Promise<never>((_, reject) => (relay = reject));
  promise.catch(() => undefined);
  lost.catch((err: unknown) => relay?.(err));
  return { promise, done: () => (relay = undefined) };
}

export async function execCommand(ssh: NodeSSH, host: string, cmd: BecomeCommand, stdin: string | StagedStdin, deadlineSec: number, lost: Promise<never>): Promise<SSHExecCommandResponse> {
  const lostHere = untilLost(lost);
  let channel: { close(): void } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      channel?.close();
      reject(new ConnectError(host, `no answer within ${deadlineSec} s (the command was stopped)`, 'is the router overloaded, or waiting on something? try again with a larger --confirm-timeout or fewer --forks'));
    }, deadlineSec * 1000);
  });
  deadline.catch(() => undefined);
  try {
    const { sudo } = cmd;
    const staged = typeof stdin === 'string' ? undefined : stdin;
    let options: Parameters<NodeSSH['execCommand']>[1] = { stdin: staged ? '' : (stdin as string), noTrim: true, onChannel: (c) => (channel = c) };
    if (sudo || staged) {
      const input = new PassThrough();
      // Not kept once written: a fleet's scripts wait at their barrier together (42 KB each).
      let body: string | undefined = staged ? staged.first : (stdin as string);
      if (staged) staged.first = ''; // taken: the caller's object keeps no copy
      const rest = staged?.rest;
      // A staged script's rest follows when the controller decides ('' lets the shell end).
      const send = () => {
        const text = body ?? '';
        body = undefined;
        if (!rest) return input.end(text);
        input.write(text);
        rest.then((more) => input.end(more), () => input.end());
      };
      let seen = '';
      let sent = false;
      options = {
        stdin: input,
        noTrim: true,
        onChannel: (c) => (channel = c),
        ...(staged?.onStdout ? { onStdout: staged.onStdout } : {}),
        onStderr: (chunk) => {
          staged?.onStderr?.(chunk);
          if (sent || !sudo) return;
          seen += chunk.toString();
          if (!seen.includes(sudo.prompt)) return;
          sent = true;
          input.write(sudo.password + '\n');
          send();
        },
      };
      if (!sudo) send();
    }
    const res = await Promise.race([ssh.execCommand(cmd.command, options), lostHere.promise, deadline]);
    return sudo ? { ...res, stderr: res.stderr.split(sudo.prompt).join('') } : res;
  } finally {
    clearTimeout(timer);
    lostHere.done();
  }
}
