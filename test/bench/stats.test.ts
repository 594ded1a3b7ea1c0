import { describe, expect, it } from 'vitest';
import { leastSquares, median, ratio, summarize } from '../../bench/lib/stats.js';

describe('bench statistics', () => {
  it('median of odd and even counts, unsorted input left as it was', () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('summarize gives n, median, min, max and mean', () => {
    expect(summarize([2, 9, 4, 1, 4])).toEqual({ n: 5, median: 4, min: 1, max: 9, mean: 4 });
    expect(summarize([]).n).toBe(0);
  });

  it('least squares recovers a line exactly, and r2 drops with noise', () => {
    const exact = leastSquares([[10, 1.5], [100, 6], [500, 26]]);
    expect(exact.slope).toBeCloseTo(0.05, 10);
    expect(exact.intercept).toBeCloseTo(1, 10);
    expect(exact.r2).toBeCloseTo(1, 10);
    const noisy = leastSquares([[1, 1], [2, 3], [3, 2], [4, 4]]);
    expect(noisy.slope).toBeCloseTo(0.8, 10);
    expect(noisy.r2).toBeLessThan(1);
  });

  it('least squares refuses a fit without two distinct x', () => {
    expect(() => leastSquares([[5, 1], [5, 2]])).toThrow(/two distinct/);
  });

  it('a ratio to a missing baseline is NaN, not Infinity', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNaN();
    expect(ratio(3, NaN)).toBeNaN();
  });
});
