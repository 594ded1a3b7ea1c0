import { describe, expect, it } from 'vitest';
import { besidePending, waitBeside } from '../../src/play/beside-wait.js';
import { runWithProgress, type ProgressItem, type ProgressMode } from '../../src/ui/progress.js';
import type { RunState } from '../../src/play/run-state.js';
import type { HostReport } from '../../src/play/report.js';

/** The parts of a run the last wait reads: b and c rolled back beside it, c's rollback still running. */
function runWith(mode: ProgressMode, cOk: boolean) {
  const reports = new Map<string, Partial<HostReport>>([
    ['a', { host: 'a' }],
    ['b', { host: 'b', rollback: { ok: true, residual: { missing: [], extra: [] }, errors: [] } }],
    ['c', { host: 'c' }],
  ]);
  let end!: () => void;
  const rollbackOfC = new Promise<void>((res) => (end = res)).then(() => {
    reports.get('c')!.rollback = cOk ? { ok: true, residual: { missing: [], extra: [] }, errors: [] } : { ok: false, residual: { missing: ['addr 10.0.0.1/31 dev eth1'], extra: [] }, errors: ['cannot reach c'] };
  });
  const run = { opts: { mode }, rolledBack: new Set(['b', 'c']), reports, background: [rollbackOfC] } as unknown as RunState;
  return { run, end };
}

/** Records what the wait shows, and runs it undrawn. */
function recorder() {
  const shown: Array<{ titles: string[]; final: string[]; errors: string[] }> = [];
  const show = async (_mode: ProgressMode, items: ProgressItem[], n: number) => {
    const final = items.map((i) => i.title);
    const errors = await runWithProgress('silent', items.map((item, k) => ({ ...item, run: (set) => item.run((t) => { final[k] = t; set(t); }) })), n);
    shown.push({ titles: items.map((i) => i.title), final, errors: errors.map((e) => e.message) });
    return errors;
  };
  return { shown, show };
}

describe('the run\'s last wait, for the rollbacks beside it', () => {
  it('names the routers whose rollback still runs', () => {
    expect(besidePending(runWith('tty', true).run)).toEqual(['c']);
  });

  it('shows them on a terminal, each ending with what its rollback found', async () => {
    const { run, end } = runWith('tty', true);
    const { shown, show } = recorder();
    const waited = waitBeside(run, show);
    await new Promise((r) => setTimeout(r, 20));
    expect(shown).toEqual([]);
    end();
    await waited;
    expect(shown).toEqual([{ titles: ['c: roll back (beside the run)'], final: ['c: rolled back beside the run, equals its state before the run'], errors: [] }]);
  });

  it('shows a rollback that did not get its router back as failed, with why', async () => {
    const { run, end } = runWith('tty', false);
    const { shown, show } = recorder();
    end();
    await waitBeside(run, show);
    expect(shown[0]!.errors).toEqual(['c: cannot reach c']);
  });

  it('shows nothing where plain output printed them as they went, and still waits', async () => {
    const { run, end } = runWith('plain', true);
    const { shown, show } = recorder();
    let done = false;
    const waited = waitBeside(run, show).then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    end();
    await waited;
    expect(shown).toEqual([]);
    expect(run.reports.get('c')!.rollback?.ok).toBe(true);
  });
});
