// How fast this machine runs the lab today, measured once per e2e run: the time an emulated
// router takes to start a process. Nearly all of the e2e suite's time is the routers' processes
// under software emulation (no KVM), so this one figure says how fast the suite can be here, and
// CI's time guard (scripts/ci/e2e-budget.mjs) scales its budget by it. The same machine type ran
// the suite ~1.8x slower one morning than the day before; a fixed budget failed a healthy suite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sshRun } from './lab.js';

/** Where the figure goes for .ci/run's guard (git-ignored), beside the test timings. */
export const LAB_SPEED_FILE = process.env.TEQLCTL_LAB_SPEED_FILE ?? '.teqlctl/lab-speed.json';

const STARTS = 20;
// Timed inside the guest (its uptime, read by the shell's own `read`): no SSH time in the figure.
const PROBE = `read s _ < /proc/uptime; i=0; while [ $i -lt ${STARTS} ]; do /bin/true; i=$((i+1)); done; read e _ < /proc/uptime; echo "$s $e"`;

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

/**
 * Five probes on router a, 0.3 s apart; writes their median to LAB_SPEED_FILE and says it. Never
 * fails the suite: without a figure the guard keeps its base budget and says why.
 */
export async function measureLabSpeed(): Promise<void> {
  try {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await sshRun('a', PROBE);
      if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr.trim()}`);
      samples.push(msPerStart(r.stdout));
      await new Promise((done) => setTimeout(done, 300));
    }
    const processStartMs = median(samples);
    mkdirSync(dirname(LAB_SPEED_FILE), { recursive: true });
    writeFileSync(LAB_SPEED_FILE, JSON.stringify({ processStartMs, samples }) + '\n');
    console.log(`lab: router a starts a process in ${processStartMs.toFixed(1)} ms (median of ${samples.map((s) => s.toFixed(1)).join(', ')})`);
  } catch (err) {
    console.log(`lab: the speed probe failed (${(err as Error).message}); CI's time guard keeps its base budget`);
  }
}
