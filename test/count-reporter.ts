import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestCase, TestModule, TestSuite } from 'vitest/node';
import { summarize, timingTable, type FileTiming } from './timings.js';

/** Where the run's timings go, for `.ci/run`'s time guard (git-ignored). */
export const DURATIONS_FILE = process.env.TEQLCTL_TEST_DURATIONS ?? '.teqlctl/test-durations.json';

// CI reads a plain closing line "N passed, N failed, N skipped"; vitest's own summary is not that.
// Before it: the time of each file, so the slow ones are seen before the suite outgrows CI's limit.
export default class CountReporter implements Reporter {
  private started = Date.now();
  private readonly startedAt = new Map<string, number>();
  private readonly endedAt = new Map<string, number>();

  onInit(): void {
    this.started = Date.now();
  }

  // Start and end of each file: the e2e lanes run files side by side, so their times overlap.
  onTestModuleStart(mod: TestModule): void {
    this.startedAt.set(mod.moduleId, Date.now());
  }

  onTestModuleEnd(mod: TestModule): void {
    this.endedAt.set(mod.moduleId, Date.now());
    // A file whose top-level hook failed (its tests then skipped): said now too, with the error.
    const errors = mod.errors();
    if (mod.state() === 'failed' && errors.length > 0) this.sayNow(`${relative(process.cwd(), mod.moduleId)}`, errors[0]?.message);
  }

  // A describe whose beforeAll failed: its tests are skipped, the error is the suite's.
  onTestSuiteResult(suite: TestSuite): void {
    const errors = suite.errors();
    if (suite.state() === 'failed' && errors.length > 0) this.sayNow(`${relative(process.cwd(), suite.module.moduleId)} > ${suite.fullName}`, errors[0]?.message);
  }

  // vitest prints failures once every file ended; a lab run killed by CI's clock would lose them.
  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state === 'failed') this.sayNow(`${relative(process.cwd(), test.module.moduleId)} > ${test.fullName}`, result.errors?.[0]?.message);
  }

  private sayNow(where: string, message = ''): void {
    process.stderr.write(`\nFAILED (said as it happened) ${where}: ${message.slice(0, 2000)}\n`);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const files: FileTiming[] = [];
    for (const mod of modules) {
      let failedHere = 0;
      for (const test of mod.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file whose setup threw (its tests then show as skipped) is a failure too.
      if (mod.state() === 'failed' && failedHere === 0) failedHere = 1;
      failed += failedHere;
      const d = mod.diagnostic();
      const ms = d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration;
      files.push({
        project: mod.project.name,
        file: relative(process.cwd(), mod.moduleId),
        ms,
        startedAt: this.startedAt.get(mod.moduleId),
        endedAt: this.endedAt.get(mod.moduleId),
      });
    }
    const summary = summarize(files, Date.now() - this.started, { passed, failed, skipped });
    mkdirSync(dirname(DURATIONS_FILE), { recursive: true });
    writeFileSync(DURATIONS_FILE, JSON.stringify(summary, null, 2) + '\n');
    process.stdout.write(timingTable(summary).join('\n') + '\n');
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
