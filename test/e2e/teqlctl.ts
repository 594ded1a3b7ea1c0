// Runs the built teqlctl CLI as a user would, against the lab's generated inventory.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { closeMasters } from './ssh-mux.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const LAB_INVENTORY = process.env.TEQLCTL_LAB_INVENTORY ?? resolve(ROOT, 'inventories/lab.yml');
export const CHAPTER = resolve(ROOT, 'playbooks/teql.yml');
export const TEARDOWN = resolve(ROOT, 'playbooks/teardown.yml');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** A `lab` command (reset, cut, reboot...) first and last closes the helpers' shared SSH connections (ssh-mux.ts). */
export async function teqlctl(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  if (args[0] !== 'lab') return run(args, env);
  await closeMasters();
  try {
    return await run(args, env);
  } finally {
    await closeMasters();
  }
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
  });
}

/** `teqlctl play --json` on the lab; the JSON document is parsed for the assertions. */
export async function playJson(playbook: string, extra: string[] = []): Promise<CliResult & { json: any }> {
  const r = await teqlctl(['play', '-i', LAB_INVENTORY, playbook, '--yes', '--json', ...extra]);
  let json: any;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(`teqlctl did not print JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
  return { ...r, json };
}
