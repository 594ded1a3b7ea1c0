// The pure parts of the lab's speed probe (test/e2e/lab-speed.ts); the probe itself runs on the lab
// in the e2e project's global setup.
import { describe, expect, it } from 'vitest';
import { median, msPerStart } from './e2e/lab-speed.js';

describe('lab speed probe', () => {
  it('turns the guest uptime before and after 20 process starts into ms per start', () => {
    expect(msPerStart('1234.50 1235.10\n')).toBeCloseTo(30, 6);
    expect(msPerStart('10.00 10.00', 20)).toBe(0);
  });

  it('refuses output it cannot read instead of giving a figure', () => {
    for (const out of ['', 'sh: 1: /bin/true: not found', '12.0', '13.0 12.0', 'x y']) expect(() => msPerStart(out)).toThrow(/unreadable output/);
  });

  it('takes the median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
