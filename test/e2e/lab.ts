// Helpers for e2e tests against the lab's routers, through the real OpenSSH client.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labPaths, projectRoot } from '../../src/lab/paths.js';
import { currentSshPort } from '../../src/lab/router.js';
import { runSsh, type RunResult } from '../../src/lab/run-ssh.js';
import type { LabRouter as Router } from '../../src/lab/topology.js';
import { announced, closeMasters, retryAlone, sharedConnection, unannounced } from './ssh-mux.js';

export type { RunResult };

/**
 * Runs `cmd` (a shell line) on the router with strict host key checking against the lab's
 * known_hosts, over the router's shared connection (ssh-mux.ts); again on a connection of its own
 * if the shared one failed before the command started.
 */
export async function sshRun(router: Router, cmd: string, opts: { user?: string; input?: string } = {}): Promise<RunResult> {
  const p = labPaths();
  const target = { port: currentSshPort(p, router), key: p.key, knownHosts: p.knownHosts, user: opts.user ?? 'root' };
  const shared = sharedConnection();
  const alone = () => runSsh(target, [cmd], { input: opts.input, timeoutMs: 60_000, extraOptions: ['-o', 'ControlMaster=no', '-o', 'ControlPath=none'] });
  if (shared.length === 0) return alone();
  const { result, started } = unannounced(await runSsh(target, [announced(cmd)], { input: opts.input, timeoutMs: 60_000, extraOptions: shared }));
  return retryAlone(result, started) ? alone() : result;
}

/**
 * Runs `teqlctl lab ARGS...` through the built CLI; rejects with its output if it fails. Every lab
 * command may restore, restart or unplug a router: the shared connections are closed before and after.
 */
export async function labCli(args: string[]): Promise<void> {
  await closeMasters();
  try {
    await labCommand(args);
  } finally {
    await closeMasters();
  }
}

function labCommand(args: string[]): Promise<void> {
  const cli = join(projectRoot(), 'dist', 'cli', 'main.js');
  return new Promise<void>((resolve, reject) => {
    // From the project root: `lab up` writes inventories/lab.yml there, where teqlctl.ts reads it.
    const child = spawn(process.execPath, [cli, 'lab', ...args], { cwd: projectRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // A router the lab had to power-cycle (its reboot froze) is said, not hidden: the test goes on.
      for (const line of output.split('\n')) if (line.includes('system_reset')) process.stderr.write(`${line}\n`);
      return code === 0 ? resolve() : reject(new Error(`teqlctl lab ${args.join(' ')} exited ${code}:\n${output}`));
    });
  });
}

/** `teqlctl lab reset` for each router, in parallel; rejects with the CLI's output if one fails. */
export async function resetRouters(...routers: Router[]): Promise<void> {
  await Promise.all(routers.map((router) => labCli(['reset', router])));
}

/**
 * The time limit of a test that reboots routers. One reboot under software emulation takes 80-100 s
 * here; a guest that freezes on its way up (seen under TCG, at the boot's first network jobs) is
 * power-cycled by the lab's watchdog after 120 s and boots again. The suite's 300 s default was
 * shorter than that path plus the test's own checks (CI timed out at 300 s, 2026-12-01): a hang
 * guard, not a speed target (the lab's figures are in docs/lab.md).
 */
export const REBOOT_TEST_TIMEOUT_MS = 600_000;

/** `teqlctl lab reboot` for each router, in parallel: the OS restarts, the disk (and /etc) survives. */
export async function rebootRouters(...routers: Router[]): Promise<void> {
  await Promise.all(routers.map((router) => labCli(['reboot', router])));
}

export function operatorSudoPassword(): string {
  return readFileSync(labPaths().operatorPassword, 'utf8').trim();
}

export interface RouterFacts {
  hostname: string;
  teqlLoaded: boolean;
  rpFilter: { all: number; default: number };
  links: Record<string, { up: boolean; addresses: string[] }>;
}

/** What "pristine" is judged by, read in one round trip. */
export async function routerFacts(router: Router): Promise<RouterFacts> {
  const res = await sshRun(
    router,
    'hostname; echo ---; cat /proc/modules; echo ---; sysctl -n net.ipv4.conf.all.rp_filter net.ipv4.conf.default.rp_filter; echo ---; ip -j addr show',
  );
  if (res.code !== 0) throw new Error(`reading facts of router ${router} failed: ${res.stderr}`);
  const [hostname = '', modules = '', rp = '', addrs = '[]'] = res.stdout.split('\n---\n');
  const [all = NaN, dflt = NaN] = rp.trim().split('\n').map(Number);
  const links: RouterFacts['links'] = {};
  for (const link of JSON.parse(addrs) as { ifname: string; flags: string[]; addr_info: { family: string; local: string; prefixlen: number }[] }[]) {
    links[link.ifname] = {
      up: link.flags.includes('UP'),
      addresses: link.addr_info.filter((a) => a.family === 'inet').map((a) => `${a.local}/${a.prefixlen}`),
    };
  }
  return {
    hostname: hostname.trim(),
    teqlLoaded: modules.split('\n').some((l) => l.startsWith('sch_teql ')),
    rpFilter: { all, default: dflt },
    links,
  };
}
