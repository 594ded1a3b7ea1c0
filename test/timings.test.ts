import { describe, expect, it } from 'vitest';
import { summarize, timingTable } from './timings.js';

describe('test timings', () => {
  const files = [
    { project: 'unit', file: 'test/a.test.ts', ms: 100 },
    { project: 'e2e', file: 'test/e2e/fast.test.ts', ms: 2_000 },
    { project: 'e2e', file: 'test/e2e/slow.test.ts', ms: 90_000 },
    { project: 'unit', file: 'test/b.test.ts', ms: 300 },
  ];
  const s = summarize(files, 95_000, { passed: 4, failed: 0, skipped: 0 });

  it('adds up each project and sorts the files slowest first', () => {
    expect(s.projects).toEqual({ unit: 400, e2e: 92_000 });
    expect(s.files.map((f) => f.file)).toEqual(['test/e2e/slow.test.ts', 'test/e2e/fast.test.ts', 'test/b.test.ts', 'test/a.test.ts']);
  });

  it('prints every e2e file, the slowest unit files and the wall time', () => {
    const table = timingTable(s, 1).join('\n');
    expect(table).toContain('e2e: 2 files, 92.0 s in all, 92.0 s of wall time');
    expect(table).toMatch(/90\.0 s {2}test\/e2e\/slow\.test\.ts/);
    expect(table).toContain('unit: 2 files, 0.4 s in all, 0.4 s of wall time (the 1 slowest shown)');
    expect(table).toContain('test/b.test.ts');
    expect(table).not.toContain('test/a.test.ts');
    expect(table).toContain('Tests took 95.0 s of wall time.');
  });

  it('files that ran side by side (the e2e lanes): the wall time is from the first start to the last end', () => {
    const lanes = summarize([
      { project: 'e2e', file: 'test/e2e/long.test.ts', ms: 600_000, startedAt: 1_000, endedAt: 601_000 },
      { project: 'e2e', file: 'test/e2e/a.test.ts', ms: 300_000, startedAt: 1_000, endedAt: 301_000 },
      { project: 'e2e', file: 'test/e2e/b.test.ts', ms: 250_000, startedAt: 301_000, endedAt: 551_000 },
    ], 620_000, { passed: 3, failed: 0, skipped: 0 });
    expect(lanes.projects.e2e).toBe(1_150_000);
    expect(lanes.spans.e2e).toBe(600_000);
    expect(timingTable(lanes).join('\n')).toContain('e2e: 3 files, 1150.0 s in all, 600.0 s of wall time');
  });
});
