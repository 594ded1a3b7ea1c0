// Which QEMU is ours: only a pid from our pidfile whose command line is our QEMU with that pidfile.
import { readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { QEMU_BINARY } from './qemu-args.js';

export function readPid(pidfile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidfile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Pure: does this /proc/<pid>/cmdline (NUL-separated) belong to the QEMU that owns `pidfile`? */
export function isOurQemuCmdline(cmdline: string, pidfile: string): boolean {
  const argv = cmdline.split('\0');
  const i = argv.indexOf('-pidfile');
  return basename(argv[0] ?? '') === QEMU_BINARY && i >= 0 && argv[i + 1] === pidfile;
}

/** Alive and not a zombie: the container's init may never reap a daemonized QEMU. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** The pid of our running QEMU for this pidfile, or undefined (stale pidfile, reused pid, none). */
export function runningPid(pidfile: string): number | undefined {
  const pid = readPid(pidfile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  try {
    return isOurQemuCmdline(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), pidfile) ? pid : undefined;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) {
    if (!isAlive(pid)) return true;
  }
  return !isAlive(pid);
}

/** Stops our QEMU (TERM, then KILL after 10 s) and waits until it is gone. False if none ran. */
export async function stopByPidfile(pidfile: string): Promise<boolean> {
  const pid = runningPid(pidfile);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    if (!(await waitGone(pid, 10_000))) {
      process.kill(pid, 'SIGKILL');
      await waitGone(pid, 10_000);
    }
  }
  rmSync(pidfile, { force: true });
  return pid !== undefined;
}
