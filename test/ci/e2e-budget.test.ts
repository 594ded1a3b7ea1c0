import { describe, expect, it } from 'vitest';
import { e2eBudget, REFERENCE_MS } from '../../scripts/ci/e2e-budget.mjs';

describe("CI's e2e budget, scaled by the lab's measured speed", () => {
  it('keeps the base budget at the reference speed and on a faster machine', () => {
    expect(e2eBudget(3000, 4500, REFERENCE_MS).budgetS).toBe(3000);
    expect(e2eBudget(3000, 4500, REFERENCE_MS / 2)).toMatchObject({ budgetS: 3000, factor: 1 });
    expect(e2eBudget(3000, 4500, 20).why).toMatch(/20\.0 ms, the reference machine in 30 ms: the base budget$/);
  });

  it('grows in proportion on a slower machine', () => {
    const b = e2eBudget(3000, 4500, REFERENCE_MS * 1.2);
    expect(b.budgetS).toBe(3600);
    expect(b.why).toMatch(/the base budget x1\.20$/);
  });

  it('never beyond its cap, and says so', () => {
    const b = e2eBudget(3000, 4500, REFERENCE_MS * 3);
    expect(b.budgetS).toBe(4500);
    expect(b.why).toMatch(/x3\.00, at its cap$/);
  });

  it('keeps the base budget when no speed was measured or the figure is nonsense, and says which', () => {
    expect(e2eBudget(3000, 4500, undefined)).toEqual({ budgetS: 3000, factor: 1, why: 'no lab speed was measured: the base budget' });
    for (const ms of [Number.NaN, 0, -5, Number.POSITIVE_INFINITY]) {
      expect(e2eBudget(3000, 4500, ms)).toEqual({ budgetS: 3000, factor: 1, why: `the lab speed figure ${ms} is not usable: the base budget` });
    }
  });
});
