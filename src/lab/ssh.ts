// `lab ssh ROUTER [CMD...]`: the OpenSSH client with the lab's key and known_hosts; its exit code is ours.
import { spawn } from 'node:child_process';
import { LabError } from '../errors.js';
import { labPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { sshTarget } from './router.js';
import { sshArgs } from './ssh-args.js';
import { requireTools } from './tools.js';
import type { LabRouter, Router } from './topology.js';

export async function labSsh(router: LabRouter, command: string[]): Promise<number> {
  requireTools(['ssh']);
  const p = labPaths();
  if (runningPid(p.pidfile(router)) === undefined) {
    throw new LabError(`router ${router} is not running`, 'start the lab with `teqlctl lab up`');
  }
  const tty = command.length === 0 && process.stdin.isTTY ? ['-t'] : [];
  const child = spawn('ssh', sshArgs(sshTarget(p, router), command, tty), { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 255));
  });
}
