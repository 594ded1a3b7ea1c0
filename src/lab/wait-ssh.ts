// Waits until a booting router accepts an SSH login with its known host key, or says why not.
import { connect } from 'node:net';
import { LabError } from '../errors.js';
import { consoleTail } from './console-log.js';
import { runSsh } from './run-ssh.js';
import type { SshTarget } from './ssh-args.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** slirp accepts TCP on the forwarded port long before sshd runs: only sshd's banner proves it is up. */
function sshBanner(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('data', (d: Buffer) => done(d.toString().startsWith('SSH-')));
    socket.once('error', () => done(false));
    socket.once('close', () => done(false));
  });
}

export interface WaitOptions {
  router: string;
  target: SshTarget;
  consoleLog: string;
  timeoutMs: number;
  isRunning: () => boolean;
  /** Checked between tries: a reason to give up now (a frozen guest), or undefined to go on waiting. */
  stalled?: () => string | undefined;
  /** Wait for more than a login: this command must succeed and its output be accepted (default `true`). */
  until?: { command: string; accept: (stdout: string) => boolean; what: string };
}

/** Resolves with the output of the command that proved the router ready. */
export async function waitForSsh(opts: WaitOptions): Promise<string> {
  const deadline = Date.now() + opts.timeoutMs;
  const fail = (why: string) =>
    new LabError(
      `router ${opts.router}: ${why}. Last lines of ${opts.consoleLog}:\n${consoleTail(opts.consoleLog, 30)}`,
      `see the whole console log; \`teqlctl lab reset ${opts.router}\` boots it again from a fresh overlay`,
    );
  let lastError = '';
  while (Date.now() < deadline) {
    if (!opts.isRunning()) throw fail('QEMU exited while the router was booting');
    const stalled = opts.stalled?.();
    if (stalled) throw fail(stalled);
    if (await sshBanner(opts.target.port, 2000)) {
      const result = await runSsh(opts.target, [opts.until?.command ?? 'true'], { timeoutMs: 20_000 });
      if (result.code === 0 && (opts.until?.accept(result.stdout) ?? true)) return result.stdout;
      lastError = result.code === 0 ? `logged in, but not yet ${opts.until?.what}` : result.stderr.trim();
      if (/host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED/i.test(result.stderr)) {
        throw new LabError(
          `router ${opts.router}: its SSH host key does not match the lab's known_hosts`,
          'the image was built with other keys: delete <lab dir>/image/stamp and run `teqlctl lab up` to rebuild it',
        );
      }
    }
    await sleep(500);
  }
  throw fail(`no SSH login${opts.until ? ` ${opts.until.what}` : ''} within ${opts.timeoutMs / 1000} s${lastError ? ` (last ssh error: ${lastError})` : ''}`);
}
