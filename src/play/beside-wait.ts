// The run's last wait: for the rollbacks started beside it (settle.ts) that still run. On a
// terminal they ran silent (listr2's redrawn list of the run's own stage would be drawn over), so
// the operator watched a finished display and waited for nothing visible: the wait now shows them,
// one line per router, ending with what its rollback found. Plain output printed them as they went.
import { runWithProgress } from '../ui/progress.js';
import type { RunState } from './run-state.js';

/** Routers rolled back beside the run whose rollback has not ended (no report yet). */
export function besidePending(run: RunState): string[] {
  return [...run.rolledBack].filter((h) => run.reports.get(h)?.rollback === undefined);
}

/** Waits for every rollback beside the run; on a terminal, shown. `show`: for tests. */
export async function waitBeside(run: RunState, show = runWithProgress): Promise<void> {
  const all = Promise.all(run.background);
  const pending = run.opts.mode === 'tty' ? besidePending(run) : [];
  if (pending.length === 0) {
    await all;
    return;
  }
  await show(run.opts.mode, pending.map((h) => ({
    host: h,
    title: `${h}: roll back (beside the run)`,
    run: async (setTitle) => {
      await all;
      const back = run.reports.get(h)?.rollback;
      if (back?.ok !== true) throw new Error(back?.errors.join('; ') || 'rollback incomplete: see the recap');
      setTitle(`${h}: rolled back beside the run, equals its state before the run`);
    },
  })), pending.length);
}
