// How fast this machine runs the lab today, measured once per e2e run: the time an emulated
// router takes to start a process. Nearly all of the e2e suite's time is the routers' processes
// under software emulation (no KVM), so this one figure says how fast the suite can be here, and
// CI's time guard (scripts/ci/e2e-budget.mjs) scales its budget by it. The same machine type ran
// the suite ~1.8x slower one morning than a few hours before; a fixed budget failed a healthy suite.
// Measured before the files and again after them (the lower figure counts: a slow moment at
// either end cannot loosen the budget), only when $TEQLCTL_LAB_SPEED_FILE is set (.ci/run sets it).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sshRun } from './lab.js';

/** Where the figure goes for .ci/run's guard, beside the test timings; unset: no probe. */
const LAB_SPEED_FILE = process.env.TEQLCTL_LAB_SPEED_FILE;

const STARTS = 20;
// Timed inside the guest (its uptime, read by the shell's own `read`): no SSH time in the figure.
const PROBE = `read s _ < /proc/uptime; i=0; while [ $i -lt ${STARTS} ]; do /bin/true || exit 1; i=$((i+1)); done; read e _ < /proc/uptime; echo "$s $e"`;

/** Milliseconds per process start from the probe's output ("start end", seconds of uptime). */
export function msPerStart(stdout: string, starts = STARTS): number {
  const [s, e] = stdout.trim().split(/\s+/).map(Number);
  if (s === undefined || e === undefined || !Number.isFinite(s) || !Number.isFinite(e) || e < s) throw new Error(`lab speed probe: unreadable output ${JSON.stringify(stdout)}`);
  return ((e - s) * 1000) / starts;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Five timed probes on router a, 0.3 s apart, after one untimed (a restored guest's first is slow). */
async function probe(): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < 6; i++) {
    const r = await sshRun('a', PROBE);
    if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr.trim()}`);
    if (i > 0) samples.push(msPerStart(r.stdout));
    await new Promise((done) => setTimeout(done, 300));
  }
  return samples;
}

interface SpeedRecord {
  processStartMs: number;
  before?: number[];
  after?: number[];
}

/**
 * `before` (the e2e setup, said on the terminal) or `after` (the teardown, silent: the count line
 * stays last): probes, and keeps the lower median of the two in LAB_SPEED_FILE. Never fails the
 * suite: without a figure the guard keeps its base budget and says why.
 */
export async function measureLabSpeed(when: 'before' | 'after'): Promise<void> {
  if (!LAB_SPEED_FILE) return;
  try {
    const samples = await probe();
    const ms = median(samples);
    let record: SpeedRecord = { processStartMs: ms, [when]: samples };
    if (when === 'after' && existsSync(LAB_SPEED_FILE)) {
      const earlier = JSON.parse(readFileSync(LAB_SPEED_FILE, 'utf8')) as SpeedRecord;
      record = { ...earlier, after: samples, processStartMs: Math.min(earlier.processStartMs, ms) };
    }
    mkdirSync(dirname(LAB_SPEED_FILE), { recursive: true });
    writeFileSync(LAB_SPEED_FILE, JSON.stringify(record) + '\n');
    if (when === 'before') console.log(`lab: router a starts a process in ${ms.toFixed(1)} ms (median of ${samples.map((x) => x.toFixed(1)).join(', ')})`);
  } catch (err) {
    if (when === 'before') console.log(`lab: the speed probe failed (${(err as Error).message}); CI's time guard keeps its base budget`);
  }
}
