// The engine under measure, alone in its process: loadRun + runPlay (silent, real SSH client) on a
// SIMULATED fleet's inventory. Prints one JSON line with its wall time, CPU time and memory.
//   node .teqlctl/bench-dist/bench/fleet/engine.js <inventory> <playbook> <forks> <log file>
// (compiled by compiled-engine.ts, as teqlctl itself is compiled; see there why not under tsx)
import { PLAY_DEFAULTS } from '../../src/cli/play-flags.js';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { writeFileSync } from 'node:fs';
import { startAllocationProfile } from './allocation-profile.js';
import { connectSsh } from '../../src/connect/ssh-transport.js';
import { readLocalSsh } from '../../src/connect/local-ssh.js';
import { loadRun } from '../../src/load/index.js';
import { runPlay } from '../../src/play/run-play.js';
import { RunLog } from '../../src/play/run-log.js';

const [inventory, playbook, forksArg, logFile] = process.argv.slice(2);
if (!inventory || !playbook || !forksArg || !logFile) throw new Error('usage: engine.ts <inventory> <playbook> <forks> <log file>');

let peakRss = process.memoryUsage.rss();
const baselineRss = peakRss;
let peakHeap = 0;
let peakExternal = 0;
// BENCH_HEAP_SNAPSHOT_MB=N: one heap snapshot the first time the heap passes N MB (bench/experiments/heap-top.ts reads it).
const snapshotAtMb = Number(process.env.BENCH_HEAP_SNAPSHOT_MB ?? 0);
// RSS every 20 ms (one read of /proc); the heap's figures every 200 ms: process.memoryUsage() walks
// V8's heap spaces, and at every 20 ms it was 0.26 s of this process's CPU at 500 hosts.
let samples = 0;
// BENCH_TIMELINE=FILE: the memory figures of every heap sample (ms, rss, heap total, heap used, external, array buffers; MB), written at the end.
const timeline = process.env.BENCH_TIMELINE ? ['ms\trss\theapTotal\theapUsed\texternal\tarrayBuffers'] : undefined;
const mb = (x: number) => (x / 2 ** 20).toFixed(1);
const tStart = performance.now();
const sample = () => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  if (samples++ % 10 !== 0) return;
  const m = process.memoryUsage();
  if (snapshotAtMb > 0 && m.heapUsed > snapshotAtMb * 2 ** 20 && !process.env.BENCH_HEAP_SNAPSHOT_DONE) {
    process.env.BENCH_HEAP_SNAPSHOT_DONE = writeHeapSnapshot();
    process.stderr.write(`heap snapshot: ${process.env.BENCH_HEAP_SNAPSHOT_DONE}\n`);
  }
  peakRss = Math.max(peakRss, m.rss);
  if (timeline) timeline.push(`${Math.round(performance.now() - tStart)}\t${mb(m.rss)}\t${mb(m.heapTotal)}\t${mb(m.heapUsed)}\t${mb(m.external)}\t${mb(m.arrayBuffers)}`);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakExternal = Math.max(peakExternal, m.external);
};
const sampler = setInterval(sample, 20);
// BENCH_ALLOC_PROF=DIR: a sampling profile of every allocation of each run, collected or not (where GC's work comes from), into DIR.
const allocProf = process.env.BENCH_ALLOC_PROF ? await startAllocationProfile() : undefined;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const loaded = loadRun(inventory, playbook);
const t1 = performance.now();
// As `teqlctl play` does: the local side read once, each host resolved once for both of its connections.
const local = await readLocalSsh();
const report = await runPlay(loaded, {
  check: false,
  forks: Number(forksArg),
  confirmTimeoutSec: Number(PLAY_DEFAULTS.confirmTimeout),
  mode: 'silent',
  log: new RunLog(logFile),
  connect: (host, spec) => connectSsh(host, spec, { local }),
  connectFresh: (host, spec) => connectSsh(host, spec, { local }),
  showPlan: () => undefined,
  approve: async () => true,
  interrupted: () => false,
});
const t2 = performance.now();
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
if (allocProf) await allocProf(join(process.env.BENCH_ALLOC_PROF!, `Alloc.${Date.now()}.${process.pid}.heapprofile`));
sample();
if (timeline) writeFileSync(`${process.env.BENCH_TIMELINE}.${process.pid}.tsv`, timeline.join('\n') + '\n');

const trips = report.hosts.map((h) => h.stats?.roundTrips ?? 0);
const statuses: Record<string, number> = {};
for (const h of report.hosts) statuses[h.status] = (statuses[h.status] ?? 0) + 1;
const bundles: Record<string, number> = {};
for (const b of report.bundles) bundles[b.status] = (bundles[b.status] ?? 0) + 1;
const failedBundles = report.bundles.filter((b) => b.error !== undefined).map((b) => ({ name: b.name, status: b.status }));
process.stdout.write(JSON.stringify({
  exitCode: report.exitCode,
  summary: report.summary.slice(0, 500),
  hosts: report.hosts.length,
  statuses,
  bundles,
  failedBundles,
  loadMs: t1 - t0,
  runMs: t2 - t1,
  wallMs: t2 - t0,
  cpuUserMs: cpu.user / 1000,
  cpuSystemMs: cpu.system / 1000,
  baselineRssMb: baselineRss / 2 ** 20,
  peakRssMb: peakRss / 2 ** 20,
  maxRssMb: process.resourceUsage().maxRSS / 1024,
  peakHeapUsedMb: peakHeap / 2 ** 20,
  peakExternalMb: peakExternal / 2 ** 20,
  roundTripsMax: Math.max(...trips),
  roundTripsMin: Math.min(...trips),
  bytesSentPerHost: report.hosts.reduce((s, h) => s + (h.stats?.bytesSent ?? 0), 0) / report.hosts.length,
  bytesReceivedPerHost: report.hosts.reduce((s, h) => s + (h.stats?.bytesReceived ?? 0), 0) / report.hosts.length,
}) + '\n');
