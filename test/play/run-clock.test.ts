// The controller's clock for dead-man windows (play/run-clock.ts): a wall clock stepped back does
// not hold time still (a cut came late or never), a step forward or a suspend counts as time passed.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { performance } from 'node:perf_hooks';
import { MAX_TIMER_MS, runNow, timerMs } from '../../src/play/run-clock.js';
import { approvalQuestion } from '../../src/play/approval-deadline.js';

afterEach(() => vi.restoreAllMocks());

describe('runNow', () => {
  it('goes on with the monotonic clock when the wall clock is stepped back a day', () => {
    const before = runNow();
    const realNow = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(realNow - 86_400_000);
    const after = runNow();
    // Not a day back: on where it was, give or take the few milliseconds the two clocks drift apart.
    expect(Math.abs(after - before)).toBeLessThan(1000);
  });

  it('sees a wall clock step forward (or a suspend, which the monotonic clock does not count) as time passed', () => {
    const before = runNow();
    vi.spyOn(Date, 'now').mockReturnValue(Date.now() + 600_000);
    expect(runNow() - before).toBeGreaterThanOrEqual(600_000 - 1000);
  });

  it('sees time pass on the monotonic clock while the wall clock stands still (stepped back as it goes), past a few seconds of drift', () => {
    const wall = Date.now();
    const before = runNow();
    vi.spyOn(Date, 'now').mockReturnValue(wall);
    const mono = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(mono + 30_000);
    expect(runNow() - before).toBeGreaterThanOrEqual(30_000 - 1000);
  });
});

describe('the approval question after a step back', () => {
  it('names the times as the operator\'s clock shows them, not an hour ahead (a review)', () => {
    // Half a second into a second: the few milliseconds the test takes do not cross into the next.
    const wall = Math.floor(Date.now() / 1000) * 1000 - 3_600_000 + 500;
    vi.spyOn(Date, 'now').mockReturnValue(wall);
    const firesAt = runNow() + 90_000;
    const question = approvalQuestion({ firesAt, answerBy: firesAt - 10_000, hosts: ['a'] });
    const shown = (ms: number) => new Date(ms).toTimeString().slice(0, 8);
    expect(question).toContain(`revert by themselves at ${shown(wall + 90_000)} unless`);
    expect(question).toContain(`no answer by ${shown(wall + 80_000)} counts as no`);
  });
});

describe('timerMs', () => {
  it('keeps a delay within what Node timers take: past 2^31-1 ms they fire at once', () => {
    expect(timerMs(-5)).toBe(0);
    expect(timerMs(1500)).toBe(1500);
    expect(timerMs(40 * 86_400_000)).toBe(MAX_TIMER_MS);
  });
});
