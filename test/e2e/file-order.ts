// The order vitest starts test files in: each e2e file by how long it took in a clean-clone CI run
// (seconds, 2026-11-29, one lab, 2 cores), longest first. With the files spread over lanes as
// each lane frees up, longest first lets the lanes end close together instead of one lane
// starting a 10-minute file when the other is almost done. A file not listed counts as 60 s.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const E2E_SECONDS: Record<string, number> = {
  // Above fault-matrix, though a little shorter: fault-matrix prints the table both fill, at its end.
  'fault-races.test.ts': 660,
  'fault-matrix.test.ts': 650,
  'persist-teardown.test.ts': 400,
  'deadman.test.ts': 265,
  'bundles.test.ts': 230,
  'play.test.ts': 140,
  'networkd-persist.test.ts': 146,
  'hub-lab.test.ts': 121,
  'partial-failure.test.ts': 115,
  'become.test.ts': 98,
  'three-links.test.ts': 94,
  'busybox.test.ts': 93,
  'qdisc-replace.test.ts': 90,
  'wizard.test.ts': 65,
  'lab-smoke.test.ts': 55,
  'arming.test.ts': 50,
  'interactive-play.test.ts': 40,
  'lab-reset.test.ts': 40,
  'package.test.ts': 32,
  'connect.test.ts': 30,
  // 2026-12-06, run alone.
  'flash-layout.test.ts': 35,
  'routing-daemon.test.ts': 32,
  // 2026-12-07, run alone.
  'others-changes.test.ts': 37,
};
const UNKNOWN_SECONDS = 60;

/** Seconds a file is expected to take: e2e files from the table, anything else 0 (left in place). */
export function expectedSeconds(moduleId: string): number {
  const m = /[\\/]test[\\/]e2e[\\/](?:.*[\\/])?([^\\/]+\.test\.ts)$/.exec(moduleId);
  return m ? (E2E_SECONDS[m[1]!] ?? UNKNOWN_SECONDS) : 0;
}

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    // Array.prototype.sort is stable: the unit files keep the base sequencer's order.
    return sorted.sort((x, y) => expectedSeconds(y.moduleId) - expectedSeconds(x.moduleId));
  }
}
