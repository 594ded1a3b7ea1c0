// The lab as the bench uses it: `teqlctl lab ...` through the built CLI, and OpenSSH for side commands.
// Callers hold the lab lock (lib/lock.ts) around all of these.
import { join } from 'node:path';
import { labPaths, projectRoot } from '../../src/lab/paths.js';
import { runningPid } from '../../src/lab/pidfile.js';
import { currentSshPort, sshTarget } from '../../src/lab/router.js';
import { runSsh } from '../../src/lab/run-ssh.js';
import { ROUTERS, type Router } from '../../src/lab/topology.js';
import { mustRun } from '../lib/proc.js';

export const ROOT = projectRoot();
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export function labRunning(): boolean {
  const p = labPaths();
  return ROUTERS.every((r) => runningPid(p.pidfile(r)) !== undefined);
}

export async function labCli(...args: string[]): Promise<void> {
  await mustRun(process.execPath, [CLI, 'lab', ...args], { cwd: ROOT });
}

/** Runs a shell line on a router as root, through OpenSSH with strict host keys; throws on failure. */
export async function onRouter(router: Router, cmd: string): Promise<string> {
  const r = await runSsh(sshTarget(labPaths(), router), [cmd], { timeoutMs: 60_000 });
  if (r.code !== 0) throw new Error(`on router ${router}: \`${cmd}\` exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

export function sshPortOf(router: Router): number {
  return currentSshPort(labPaths(), router);
}
