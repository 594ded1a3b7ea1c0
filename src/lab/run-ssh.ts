// Runs the OpenSSH client against a lab router and returns the result as data.
import { spawn } from 'node:child_process';
import { sshArgs, type SshTarget } from './ssh-args.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `extraOptions`: more OpenSSH options (`-o K=V` pairs), e.g. the e2e helpers' connection sharing. */
export function runSsh(target: SshTarget, command: string[], opts: { input?: string; timeoutMs?: number; extraOptions?: string[] } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', sshArgs(target, command, ['-o', 'ConnectTimeout=10', ...(opts.extraOptions ?? [])]), { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 + 9 : 255), stdout, stderr });
    });
    // ssh may exit before reading its stdin (a router that reboots at once): not an error of ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input ?? '');
  });
}
