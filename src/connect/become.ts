// become through sudo or doas: the remote command lines, and what the answer to the connect-time probe
// means. A sudo password only ever travels on stdin, never in a command line, and only once sudo
// asked for it: sudo prints a prompt of teqlctl's own (random per command) on stderr, and the
// transport writes the password after seeing it, so a shell that did not go through sudo never reads
// it as a command. doas reads passwords from a terminal only, so teqlctl uses doas without one
// (`permit nopass`).
import { randomBytes } from 'node:crypto';
import { shellQuote } from '../router/shell-quote.js';

export type Become =
  | { kind: 'none' }
  | { kind: 'sudo'; user: string; password?: string }
  | { kind: 'doas'; user: string };

const asUser = (user: string) => (user === 'root' ? '' : ` -u ${shellQuote(user)}`);

/** A command, and when sudo will ask: write `password` and a newline to stdin once `prompt` shows on stderr. */
export interface BecomeCommand {
  command: string;
  sudo?: { prompt: string; password: string };
}

/** sudo's prompt for one command: random, so that no output of anything else can fake it. */
export function newPrompt(): string {
  return `[teqlctl-sudo-${randomBytes(12).toString('hex')}]`;
}

/**
 * How a router's `timeout` takes its limit: `SECS PROG` (GNU's, BusyBox's since 1.30), or `-t SECS
 * PROG` (older BusyBox, e.g. OpenWrt 18.06's 1.28), which takes a bare SECS for the program.
 */
export type TimeoutStyle = 'secs' | 'dash-t';

/**
 * `argv` under `timeout SEC` where the router has a `timeout` (GNU's or BusyBox's), else as it is:
 * not every router has one (OpenWrt builds may not), and teqlctl bounds every command from its own
 * side as well (the transport's deadline). No shell but /bin/sh, by path, is ever involved.
 */
export function bounded(sec: number, argv: string, style: TimeoutStyle = 'secs'): string {
  return `/bin/sh -c 'command -v timeout >/dev/null 2>&1 && exec timeout ${style === 'dash-t' ? '-t ' : ''}${sec} "$0" "$@"; exec "$0" "$@"' ${argv}`;
}

/**
 * Did an older BusyBox's `timeout` take the limit for the program to run? It says so and exits 127
 * before anything ran (its exec of "SEC" failed): the same command with `-t SEC` is safe to send.
 */
export function wantsDashT(code: number | null, stderr: string): boolean {
  return code === 127 && /^timeout: can't execute '\d+': /m.test(stderr);
}

/**
 * The command that runs a script read from stdin. sudo's env_reset drops SSH_CONNECTION, which the
 * facts need to find the SSH session's interface, so `env` sets it again. `-k` makes sudo ignore
 * cached credentials, so it always asks, with `prompt`, before reading the password.
 */
export function scriptCommand(become: Become, timeoutSec: number, prompt = newPrompt(), style: TimeoutStyle = 'secs'): BecomeCommand {
  // /bin/sh by path: BusyBox's `timeout` runs a bare `sh` as its own ash, not the router's /bin/sh.
  const sh = bounded(timeoutSec, '/bin/sh -s', style);
  if (become.kind === 'none') return { command: sh };
  const keep = `env SSH_CONNECTION="$SSH_CONNECTION" ${sh}`;
  if (become.kind === 'doas') return { command: `doas -n${asUser(become.user)} ${keep}` };
  if (become.password === undefined) return { command: `sudo -n${asUser(become.user)} ${keep}` };
  return { command: `sudo -k -S -p ${shellQuote(prompt)}${asUser(become.user)} ${keep}`, sudo: { prompt, password: become.password } };
}

/**
 * The probes are read by their words (readProbe), so sudo and doas say them in English: a router
 * installed in German (pam_env sets LANG from /etc/default/locale for every session) answered
 * "Ein Passwort ist notwendig", read as a refusal, and the password was never asked for (a review).
 * `env`, not an assignment before the command: the login shell may be csh or fish.
 */
const ENGLISH = 'env LC_ALL=C LANG=C LANGUAGE=';

/** Does doas let us in without a password? */
export function doasProbeCommand(user: string, style: TimeoutStyle = 'secs'): BecomeCommand {
  return { command: bounded(30, `${ENGLISH} doas -n${asUser(user)} true`, style) };
}

/** Does sudo let us in without a password (no `password`), or with this one, given when it asks? */
export function probeCommand(user: string, password?: string, prompt = newPrompt(), style: TimeoutStyle = 'secs'): BecomeCommand {
  if (password === undefined) return { command: bounded(30, `${ENGLISH} sudo -k -n${asUser(user)} true`, style) };
  return { command: bounded(30, `${ENGLISH} sudo -k -S -p ${shellQuote(prompt)}${asUser(user)} true`, style), sudo: { prompt, password } };
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
