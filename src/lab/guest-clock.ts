// A restored guest's wall clock is the one it had when it was saved: it is set from the host's. Its
// monotonic clock and boot id stay those of the saved boot, as after a suspend and resume.
import { spawn } from 'node:child_process';
import { log } from './log.js';
import { sshArgs, type SshTarget } from './ssh-args.js';
import type { LabRouter } from './topology.js';

// The guest says when its shell runs, then reads the host's time: a time taken before the SSH login
// (~0.8 s under emulation), rounded to the second, left the clock up to 1.3 s behind. GNU date takes
// the fraction; BusyBox's date takes whole seconds only, and gets them rounded (sent beside it).
export const SET_CLOCK = `echo ready; read t r; date -u -s "@$t" >/dev/null 2>&1 || date -u -s "@$r" >/dev/null`;

/** Sets the router's clock over one SSH login; false (with the reason logged if `quiet` is not set) when it could not. */
export function syncGuestClock(target: SshTarget, router: LabRouter, opts: { quiet?: boolean } = {}): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('ssh', sshArgs(target, [SET_CLOCK], ['-o', 'ConnectTimeout=10']), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (sent || !stdout.includes('ready\n')) return;
      sent = true;
      const now = Date.now() / 1000;
      child.stdin.end(`${now.toFixed(3)} ${Math.round(now)}\n`);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // ssh may exit before reading its stdin (a router that is not up yet): not an error of ours.
    child.stdin.on('error', () => undefined);
    let settled = false;
    const done = (ok: boolean, why: string) => {
      // 'error' may come before 'close': the first one decides.
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!sent) child.stdin.destroy();
      if (!ok && !opts.quiet) log(`router ${router}: warning: could not set its clock after the restore: ${why}`);
      resolve(ok);
    };
    child.on('error', (err) => done(false, err.message));
    child.on('close', (code) => done(code === 0 && sent, stderr.trim() || `ssh exited ${code}`));
  });
}
