// `npm run bench:lab`: how long the lab makes a user (and the e2e suite) wait, 5 runs each, medians
// printed and kept in bench/results/. The targets of docs/lab.md: `lab reset a` <= 3 s, a warm
// `lab up` until both routers accept SSH <= 8 s. Printed, never asserted in a timed test.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/lab/paths.js';
import { withLabLock } from './lib/lock.js';
import { summarize, type Summary } from './lib/stats.js';

const RUNS = Number(process.env.BENCH_LAB_RUNS ?? 5);
const cli = join(projectRoot(), 'dist', 'cli', 'main.js');

/** Seconds one `teqlctl lab ...` took; throws with its output if it failed. */
function timed(args: string[]): number {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [cli, 'lab', ...args], { encoding: 'utf8' });
  const s = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`teqlctl lab ${args.join(' ')} exited ${r.status}:\n${r.stdout}${r.stderr}`);
  return s;
}

function show(what: string, target: number, s: Summary): string {
  const verdict = s.median <= target ? 'PASS' : 'MISS';
  return `${what.padEnd(44)} median ${s.median.toFixed(2)} s (min ${s.min.toFixed(2)}, max ${s.max.toFixed(2)}, n=${s.n})  target <= ${target} s  ${verdict}`;
}

await withLabLock('bench:lab', async () => {
  timed(['up']); // a cold first boot, when there is no saved state yet, is not what is measured
  const reset: number[] = [];
  const up: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    reset.push(timed(['reset', 'a']));
    timed(['down']);
    up.push(timed(['up']));
  }
  const result = { when: new Date().toISOString(), runs: RUNS, resetA: summarize(reset), warmUp: summarize(up), samples: { reset, up } };
  const lines = [show('lab reset a (restore + SSH + clock)', 3, result.resetA), show('warm lab up (both routers accept SSH)', 8, result.warmUp)];
  process.stdout.write(lines.join('\n') + '\n');
  const dir = join(projectRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `lab-${result.when.replace(/[-:]/g, '').slice(0, 15)}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(`written: ${file}\n`);
}, (line) => process.stderr.write(line + '\n'));
