// One router's life: a fresh overlay, a daemonized QEMU, a wait for SSH, a stop by pidfile.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { LabError } from '../errors.js';
import { IP_LINK_COMMAND, interfacesFromIpLink, type RouterInterfaces } from './interfaces.js';
import type { LabPaths } from './paths.js';
import { runningPid, stopByPidfile } from './pidfile.js';
import { assertTcpPortFree, assertUdpPortFree } from './ports.js';
import { QEMU_BINARY, qemuArgs } from './qemu-args.js';
import { runSsh } from './run-ssh.js';
import type { SshTarget } from './ssh-args.js';
import { bootTimeoutMs, linkNumbers, linkPort, sshPort, sshPortEnvVar, type LabTopology, type Router } from './topology.js';
import { waitForSsh, type WaitOptions } from './wait-ssh.js';

const run = promisify(execFile);

interface RouterState {
  sshPort: number;
  startedAt: string;
}

function readState(p: LabPaths, router: Router): RouterState | undefined {
  try {
    return JSON.parse(readFileSync(p.state(router), 'utf8')) as RouterState;
  } catch {
    return undefined;
  }
}

/** The port a running router was booted with (the env may have changed since), else the configured one. */
export function currentSshPort(p: LabPaths, router: Router): number {
  const state = runningPid(p.pidfile(router)) !== undefined ? readState(p, router) : undefined;
  return state?.sshPort ?? sshPort(router);
}

export function sshTarget(p: LabPaths, router: Router, user = 'root'): SshTarget {
  return { port: currentSshPort(p, router), key: p.key, knownHosts: p.knownHosts, user };
}

/** Starts QEMU on a new overlay over the base image: every boot starts pristine. Returns the pid. */
export async function bootRouter(p: LabPaths, router: Router, port: number, topology: LabTopology): Promise<number> {
  await assertTcpPortFree(port, sshPortEnvVar(router));
  for (const k of linkNumbers(topology)) await assertUdpPortFree(linkPort(router, k));
  mkdirSync(p.runDir, { recursive: true });
  for (const f of [p.overlay(router), p.consoleLog(router), p.pidfile(router)]) rmSync(f, { force: true });
  try {
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', p.baseImage, p.overlay(router)]);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim() || String(err);
    throw new LabError(`router ${router}: could not create its overlay: ${stderr}`, 'run `teqlctl lab up`, which builds the base image if it is missing');
  }
  const args = qemuArgs({
    router,
    topology,
    sshPort: port,
    kernel: p.kernel,
    initrd: p.initrd,
    overlay: p.overlay(router),
    pidfile: p.pidfile(router),
    monitor: p.monitor(router),
    consoleLog: p.consoleLog(router),
  });
  try {
    await run(QEMU_BINARY, args, { timeout: 60_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim() || String(err);
    throw new LabError(`router ${router}: QEMU did not start: ${stderr}`, `try it by hand: ${QEMU_BINARY} ${args.join(' ')}`);
  }
  const pid = runningPid(p.pidfile(router));
  if (pid === undefined) throw new LabError(`router ${router}: QEMU exited right after starting`, `see ${p.consoleLog(router)}`);
  writeFileSync(p.state(router), JSON.stringify({ sshPort: port, startedAt: new Date().toISOString() }) + '\n');
  return pid;
}

/** Waits for an SSH login (and for `until`, if given); resolves with the output that proved it. */
export function waitRouter(p: LabPaths, router: Router, until?: WaitOptions['until']): Promise<string> {
  return waitForSsh({
    router,
    target: sshTarget(p, router),
    consoleLog: p.consoleLog(router),
    timeoutMs: bootTimeoutMs(),
    isRunning: () => runningPid(p.pidfile(router)) !== undefined,
    until,
  });
}

/**
 * The names the router's kernel gave its NICs, read by MAC over SSH. Read rather than predicted from
 * the PCI slots: the name comes from the guest's udev policy and the firmware's slot numbers, which
 * a newer image or QEMU could change, and an inventory with a wrong name fails only much later.
 */
export async function readInterfaces(p: LabPaths, router: Router, topology: LabTopology): Promise<RouterInterfaces> {
  const r = await runSsh(sshTarget(p, router), [IP_LINK_COMMAND], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new LabError(`router ${router}: could not list its interfaces: ${r.stderr.trim()}`, `try \`teqlctl lab ssh ${router} ip -br link\``);
  try {
    return interfacesFromIpLink(r.stdout, router, topology);
  } catch (err) {
    throw new LabError(`router ${router}: ${(err as Error).message}`, 'was it booted with another topology? `teqlctl lab down`, then `teqlctl lab up`');
  }
}

/** Stops the router's QEMU if ours runs; true if one was stopped. */
export async function stopRouter(p: LabPaths, router: Router): Promise<boolean> {
  const stopped = await stopByPidfile(p.pidfile(router));
  rmSync(p.state(router), { force: true });
  return stopped;
}
