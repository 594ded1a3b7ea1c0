// A run's id: when (to the second, for people), which process, and a random part, so that two
// controllers started in the same second (containers are all PID 1) never share one on a router.
import { randomBytes } from 'node:crypto';

export function newRunId(now: Date = new Date(), pid: number = process.pid, random: Buffer = randomBytes(6)): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${stamp}-${pid}-${random.toString('hex')}`;
}
