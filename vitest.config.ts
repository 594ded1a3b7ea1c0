import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests of the pure core, and the end-to-end suite that boots the lab once.
export default defineConfig({
  test: {
    reporters: ['default', './test/count-reporter.ts'],
    projects: [
      { test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: ['test/e2e/**'] } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/e2e/lab-setup.ts'],
          // One lab, shared by every e2e file: files must run one after another.
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 900_000,
        },
      },
    ],
  },
});
