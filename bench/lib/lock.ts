// The lab is shared: every use of it runs while this process holds /tmp/teqlctl-lab.lock (flock(1)).
// flock runs `cat`, which lives until we close its stdin; if the bench dies, the pipe closes and the
// lock goes with it, so a crashed run never leaves the lab locked.
import { spawn } from 'node:child_process';

export const LAB_LOCK = process.env.TEQLCTL_LAB_LOCK ?? '/tmp/teqlctl-lab.lock';

export async function withLabLock<T>(what: string, fn: () => Promise<T>, say: (line: string) => void = () => {}): Promise<T> {
  const holder = spawn('flock', [LAB_LOCK, 'sh', '-c', 'echo locked; exec cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => holder.once('close', resolve));
  const waiting = setTimeout(() => say(`waiting for the lab lock ${LAB_LOCK} (another run uses the lab) before: ${what}`), 1000);
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.once('data', () => resolve());
      holder.once('error', (err) => reject(new Error(`cannot run flock (util-linux): ${err.message}`)));
      void exited.then((code) => reject(new Error(`flock exited (${code}) before taking ${LAB_LOCK}`)));
    });
  } finally {
    clearTimeout(waiting);
  }
  try {
    return await fn();
  } finally {
    holder.stdin.end();
    await exited;
  }
}
