// Fleet scale, SIMULATED: for each fleet size, start the simulated routers (sim-server.ts, its own
// process), then per --forks value run the engine (engine.ts, compiled: compiled-engine.ts) twice: a cold apply
// from pristine, then a no-op rerun. Collects the engine's wall time, CPU time and memory, and what
// the simulated routers saw (connections, scripts).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { measureFloor, type FloorSamples, type SshEndpoint } from '../lib/floor.js';
import { runProc } from '../lib/proc.js';
import { hubBundleName, SPOKES } from './hub-fleet.js';
import { HUB_PLAYBOOK } from './hub-facts.js';
import { compiledEngine } from './compiled-engine.js';

export type FleetPhase = 'cold' | 'noop' | 'faults';

export interface FleetRun {
  phase: FleetPhase;
  /** Pairs (the lab's two routers, repeated), or hubs with 5 spokes each. */
  topology?: 'pairs' | 'hubs';
  hosts: number;
  forks: number;
  exitCode: number;
  summary: string;
  wallMs: number;
  loadMs: number;
  runMs: number;
  cpuMs: number;
  cpuMsPerHost: number;
  peakRssMb: number;
  maxRssMb: number;
  baselineRssMb: number;
  /** Peaks of V8's heap in use and of memory outside it (Buffers), sampled every 20 ms. */
  peakHeapUsedMb: number;
  peakExternalMb: number;
  /** Scripts the simulated hosts answered, per host (every connection counted). */
  roundTripsMax: number;
  /** teqlctl's own transport counter (its main connection per host). */
  transportRoundTripsMax: number;
  connectionsMax: number;
  bytesSentPerHost: number;
  bytesReceivedPerHost: number;
  unexpectedScripts: number;
  /** Facts sections teqlctl asked for that the recording lacks (re-record: bench/record-fixtures.ts). */
  missingSections: string[];
  /** Bundles per status (converged, rolled back, failed, ...). */
  bundles: Record<string, number>;
  /** The faults phase: the bundles that failed, and whether they are exactly the three made to fail, as expected. */
  failedBundles?: Array<{ name: string; status: string }>;
  faultsAsExpected?: boolean;
}

/** The hub fleet's three: a spoke of three different hubs each, so each hub keeps its four other bundles. */
export function hubFaultPlan(hubs: number): { spec: string; expected: Array<{ name: string; status: string }> } | undefined {
  if (hubs < 4) return undefined;
  const [u, a, g] = [Math.floor(hubs / 4), Math.floor(hubs / 2), Math.floor((3 * hubs) / 4)];
  const spoke = (h: number, k: number) => `hub${String(h).padStart(3, '0')}_spoke${k}`;
  return {
    spec: `unreachable=${spoke(u, 0)},apply=${spoke(a, 1)},ping=${spoke(g, 2)}`,
    // The unreachable spoke's bundle is left out on its hub before anything changes (failed); the
    // other two are undone on their hub (its four other bundles kept) and on the spoke (rolled back).
    expected: [{ name: hubBundleName(u, 0), status: 'failed' }, { name: hubBundleName(a, 1), status: 'rolled back' }, { name: hubBundleName(g, 2), status: 'rolled back' }],
  };
}

/** Three bundles made to fail, far apart in the fleet: one unreachable router, one failed apply, one lost ping. */
export function faultPlan(hosts: number): { spec: string; expected: Array<{ name: string; status: string }> } | undefined {
  const pairs = Math.floor(hosts / 2);
  if (pairs < 4) return undefined;
  const name = (p: number, r: 'a' | 'b') => `pair${String(p).padStart(4, '0')}_${r}`;
  const bundle = (p: number) => `${name(p, 'a')}:teql0<->${name(p, 'b')}:teql0`;
  const [u, a, g] = [Math.floor(pairs / 4), Math.floor(pairs / 2), Math.floor((3 * pairs) / 4)];
  return {
    spec: `unreachable=${name(u, 'a')},apply=${name(a, 'b')},ping=${name(g, 'a')}`,
    // Unreachable: nothing changed on its peer (failed); the other two changed both ends, rolled back.
    expected: [{ name: bundle(u), status: 'failed' }, { name: bundle(a), status: 'rolled back' }, { name: bundle(g), status: 'rolled back' }],
  };
}

