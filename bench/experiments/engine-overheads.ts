// Experiment (not part of `npm run bench`): two per-host costs of the engine that grow with the
// fleet and do no network work, measured on their own, in this process:
//  - the progress layer in silent mode (listr2 with one task per host) against a plain pool;
//  - the run log: one synchronous append per round trip, with the script and its output.
//   npx tsx bench/experiments/engine-overheads.ts [hosts]
import { mkdtempSync, readFileSync, rmSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runWithProgress } from '../../src/ui/progress.js';
import { RunLog } from '../../src/play/run-log.js';
import { median } from '../lib/stats.js';

const hosts = Number(process.argv[2] ?? 500);
const STAGES = 6; // connect, gather, apply, verify, confirm-connect, confirm

async function pool(n: number, limit: number, fn: () => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => { while (next++ < n) await fn(); }));
}

async function cpuMs(fn: () => Promise<void>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c = process.cpuUsage();
    await fn();
    const d = process.cpuUsage(c);
    xs.push((d.user + d.system) / 1000);
  }
  return median(xs);
}

const tick = () => new Promise<void>((r) => setImmediate(r));
const items = () => Array.from({ length: hosts }, (_, i) => ({ title: `host${i}: stage`, run: async (setTitle: (t: string) => void) => { await tick(); setTitle(`host${i}: done`); } }));
const listr = await cpuMs(async () => { for (let s = 0; s < STAGES; s++) await runWithProgress('silent', items(), 200); });
const plain = await cpuMs(async () => { for (let s = 0; s < STAGES; s++) await pool(hosts, 200, tick); });
console.log(`progress, ${hosts} hosts x ${STAGES} stages, silent: listr2 ${listr.toFixed(0)} ms CPU, a plain pool ${plain.toFixed(0)} ms CPU`);

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const facts = readFileSync(join(fixtures, 'a-converged.txt'), 'utf8');
const script = readFileSync(join(fixtures, 'facts-script.sh'), 'utf8');
const result = { label: 'facts', script, code: 0, stdout: facts, stderr: '', durationMs: 100 };
const dir = mkdtempSync(join(tmpdir(), 'runlog-'));
try {
  const records = hosts * 4;
  const sync = await cpuMs(async () => {
    const log = new RunLog(join(dir, `sync-${Math.random()}.log`));
    for (let i = 0; i < records; i++) log.record(`host${i % hosts}`, result);
  });
  const stream = await cpuMs(async () => {
    const out = createWriteStream(join(dir, `stream-${Math.random()}.log`));
    const log = new RunLog(undefined);
    for (let i = 0; i < records; i++) out.write(log.redact(`### ${new Date().toISOString()} host${i % hosts} facts: exit 0 in 100 ms\n--- script\n${script}--- stdout\n${facts}--- stderr\n\n`));
    await new Promise<void>((r) => out.end(r));
  });
  console.log(`run log, ${records} records of ${((script.length + facts.length) / 1024).toFixed(0)} kB: appendFileSync per record ${sync.toFixed(0)} ms CPU, one write stream ${stream.toFixed(0)} ms CPU`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
