// The lab measurements, in three groups. Each group takes the lab lock, starts from routers reset to
// pristine (the reset is not timed) and needs nothing from the one before, so other engineers may use
// the lab between groups.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { labPaths } from '../../src/lab/paths.js';
import { sshArgs } from '../../src/lab/ssh-args.js';
import { sshTarget } from '../../src/lab/router.js';
import type { Router } from '../../src/lab/topology.js';
import { measureFloor, type FloorSamples } from '../lib/floor.js';
import { withLabLock } from '../lib/lock.js';
import { runProc } from '../lib/proc.js';
import { labCli, onRouter, ROOT, sshPortOf } from './lab.js';
import { timedPlay, type PlaySample } from './teqlctl.js';

export interface RefSample {
  ms: number;
  exitCode: number;
  stderr: string;
}

export interface LabIteration {
  check: PlaySample;
  cold: PlaySample;
  noop: PlaySample;
  coldA: PlaySample;
  noopA: PlaySample;
  rollback: PlaySample;
  refCold: RefSample;
  refNoop: RefSample;
  /** teqlctl --check after the reference converged: 0 means both reach the same state. */
  changesAfterRef: number;
  floor: Record<Router, FloorSamples>;
  opensshConnectTrue: number[];
  /** 1-minute load average when each group took the lab (the routers share the host's cores). */
  loadAverage: number[];
}

const ports = () => ({ router_a: sshPortOf('a'), router_b: sshPortOf('b') });

async function pristine(...routers: Router[]): Promise<void> {
  await labCli('up'); // a no-op when both run; boots them if someone stopped the lab meanwhile
  await labCli('reset', ...routers);
}

async function reference(): Promise<RefSample> {
  const p = labPaths();
  const r = await runProc('sh', [join(ROOT, 'bench', 'reference', 'run.sh'), p.key, p.knownHosts, String(sshPortOf('a')), String(sshPortOf('b'))]);
  return { ms: r.ms, exitCode: r.code, stderr: r.stderr.trim() };
}

async function opensshTrue(router: Router): Promise<number> {
  const r = await runProc('ssh', sshArgs(sshTarget(labPaths(), router), ['true']));
  if (r.code !== 0) throw new Error(`ssh true on ${router}: ${r.stderr}`);
  return r.ms;
}

async function floorOf(router: Router): Promise<FloorSamples> {
  const p = labPaths();
  return measureFloor({ host: '127.0.0.1', port: sshPortOf(router), user: 'root', privateKeyFile: p.key, knownHostsFile: p.knownHosts }, 3, 5);
}

export async function labIteration(i: number, runs: number, say: (l: string) => void): Promise<LabIteration> {
  const tag = `run ${i + 1}/${runs}`;
  const a = await withLabLock(`${tag}: teqlctl on both routers`, async () => {
    say(`${tag}: reset both routers, then teqlctl --check, cold apply, no-op, and the SSH floor`);
    await pristine();
    const load = loadavg()[0]!;
    const check = await timedPlay(['--check'], ports());
    const cold = await timedPlay([], ports());
    const noop = await timedPlay([], ports());
    const floor = { a: await floorOf('a'), b: await floorOf('b') };
    const opensshConnectTrue = [await opensshTrue('a'), await opensshTrue('b'), await opensshTrue('a'), await opensshTrue('b')];
    return { check, cold, noop, floor, opensshConnectTrue, load };
  }, say);
  const b = await withLabLock(`${tag}: reference script, then teqlctl on router a alone`, async () => {
    say(`${tag}: reset both routers, then the reference script cold and no-op; reset a, teqlctl --limit router_a cold and no-op`);
    await pristine();
    const load = loadavg()[0]!;
    const refCold = await reference();
    const refNoop = await reference();
    const after = await timedPlay(['--check'], ports());
    const changesAfterRef = Object.values(after.hosts).reduce((n, h) => n + h.changes, 0);
    await labCli('reset', 'a'); // b stays converged (by the reference), so a's checks can pass
    const coldA = await timedPlay(['--limit', 'router_a'], ports());
    const noopA = await timedPlay(['--limit', 'router_a'], ports());
    return { refCold, refNoop, changesAfterRef, coldA, noopA, load };
  }, say);
  const c = await withLabLock(`${tag}: rollback after a failed verification`, async () => {
    say(`${tag}: reset both routers, make b drop everything on eth2, then teqlctl (verification fails, both roll back)`);
    await pristine();
    await onRouter('b', 'tc qdisc add dev eth2 ingress && tc filter add dev eth2 ingress matchall action drop');
    const load = loadavg()[0]!;
    return { rollback: await timedPlay([], ports()), load };
  }, say);
  const { load: la, ...ra } = a;
  const { load: lb, ...rb } = b;
  const { load: lc, ...rc } = c;
  return { ...ra, ...rb, ...rc, loadAverage: [la, lb, lc] };
}

/** Leaves the lab pristine: reset when it was running before the bench, stopped when it was not. */
export async function leaveLab(wasRunning: boolean, say: (l: string) => void): Promise<void> {
  await withLabLock('leave the lab pristine', async () => {
    if (wasRunning) {
      say('lab: resetting both routers to pristine (it was running before the bench)');
      await labCli('reset');
    } else {
      say('lab: stopping it (it was not running before the bench)');
      await labCli('down');
    }
  }, say);
}