export interface FleetOptions {
  sizes: number[];
  forks: number[];
  playbook: string;
  /** Milliseconds each simulated host waits before answering a script. */
  delayMs: number;
  /** One known_hosts file for the fleet (as an operator has), or one per host. */
  knownHosts: 'shared' | 'per-host';
  /** After the cold and no-op runs, one more from pristine with three bundles made to fail (faultPlan). */
  faults?: boolean;
  /** Hub fleets to run besides the pairs: numbers of hubs (5 spokes each), with playbooks/teql-bundles.yml. */
  hubs?: number[];
}

const HERE = import.meta.dirname;
const TSX = ['--import', 'tsx'];

class SimFleet {
  private lines: Interface;
  private waiting: Array<{ resolve: (line: string) => void; reject: (err: Error) => void }> = [];
  private exited: number | null | undefined;
  private constructor(private child: ChildProcessByStdio<Writable, Readable, null>) {
    this.lines = createInterface({ input: child.stdout });
    this.lines.on('line', (l) => this.waiting.shift()?.resolve(l));
    child.once('exit', (code) => {
      this.exited = code;
      for (const w of this.waiting.splice(0)) w.reject(new Error(`simulated fleet exited (${code})`));
    });
  }

  static async start(hosts: number, dir: string, o: FleetOptions, topology: 'pairs' | 'hubs' = 'pairs'): Promise<{ fleet: SimFleet; inventory: string; first: SshEndpoint }> {
    const child = spawn(process.execPath, [...TSX, join(HERE, 'sim-server.ts'), String(hosts), dir, String(o.delayMs), o.knownHosts, topology], { stdio: ['pipe', 'pipe', 'inherit'] });
    const fleet = new SimFleet(child);
    const ready = JSON.parse(await fleet.next());
    const first = { host: '127.0.0.1', port: ready.firstPort, user: 'root', privateKeyFile: ready.keyFile, knownHostsFile: ready.knownHostsFile };
    return { fleet, inventory: ready.inventory, first };
  }

  private next(): Promise<string> {
    return new Promise((resolve, reject) => {
      if (this.exited !== undefined) return reject(new Error(`simulated fleet exited (${this.exited})`));
      this.waiting.push({ resolve, reject });
    });
  }

  async ask(command: string): Promise<any> {
    const answer = this.next();
    this.child.stdin.write(command + '\n');
    return JSON.parse(await answer);
  }

  async stop(): Promise<void> {
    if (this.exited !== undefined) return;
    const gone = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await gone;
  }
}

async function engineRun(fleet: SimFleet, inventory: string, log: string, hosts: number, forks: number, phase: FleetPhase, playbook: string, topology: 'pairs' | 'hubs' = 'pairs'): Promise<FleetRun> {
  await fleet.ask(phase === 'noop' ? 'zero' : 'reset');
  const plan = phase !== 'faults' ? undefined : topology === 'hubs' ? hubFaultPlan(hosts / (SPOKES + 1)) : faultPlan(hosts);
  await fleet.ask(plan ? `faults ${plan.spec}` : 'faults');
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK; // the simulated hosts take the generated key only
  // BENCH_CPU_PROF=DIR: a V8 CPU profile of each engine run, written into DIR (for a look at where the time goes).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  // BENCH_ENGINE_FLAGS='--heap-prof ...': more node flags for the engine's process (experiments only).
  prof.push(...(process.env.BENCH_ENGINE_FLAGS ?? '').split(' ').filter(Boolean));
  const r = await runProc(process.execPath, [...prof, await compiledEngine(), inventory, playbook, String(forks), log], { env });
  if (r.code !== 0) throw new Error(`engine on ${hosts} simulated hosts exited ${r.code}:\n${r.stderr}`);
  const e = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const stats = await fleet.ask('stats');
  const perHost = Object.values<any>(stats.hosts);
  return {
    phase,
    topology,
    hosts,
    forks,
    exitCode: e.exitCode,
    summary: e.summary,
    wallMs: e.wallMs,
    loadMs: e.loadMs,
    runMs: e.runMs,
    cpuMs: e.cpuUserMs + e.cpuSystemMs,
    cpuMsPerHost: (e.cpuUserMs + e.cpuSystemMs) / hosts,
    peakRssMb: e.peakRssMb,
    maxRssMb: e.maxRssMb,
    baselineRssMb: e.baselineRssMb,
    peakHeapUsedMb: e.peakHeapUsedMb,
    peakExternalMb: e.peakExternalMb,
    roundTripsMax: Math.max(...perHost.map((h) => Object.values<number>(h.scripts).reduce((a, b) => a + b, 0))),
    transportRoundTripsMax: e.roundTripsMax,
    connectionsMax: Math.max(...perHost.map((h) => h.connections as number)),
    bytesSentPerHost: e.bytesSentPerHost,
    bytesReceivedPerHost: e.bytesReceivedPerHost,
    unexpectedScripts: stats.unexpected.length,
    missingSections: stats.missingSections,
    bundles: e.bundles,
    ...(plan ? { failedBundles: e.failedBundles, faultsAsExpected: JSON.stringify(e.failedBundles) === JSON.stringify(plan.expected) && e.exitCode === 10 } : {}),
  };
}

