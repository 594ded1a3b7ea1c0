// Fleet scale, SIMULATED: for each fleet size, start the simulated routers (sim-server.ts, its own
// process), then per --forks value run the engine (engine.ts, its own process) twice: a cold apply
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

export type FleetPhase = 'cold' | 'noop';

export interface FleetRun {
  phase: FleetPhase;
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
}

export interface FleetOptions {
  sizes: number[];
  forks: number[];
  playbook: string;
  /** Milliseconds each simulated host waits before answering a script. */
  delayMs: number;
  /** One known_hosts file for the fleet (as an operator has), or one per host. */
  knownHosts: 'shared' | 'per-host';
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

  static async start(hosts: number, dir: string, o: FleetOptions): Promise<{ fleet: SimFleet; inventory: string; first: SshEndpoint }> {
    const child = spawn(process.execPath, [...TSX, join(HERE, 'sim-server.ts'), String(hosts), dir, String(o.delayMs), o.knownHosts], { stdio: ['pipe', 'pipe', 'inherit'] });
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

  async ask(command: 'stats' | 'reset' | 'zero'): Promise<any> {
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

async function engineRun(fleet: SimFleet, inventory: string, log: string, hosts: number, forks: number, phase: FleetPhase, playbook: string): Promise<FleetRun> {
  await fleet.ask(phase === 'cold' ? 'reset' : 'zero');
  const env = { ...process.env };
  delete env.SSH_AUTH_SOCK; // the simulated hosts take the generated key only
  // BENCH_CPU_PROF=DIR: a V8 CPU profile of each engine run, written into DIR (for a look at where the time goes).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const r = await runProc(process.execPath, [...prof, ...TSX, join(HERE, 'engine.ts'), inventory, playbook, String(forks), log], { env });
  if (r.code !== 0) throw new Error(`engine on ${hosts} simulated hosts exited ${r.code}:\n${r.stderr}`);
  const e = JSON.parse(r.stdout.trim().split('\n').pop()!);
  const stats = await fleet.ask('stats');
  const perHost = Object.values<any>(stats.hosts);
  return {
    phase,
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
    } finally {
      await fleet.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { runs: out, ...(floor ? { floor } : {}) };
}
