// become through sudo or doas: the remote command lines, and what the answer to the connect-time probe
// means. A sudo password only ever travels as the first line of stdin, never in a command line.
// doas reads passwords from a terminal only, so teqlctl uses doas without one (`permit nopass`). Pure.
import { shellQuote } from '../router/shell-quote.js';

export type Become =
  | { kind: 'none' }
  | { kind: 'sudo'; user: string; password?: string }
  | { kind: 'doas'; user: string };

const asUser = (user: string) => (user === 'root' ? '' : ` -u ${shellQuote(user)}`);

/**
 * The command that runs a script read from stdin. sudo's env_reset drops SSH_CONNECTION, which the
 * facts need to find the SSH session's interface, so `env` sets it again. `-k` makes sudo ignore
 * cached credentials, so it always reads the password line instead of leaving it to the shell.
 */
export function scriptCommand(become: Become, timeoutSec: number): { command: string; stdinPrefix: string } {
  // /bin/sh by path: BusyBox's `timeout` runs a bare `sh` as its own ash, not the router's /bin/sh.
  const sh = `timeout ${timeoutSec} /bin/sh -s`;
  if (become.kind === 'none') return { command: sh, stdinPrefix: '' };
  const keep = `env SSH_CONNECTION="$SSH_CONNECTION" ${sh}`;
  if (become.kind === 'doas') return { command: `doas -n${asUser(become.user)} ${keep}`, stdinPrefix: '' };
  if (become.password === undefined) return { command: `sudo -n${asUser(become.user)} ${keep}`, stdinPrefix: '' };
  return { command: `sudo -k -S -p ''${asUser(become.user)} ${keep}`, stdinPrefix: become.password + '\n' };
}

/** Does doas let us in without a password? */
export function doasProbeCommand(user: string): string {
  return `timeout 30 doas -n${asUser(user)} true`;
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
  // sudo's words, then OpenDoas's (`doas -n` where the rule is not `nopass`: Debian's build says
  // "Authentication required", others "Authorization required").
  if (/password is required|no password was provided|a terminal is required|authentication required|authorization required/i.test(stderr)) return 'password required';
  return 'failed';
}