/** The runs, and the floor measured against one simulated host (what the simulation itself costs). */
export async function runFleet(o: FleetOptions, say: (l: string) => void): Promise<{ runs: FleetRun[]; floor?: FloorSamples }> {
  const out: FleetRun[] = [];
  let floor: FloorSamples | undefined;
  for (const hosts of o.sizes) {
    const dir = mkdtempSync(join(tmpdir(), `teqlctl-fleet-${hosts}-`));
    const { fleet, inventory, first } = await SimFleet.start(hosts, dir, o);
    try {
      floor ??= await measureFloor(first, 5, 10);
      for (const forks of o.forks) {
        for (const phase of ['cold', 'noop'] as const) {
          const run = await engineRun(fleet, inventory, join(dir, `run-${forks}-${phase}.log`), hosts, forks, phase, o.playbook);
          say(`  SIMULATED ${hosts} hosts, --forks ${forks}, ${phase}: ${(run.wallMs / 1000).toFixed(2)} s, ${run.cpuMsPerHost.toFixed(1)} CPU ms/host, peak RSS ${run.maxRssMb.toFixed(0)} MB, exit ${run.exitCode}`);
          out.push(run);
        }
      }
      // The failure domains at scale, once per size at the largest --forks.
      if (o.faults && faultPlan(hosts)) {
        const forks = Math.max(...o.forks);
        const run = await engineRun(fleet, inventory, join(dir, `run-${forks}-faults.log`), hosts, forks, 'faults', o.playbook);
        const counts = Object.entries(run.bundles).map(([k, n]) => `${n} ${k}`).join(', ');
        say(`  SIMULATED ${hosts} hosts, --forks ${forks}, 3 bundles made to fail: ${(run.wallMs / 1000).toFixed(2)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB, exit ${run.exitCode}; bundles: ${counts}; ${run.faultsAsExpected ? 'exactly the three failed, as expected' : `NOT AS EXPECTED: ${JSON.stringify(run.failedBundles)}`}`);
        out.push(run);
      }
    } finally {
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  // Hubs with 5 spokes each: a hub's bundles are one site; a failing spoke's bundle is undone on its hub alone.
  for (const hubs of o.hubs ?? []) {
    const hosts = hubs * (SPOKES + 1);
    const dir = mkdtempSync(join(tmpdir(), `teqlctl-hubs-${hubs}-`));
    const { fleet, inventory } = await SimFleet.start(hosts, dir, o, 'hubs');
    try {
      const forks = Math.max(...o.forks);
      for (const phase of ['cold', 'noop', ...(o.faults ? ['faults' as const] : [])] as const) {
        const run = await engineRun(fleet, inventory, join(dir, `run-${forks}-${phase}.log`), hosts, forks, phase, HUB_PLAYBOOK, 'hubs');
        const counts = Object.entries(run.bundles).map(([k, n]) => `${n} ${k}`).join(', ');
        const verdict = phase !== 'faults' ? '' : run.faultsAsExpected ? '; exactly the three failed, as expected' : `; NOT AS EXPECTED: ${JSON.stringify(run.failedBundles)}`;
        say(`  SIMULATED ${hubs} hubs x ${SPOKES} spokes (${hosts} hosts), --forks ${forks}, ${phase}: ${(run.wallMs / 1000).toFixed(2)} s, peak RSS ${run.maxRssMb.toFixed(0)} MB, exit ${run.exitCode}; bundles: ${counts}${verdict}`);
        out.push(run);
      }
    } finally {
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { runs: out, ...(floor ? { floor } : {}) };
}
