// One shared OpenSSH connection per lab router for the e2e helpers' own commands (issue 13). A new
// connection to an emulated router costs ~0.8 s (key exchange and sshd's re-exec on its one slow
// vCPU); a command over an open one ~0.09 s. The suite polls routers by the hundred (a step begun?
// every run decided?), so each of those paid the 0.8 s, and took the router's CPU from the run
// under test while it did.
//
// A shared connection must never outlive what it was connected to: `lab reset` restores a router's
// RAM (its TCP state, and slirp's, go back to a moment without this connection), `lab reboot`
// restarts it, `lab cut` unplugs it. So every lab command of the helpers closes them all first and
// after (closeMasters), and a command that never started because its shared connection failed
// runs again on a connection of its own (retryAlone): the same command, as the suite always ran it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../../src/lab/run-ssh.js';

// A socket path may not be longer than 107 bytes. %C is 40 hex digits, and OpenSSH first binds
// the socket at the path plus "." and 16 random characters, then links it into place.
const SOCKET_PATH_MAX = 107;
const TEMPORARY_SUFFIX = 17;

/** This process's folder of control sockets, or undefined where a socket's path would be too long. */
export function muxDir(base = tmpdir(), pid = process.pid): string | undefined {
  const dir = join(base, `teqlctl-e2e-mux-${pid}`);
  return dir.length + 1 + 40 + TEMPORARY_SUFFIX <= SOCKET_PATH_MAX ? dir : undefined;
}

/**
 * The OpenSSH options that share one connection per router and user: the first command opens it,
 * the next ones ride on it. ServerAlive ends a connection whose far end went away without a word
 * (a restored router does not answer for the old one) within ~15 s, should a close be missed.
 */
export function muxOptions(dir: string): string[] {
  return [
    '-o', 'ControlMaster=auto',
    '-o', `ControlPath=${join(dir, '%C')}`,
    '-o', 'ControlPersist=30',
    '-o', 'ServerAliveInterval=5',
    '-o', 'ServerAliveCountMax=3',
  ];
}

/** Printed by the router before the command: a command whose output lacks it never ran. */
export const STARTED = '@@teqlctl-e2e-started';

/** The command as sent over a shared connection: it says first that it started. */
export function announced(cmd: string): string {
  return `printf '%s\\n' '${STARTED}'; ${cmd}`;
}

/** The result without the announcement, and whether the command started. */
export function unannounced(r: RunResult): { result: RunResult; started: boolean } {
  const started = r.stdout.startsWith(`${STARTED}\n`);
  return { result: started ? { ...r, stdout: r.stdout.slice(STARTED.length + 1) } : r, started };
}

/**
 * Whether a command sent over a shared connection must run again on its own: ssh itself failed
 * (255) before the command started (so it cannot run twice), and not because no new connection
 * could be made (a cut or stopped router says that again on its own connection, and the test
 * expects it).
 */
export function retryAlone(r: RunResult, started: boolean): boolean {
  if (r.code !== 255 || started) return false;
  return !/Connection timed out|Connection refused|No route to host|Host key verification failed|Permission denied/i.test(r.stderr);
}

let made = false;

/** The options for the next command, making the folder on first use; [] where sharing is off. */
export function sharedConnection(): string[] {
  const dir = muxDir();
  if (!dir) return [];
  if (!made) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    made = true;
    // Masters end with the process (they would otherwise hold their sessions ControlPersist long).
    // vitest may end a worker with SIGTERM, which skips 'exit': ControlPersist ends those masters.
    process.once('exit', () => {
      for (const s of sockets(dir)) spawnSync('ssh', exitArgs(join(dir, s)), { stdio: 'ignore', timeout: 3000 });
      rmSync(dir, { recursive: true, force: true });
    });
  }
  return muxOptions(dir);
}

function sockets(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/**
 * After the suite: the socket folders of workers that are gone (vitest may end a worker with
 * SIGTERM, which skips its 'exit' hook), their masters asked to exit first. `base` and `alive` for tests.
 */
export function removeStaleMuxDirs(base = tmpdir(), alive = (pid: number) => isAlive(pid)): void {
  for (const name of sockets(base)) {
    const m = /^teqlctl-e2e-mux-(\d+)$/.exec(name);
    if (!m || alive(Number(m[1]))) continue;
    const dir = join(base, name);
    for (const s of sockets(dir)) spawnSync('ssh', exitArgs(join(dir, s)), { stdio: 'ignore', timeout: 3000 });
    rmSync(dir, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const exitArgs = (socket: string) => ['-o', `ControlPath=${socket}`, '-O', 'exit', 'lab-router'];

/** Closes every shared connection of this process (`ssh -O exit`); the next command opens a new one. */
export async function closeMasters(): Promise<void> {
  const dir = muxDir();
  if (!dir || !made) return;
  await Promise.all(sockets(dir).map((s) => new Promise<void>((resolve) => {
    const child = spawn('ssh', exitArgs(join(dir, s)), { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.on('error', () => resolve());
    child.on('close', () => {
      clearTimeout(timer);
      // A master that did not answer: its socket goes, so that no later command finds it.
      rmSync(join(dir, s), { force: true });
      resolve();
    });
  })));
}
