// BarrierCut's timing against a fake run, on vitest's fake clock: when the cut comes, and whom a
// judged arrival saves. The replayed fleets of barrier-cut.test.ts show the run around it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BarrierCut } from '../../src/play/barrier-cut.js';
import type { RunState } from '../../src/play/run-state.js';

/** Pairs p0 (a0, b0) and p1 (a1, b1); `armedAgoSec`: p0 armed that long ago, in an earlier phase. */
function fakeRun(armedAgoSec?: number) {
  const now = Date.now();
  const sessions = new Map<string, { host: string; armedAt?: number }>(['a0', 'b0', 'a1', 'b1'].map((h) => [h, { host: h }]));
  if (armedAgoSec !== undefined) for (const h of ['a0', 'b0']) sessions.get(h)!.armedAt = now - armedAgoSec * 1000;
  const units = [{ name: 'p0', hosts: ['a0', 'b0'], bundle: true }, { name: 'p1', hosts: ['a1', 'b1'], bundle: true }];
  const notes: string[] = [];
  const run = {
    opts: { confirmTimeoutSec: 120, log: { note: (m: string) => notes.push(m) } },
    sessions, stalled: new Set<string>(),
    domains: { units, failed: new Set<string>(), alive: () => true, unitsOf: (h: string) => units.filter((u) => u.hosts.includes(h)).map((u) => u.name) },
  } as unknown as RunState;
  return { run, sessions, notes };
}

/** A router's apply through the cut: armed now, answered after `sec` (or never), judged as losing `lost`. */
function applying(cut: BarrierCut, f: ReturnType<typeof fakeRun>, h: string, sec: number | undefined, lost: string[] = []) {
  const outcome: { at?: number; cut?: string } = {};
  const t0 = Date.now();
  const task = cut.watch(h, async () => {
    f.sessions.get(h)!.armedAt ??= Date.now();
    await cut.until(h, new Promise((r) => sec !== undefined && setTimeout(r, sec * 1000)));
    outcome.at = (Date.now() - t0) / 1000;
    return lost;
  });
  task(() => undefined).catch((err: Error) => (outcome.cut = `${(Date.now() - t0) / 1000}: ${err.message}`));
  return outcome;
}

describe('BarrierCut', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('cuts at the run\'s cut (90 s of a 120 s window) the routers still applying, when a bundle is saved', async () => {
    const f = fakeRun();
    const cut = new BarrierCut(f.run, ['a0', 'b0', 'a1', 'b1']);
    const [a0, b0, a1, b1] = [applying(cut, f, 'a0', 1), applying(cut, f, 'b0', 2), applying(cut, f, 'a1', 3), applying(cut, f, 'b1', undefined)];
    await vi.advanceTimersByTimeAsync(89_000);
    expect([a0.at, b0.at, a1.at, b1.cut]).toEqual([1, 2, 3, undefined]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(b1.cut).toMatch(/^90: did not reach its barrier in time \(its apply still running\): the routers already applied would have had under 30 s of their dead-man windows \(120 s\) left for 1 bundle\(s\) had the run waited longer for b1; it is stopped there and rolled back beside the run/);
    expect([...f.run.stalled]).toEqual(['b1']);
    expect(cut.tooLate).toMatch(/^not applied: /);
  });

  it('cuts the checks half the reserve later (the confirmation keeps the rest), and says what is left', async () => {
    const f = fakeRun();
    const cut = new BarrierCut(f.run, ['a0', 'b0', 'a1', 'b1'], { at: 'the checks', late: 'its checks did not end in time', skipped: 'not verified', fate: 'its bundles failed', reserveShare: 0.5 });
    for (const h of ['a0', 'b0', 'a1', 'b1']) f.sessions.get(h)!.armedAt = Date.now();
    const [, , , b1] = [applying(cut, f, 'a0', 1), applying(cut, f, 'b0', 1), applying(cut, f, 'a1', 1), applying(cut, f, 'b1', undefined)];
    await vi.advanceTimersByTimeAsync(104_000);
    expect(b1.cut).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(b1.cut).toMatch(/^105: its checks did not end in time: the routers already applied would have had under 15 s of their dead-man windows \(120 s\) left for 1 bundle\(s\) had the run waited longer for b1; its bundles failed$/);
    expect(f.notes).toEqual([expect.stringMatching(/^cut at the checks: b1 not there/)]);
  });

  it('rolls back beside the run a router queued behind --forks that changed in an earlier phase', async () => {
    const f = fakeRun(1);
    (f.sessions.get('a0') as { armed?: boolean }).armed = true;
    (f.sessions.get('b0') as { armed?: boolean }).armed = true;
    const cut = new BarrierCut(f.run, ['a0', 'b0', 'a1', 'b1']);
    // p1 applies and arrives; p0's routers wait their turn (never started here).
    const [a1, b1] = [applying(cut, f, 'a1', 1), applying(cut, f, 'b1', 1)];
    await vi.advanceTimersByTimeAsync(90_000);
    expect([a1, b1]).toEqual([{ at: 1 }, { at: 1 }]);
    expect(cut.tooLate).toMatch(/^not applied: /);
    expect([...f.run.stalled].sort()).toEqual(['a0', 'b0']);
  });

  it('gives a phase begun past the run\'s cut 10 s of its own: a 2 s apply is not cut', async () => {
    const f = fakeRun(100);
    const cut = new BarrierCut(f.run, ['a1', 'b1']);
    const [a1, b1] = [applying(cut, f, 'a1', 2), applying(cut, f, 'b1', 2)];
    await vi.advanceTimersByTimeAsync(5_000);
    expect([a1, b1]).toEqual([{ at: 2 }, { at: 2 }]);
    expect(f.run.stalled.size).toBe(0);
  });

  it('cuts such a phase\'s router that takes longer than those 10 s', async () => {
    const f = fakeRun(100);
    const cut = new BarrierCut(f.run, ['a1', 'b1']);
    const [a1, b1] = [applying(cut, f, 'a1', 30), applying(cut, f, 'b1', 30)];
    await vi.advanceTimersByTimeAsync(10_000);
    expect(a1.cut).toMatch(/^10: did not reach its barrier in time/);
    expect(b1.cut).toMatch(/^10: /);
    expect([...f.run.stalled].sort()).toEqual(['a1', 'b1']);
  });

  it('counts a router that arrived with its bundle lost as saving nothing: the others are not cut for it', async () => {
    const f = fakeRun();
    const cut = new BarrierCut(f.run, ['a0', 'b0', 'a1', 'b1']);
    // p0's routers arrive, b0 having lost p0 (a failed step); p1's are slow but answer.
    const [, , a1, b1] = [applying(cut, f, 'a0', 1), applying(cut, f, 'b0', 1, ['p0']), applying(cut, f, 'a1', 95), applying(cut, f, 'b1', 95)];
    await vi.advanceTimersByTimeAsync(96_000);
    expect([a1, b1]).toEqual([{ at: 95 }, { at: 95 }]);
    expect(f.notes).toEqual([]);
  });

  it('counts a router whose task threw (its apply failed) as saving none of its bundles', async () => {
    const f = fakeRun();
    const cut = new BarrierCut(f.run, ['a0', 'b0', 'a1', 'b1']);
    applying(cut, f, 'a0', 1);
    cut.watch('b0', async () => { throw new Error('apply script ended early'); })(() => undefined).catch(() => undefined);
    const [a1, b1] = [applying(cut, f, 'a1', 95), applying(cut, f, 'b1', 95)];
    await vi.advanceTimersByTimeAsync(96_000);
    expect([a1, b1]).toEqual([{ at: 95 }, { at: 95 }]);
  });
});
