// become through sudo: the remote command lines, and what sudo's answer to the connect-time probe means.
// The password only ever travels as the first line of stdin, never in a command line. Pure.
import { shellQuote } from '../router/shell-quote.js';

export type Become =
  | { kind: 'none' }
  | { kind: 'sudo'; user: string; password?: string };

const asUser = (user: string) => (user === 'root' ? '' : ` -u ${shellQuote(user)}`);

/**
 * The command that runs a script read from stdin. sudo's env_reset drops SSH_CONNECTION, which the
 * facts need to find the SSH session's interface, so `env` sets it again. `-k` makes sudo ignore
 * cached credentials, so it always reads the password line instead of leaving it to the shell.
 */
export function scriptCommand(become: Become, timeoutSec: number): { command: string; stdinPrefix: string } {
  const sh = `timeout ${timeoutSec} sh -s`;
  if (become.kind === 'none') return { command: sh, stdinPrefix: '' };
  const keep = `env SSH_CONNECTION="$SSH_CONNECTION" ${sh}`;
  if (become.password === undefined) return { command: `sudo -n${asUser(become.user)} ${keep}`, stdinPrefix: '' };
  return { command: `sudo -k -S -p ''${asUser(become.user)} ${keep}`, stdinPrefix: become.password + '\n' };
}

/** Does sudo let us in without a password (`withPassword` false), or with the one on stdin? */
export function probeCommand(user: string, withPassword: boolean): string {
  return withPassword ? `timeout 30 sudo -k -S -p ''${asUser(user)} true` : `timeout 30 sudo -k -n${asUser(user)} true`;
}

export type ProbeVerdict = 'ok' | 'password required' | 'password rejected' | 'timeout' | 'failed';

export function readProbe(code: number | null, stderr: string): ProbeVerdict {
  if (code === 0) return 'ok';
  if (code === 124) return 'timeout';
  if (/incorrect password|sorry, try again/i.test(stderr)) return 'password rejected';
  if (/password is required|no password was provided|a terminal is required/i.test(stderr)) return 'password required';
  return 'failed';
}
