import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/e2e/file-order.js';
import { laneCount } from './test/e2e/lanes.js';

// Two projects: fast unit tests of the pure core, then the end-to-end suite against the lab.
export default defineConfig({
  test: {
    reporters: ['default', './test/count-reporter.ts'],
    // Longest e2e files first, so that the lanes end together (test/e2e/file-order.ts).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/lab-setup.ts'],
          setupFiles: ['test/e2e/lane-env.ts'],
          // One lab per lane (test/e2e/lanes.ts): as many files at once as there are labs, each
          // worker on its own lab. After the unit tests (their own group), not beside them.
          maxWorkers: laneCount(),
          // A process per worker: lanes are claimed by pid (threads would share one).
          pool: 'forks',
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
