// One router's life: a fresh overlay (saved or empty), a daemonized QEMU, a wait for SSH, a stop by pidfile.
import { execFile } from 'node:child_process';
import { constants, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { LabError } from '../errors.js';
import { IP_LINK_COMMAND, interfacesFromIpLink, type RouterInterfaces } from './interfaces.js';
import type { LabPaths } from './paths.js';
import { runningPid, stopByPidfile } from './pidfile.js';
import { assertTcpPortFree, assertUdpPortFree } from './ports.js';
import { log } from './log.js';
import { QEMU_BINARY, qemuArgs, type QemuSpec } from './qemu-args.js';
import { runSsh } from './run-ssh.js';
import type { SshTarget } from './ssh-args.js';
import { snapshotKey } from './snapshot-key.js';
import { syncGuestClock } from './guest-clock.js';
import { forgetTemplate, imageStamp, PRISTINE, qemuVersion, savePristine, usableTemplate } from './snapshot.js';
import { bootTimeoutMs, flavorOf, linkNumbers, linkPortFrom, sshPort, sshPortEnvVar, type LabTopology, type Router, type LabRouter } from './topology.js';
import { waitForSsh, type WaitOptions } from './wait-ssh.js';

const run = promisify(execFile);

interface RouterState {
  sshPort: number;
  startedAt: string;
}

function readState(p: LabPaths, router: LabRouter): RouterState | undefined {
  try {
    return JSON.parse(readFileSync(p.state(router), 'utf8')) as RouterState;
  } catch {
    return undefined;
  }
}

/** The port a running router was booted with (the env may have changed since), else the configured one. */
export function currentSshPort(p: LabPaths, router: LabRouter): number {
  const state = runningPid(p.pidfile(router)) !== undefined ? readState(p, router) : undefined;
  return state?.sshPort ?? sshPort(router);
}

export function sshTarget(p: LabPaths, router: LabRouter, user = 'root'): SshTarget {
  return { port: currentSshPort(p, router), key: p.key, knownHosts: p.knownHosts, user };
}

/** A started router: its QEMU, the snapshot key of its machine, and whether it resumed a saved pristine state. */
export interface Boot {
  router: LabRouter;
  pid: number;
  snapshotKey: string;
  fromSnapshot: boolean;
}

async function startQemu(router: LabRouter, args: string[]): Promise<void> {
  try {
    await run(QEMU_BINARY, args, { timeout: 60_000 });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim() || String(err);
    throw new LabError(`router ${router}: QEMU did not start: ${stderr}`, `try it by hand: ${QEMU_BINARY} ${args.join(' ')}`);
  }
}

async function createOverlay(p: LabPaths, router: LabRouter): Promise<void> {
  try {
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', p.baseImage, p.overlay(router)]);
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr?.trim() || String(err);
    throw new LabError(`router ${router}: could not create its overlay: ${stderr}`, 'run `teqlctl lab up`, which builds the base image if it is missing');
  }
}

/**
 * Starts QEMU on a new overlay: a copy of the saved pristine router when one fits this machine
 * (it resumes in about a second), else an empty overlay over the base image (it boots). Either way
 * the router starts pristine. A saved state QEMU refuses is forgotten, and the router boots.
 */
export async function bootRouter(p: LabPaths, router: LabRouter, port: number, topology: LabTopology, linkPortBase: number): Promise<Boot> {
  await assertTcpPortFree(port, sshPortEnvVar(router));
  for (const k of linkNumbers(topology, router)) await assertUdpPortFree(linkPortFrom(linkPortBase, router, k));
  mkdirSync(p.runDir, { recursive: true });
  for (const f of [p.overlay(router), p.consoleLog(router), p.pidfile(router)]) rmSync(f, { force: true });
  const spec: QemuSpec = {
    router,
    topology,
    sshPort: port,
    kernel: p.kernel,
    initrd: flavorOf(topology) === 'busybox' ? p.busyboxInitrd : p.initrd,
    overlay: p.overlay(router),
    pidfile: p.pidfile(router),
    monitor: p.monitor(router),
    consoleLog: p.consoleLog(router),
    linkPortBase,
  };
  const args = qemuArgs(spec);
  const key = snapshotKey(args, imageStamp(p), await qemuVersion());
  const template = usableTemplate(p, key, router);
  let fromSnapshot = false;
  if (template) {
    copyFileSync(template, p.overlay(router), constants.COPYFILE_FICLONE);
    try {
      await startQemu(router, qemuArgs({ ...spec, loadvm: PRISTINE }));
      fromSnapshot = true;
    } catch (err) {
      log(`router ${router}: the saved pristine state did not load (${(err as Error).message.split('\n')[0]}); booting instead`);
      forgetTemplate(p, key, router);
      rmSync(p.overlay(router), { force: true });
    }
  }
  if (!fromSnapshot) {
    await createOverlay(p, router);
    await startQemu(router, args);
  }
  const pid = runningPid(p.pidfile(router));
  if (pid === undefined) throw new LabError(`router ${router}: QEMU exited right after starting`, `see ${p.consoleLog(router)}`);
  writeFileSync(p.state(router), JSON.stringify({ sshPort: port, startedAt: new Date().toISOString() }) + '\n');
  return { router, pid, snapshotKey: key, fromSnapshot };
}

/** Once the router answers SSH: a resumed one gets the host's clock, a booted one is saved as pristine. */
export async function settleRouter(p: LabPaths, boot: Boot): Promise<void> {
  const target = sshTarget(p, boot.router);
  if (boot.fromSnapshot) await syncGuestClock(target, boot.router);
  else await savePristine(p, boot.router, boot.snapshotKey, target);
}

/** Waits for an SSH login (and for `until`, if given); resolves with the output that proved it. */
export function waitRouter(p: LabPaths, router: LabRouter, until?: WaitOptions['until'], timeoutMs = bootTimeoutMs(), stalled?: WaitOptions['stalled']): Promise<string> {
  return waitForSsh({
    stalled,
    router,
    target: sshTarget(p, router),
    consoleLog: p.consoleLog(router),
    timeoutMs,
    isRunning: () => runningPid(p.pidfile(router)) !== undefined,
    until,
  });
}

/**
 * The names the router's kernel gave its NICs, read by MAC over SSH. Read rather than predicted from
 * the PCI slots: the name comes from the guest's udev policy and the firmware's slot numbers, which
 * a newer image or QEMU could change, and an inventory with a wrong name fails only much later.
 */
export async function readInterfaces(p: LabPaths, router: LabRouter, topology: LabTopology): Promise<RouterInterfaces> {
  const r = await runSsh(sshTarget(p, router), [IP_LINK_COMMAND], { timeoutMs: 30_000 });
  if (r.code !== 0) throw new LabError(`router ${router}: could not list its interfaces: ${r.stderr.trim()}`, `try \`teqlctl lab ssh ${router} ip -br link\``);
  try {
    return interfacesFromIpLink(r.stdout, router, topology);
  } catch (err) {
    throw new LabError(`router ${router}: ${(err as Error).message}`, 'was it booted with another topology? `teqlctl lab down`, then `teqlctl lab up`');
  }
}

/** Stops the router's QEMU if ours runs; true if one was stopped. */
export async function stopRouter(p: LabPaths, router: LabRouter): Promise<boolean> {
  const stopped = await stopByPidfile(p.pidfile(router));
  rmSync(p.state(router), { force: true });
  return stopped;
}
