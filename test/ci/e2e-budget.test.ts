import { describe, expect, it } from 'vitest';
import { e2eBudget, e2eCap, FIXED_SHARE, REFERENCE_MS } from '../../scripts/ci/e2e-budget.mjs';

describe("CI's e2e budget, scaled by the lab's measured speed", () => {
  it('keeps the base budget at the reference speed and on a faster machine', () => {
    expect(e2eBudget(3000, 4500, REFERENCE_MS).budgetS).toBe(3000);
    expect(e2eBudget(3000, 4500, REFERENCE_MS / 2)).toMatchObject({ budgetS: 3000, factor: 1 });
    expect(e2eBudget(3000, 4500, 20).why).toMatch(/20\.0 ms, the reference machine in 30 ms: the base budget$/);
  });

  it('grows on a slower machine by the scaling share only: timers and holds take as long anywhere', () => {
    expect(FIXED_SHARE).toBe(0.6);
    // 0.6 + 0.4 * 1.5 = 1.2
    const b = e2eBudget(3000, 4500, REFERENCE_MS * 1.5);
    expect(b.budgetS).toBe(3600);
    expect(b.why).toMatch(/the base budget x1\.20 \(its scaling 40% x1\.50\)$/);
    // The machine of 2026-11-30 (49.5 ms) with today's base: 3900 * (0.6 + 0.4 * 1.65) = 4914, capped at 4800.
    expect(e2eBudget(3900, 4800, 49.5).budgetS).toBe(4800);
  });

  it('never beyond its cap, and says so', () => {
    const b = e2eBudget(3000, 4500, REFERENCE_MS * 3);
    expect(b.budgetS).toBe(4500);
    expect(b.why).toMatch(/x1\.80 \(its scaling 40% x3\.00\), at its cap$/);
  });

  it('keeps the base budget when no speed was measured or the figure is nonsense, and says which', () => {
    expect(e2eBudget(3000, 4500, undefined)).toEqual({ budgetS: 3000, factor: 1, why: 'no lab speed was measured: the base budget' });
    for (const ms of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY]) {
      expect(e2eBudget(3000, 4500, ms)).toEqual({ budgetS: 3000, factor: 1, why: `the lab speed figure ${ms} is not usable: the base budget` });
    }
  });
});

describe("CI's e2e cap: what the whole run's limit leaves after the rest of the run", () => {
  it('is the run cap less the time spent outside the e2e files, never negative', () => {
    // 88 minutes for the whole; 81 min 53 s in all, 4656 s of them e2e: the rest took 257 s.
    expect(e2eCap(5280, 4913, 4656)).toBe(5023);
    // A setup of 15 minutes leaves 73 for the e2e files.
    expect(e2eCap(5280, 900 + 3000, 3000)).toBe(4380);
    expect(e2eCap(5280, 6000, 0)).toBe(0);
    // Timings that do not add up (e2e longer than the run) leave the whole cap.
    expect(e2eCap(5280, 100, 200)).toBe(5280);
  });
});

