// Runs a program to completion and times it from spawn to exit, as a user at a shell would see it.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface ProcResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ProcOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  cwd?: string;
}

export function runProc(cmd: string, args: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr, ms: performance.now() - started }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Throws with the program's output when it did not exit 0. */
export async function mustRun(cmd: string, args: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> {
  const r = await runProc(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.code}\n${r.stdout}${r.stderr}`);
  return r;
}
