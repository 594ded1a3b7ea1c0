// After every check passed: prove management access still works by opening a NEW connection to
// each changed host, then confirm over it (disarm the dead-man, record the state, free the lock).
// Nothing is confirmed anywhere unless every new connection could be opened.
import { RunFailure } from '../errors.js';
import type { Transport } from '../connect/transport.js';
import { runWithProgress } from '../ui/progress.js';
import { stateLines } from '../rollback/compare.js';
import type { RunState } from './run-state.js';
import { confirmScript } from '../deadman/confirm-script.js';
import { CONFIRM_MARKER } from '../router/markers.js';

export async function confirmAll(run: RunState): Promise<void> {
  const hosts = [...run.sessions.entries()].filter(([, s]) => s.armed).map(([h]) => h);
  if (hosts.length === 0) return;
  const fresh = new Map<string, Transport>();
  const failures: string[] = [];
  try {
    const connectErrors = await runWithProgress(run.opts.mode, hosts.map((h) => ({
      host: h,
      title: `${h}: new connection to confirm`,
      run: async (setTitle) => {
        try {
          fresh.set(h, await run.opts.connectFresh(h, run.specs.get(h)!));
          setTitle(`${h}: management access still works`);
        } catch (err) {
          failures.push(`${h}: ${(err as Error).message}`);
          throw err;
        }
      },
    })), run.opts.forks);
    if (connectErrors.length > 0) {
      throw new RunFailure('verify', `management access lost after applying (a new SSH connection failed): ${failures.join('; ')}`);
    }
    const confirmErrors = await runWithProgress(run.opts.mode, hosts.map((h) => ({
      host: h,
      title: `${h}: confirm`,
      run: async (setTitle) => {
        const after = [...stateLines(run.latest.get(h)!)].sort().join('\n');
        const res = await fresh.get(h)!.run('confirm', confirmScript(run.runId, after));
        run.opts.log.record(h, res);
        if (!res.stdout.includes(`${CONFIRM_MARKER} ok`)) {
          const late = /too-late (\S+)/.exec(res.stdout)?.[1];
          const msg = late ? `the dead-man had already fired (run state: ${late}); raise --confirm-timeout` : `confirmation failed (exit ${res.code}): ${res.stderr.trim()}`;
          failures.push(`${h}: ${msg}`);
          throw new Error(msg);
        }
        setTitle(`${h}: confirmed, dead-man disarmed`);
      },
    })), run.opts.forks);
    if (confirmErrors.length > 0) throw new RunFailure('verify', `confirmation failed: ${confirmErrors.map((e) => e.message).join('; ')}`);
  } finally {
    for (const [h, t] of fresh) run.confirmStats.set(h, { ...t.stats });
    await Promise.all([...fresh.values()].map((t) => t.close().catch(() => undefined)));
  }
}
