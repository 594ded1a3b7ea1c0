// The built CLI (dist/, so `npm run build` first) run as a user runs it, and a TCP server that
// counts connections: a command that must connect to nothing points its inventory there.
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderInventory } from '../../src/lab/inventory.js';

export const ROOT = join(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; its logs and journals go to a folder of the test's, never to the tester's ~/.cache. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  const home = mkdtempSync(join(tmpdir(), 'teqlctl-cli-xdg-'));
  const env = { ...process.env, XDG_CACHE_HOME: join(home, 'cache'), XDG_STATE_HOME: join(home, 'state'), ...opts.env };
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { cwd: opts.cwd ?? ROOT, env, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

/** A server on 127.0.0.1 that accepts and counts connections; `close()` stops it. */
export async function countingServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let n = 0;
  const server = createServer((socket) => {
    n++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => n,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The lab's inventory as `lab up` writes it, router a on `port` (a counting server), b on port 1
 * (nothing listens: refused at once; one port for both is one router under two names, refused
 * at load), and a real key.
 */
export function labInventory(port: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-cli-test-'));
  const file = join(dir, 'lab.yml');
  const key = join(dir, 'id_rsa');
  writeFileSync(key, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(), { mode: 0o600 });
  writeFileSync(file, renderInventory({ sshPorts: { a: port, b: 1 }, privateKeyFile: key, knownHostsFile: join(dir, 'known_hosts') }));
  // As `lab up` writes it next to the inventory: a missing one is refused before connecting.
  writeFileSync(join(dir, 'known_hosts'), '');
  return file;
}
