#!/usr/bin/env node
// CI's guard: the e2e suite must stay far inside CI's 90-minute limit. Reads the timings that
// test/count-reporter.ts wrote and the lab's speed that test/e2e/lab-speed.ts measured, prints the
// verdict, and repeats the count line so it stays last.
//   e2e-time-guard.mjs TIMINGS BASE_S CI_S [RUN_CAP_S SPEED_FILE]
// RUN_CAP_S caps the whole run: the e2e files get what is left of it after the rest of this run.
import { readFileSync } from 'node:fs';
import { e2eBudget, e2eCap } from './e2e-budget.mjs';

const [file, baseText, ciSecondsText, capText, speedFile] = process.argv.slice(2);
const baseS = Number(baseText);
let processStartMs;
if (speedFile) {
  try {
    processStartMs = JSON.parse(readFileSync(speedFile, 'utf8')).processStartMs;
  } catch {
    // no figure: the base budget, and the guard says so
  }
}
let summary;
try {
  summary = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`CI: no test timings in ${file} (${err.message}); did the tests run?`);
  process.exit(1);
}
// The e2e files run in lanes side by side: their wall time (first start to last end) is what CI
// pays. Timings written before the lanes carry no spans; their files ran one after another.
const e2eS = (summary.spans?.e2e ?? summary.projects?.e2e ?? 0) / 1000;
const e2eSumS = (summary.projects?.e2e ?? 0) / 1000;
const ciS = Number(ciSecondsText);
const capS = capText ? e2eCap(Number(capText), ciS, e2eS) : baseS;
const { budgetS: limitS, factor, why } = e2eBudget(baseS, capS, processStartMs);
console.log(`CI: .ci/run took ${Math.floor(ciS / 60)} min ${ciS % 60} s; the tests ${(summary.wallMs / 1000).toFixed(0)} s, of which the e2e files ${e2eS.toFixed(0)} s of wall time (${e2eSumS.toFixed(0)} s added up over the lanes)`);
console.log(`CI: the e2e files' budget is ${(limitS / 60).toFixed(1)} min (${why})`);
if (capText) console.log(`CI: its cap here is ${(capS / 60).toFixed(1)} min: ${(Number(capText) / 60).toFixed(0)} for the whole run, less the ${((ciS - e2eS) / 60).toFixed(1)} it spent outside the e2e files`);
// The suite's own size, whatever the machine's speed today: what shows it growing from run to run.
if (factor > 1) console.log(`CI: at the reference speed the e2e files would have taken ${(e2eS / factor / 60).toFixed(1)} min (the base budget ${(baseS / 60).toFixed(1)})`);
let code = 0;
if (e2eS > limitS) {
  console.log(
    `CI: FAILED: the e2e files took ${(e2eS / 60).toFixed(1)} min of wall time, over their ${(limitS / 60).toFixed(1)}-minute budget (CI stops at 90). ` +
      'Make the slow files above faster (snapshots instead of reboots), never by dropping assertions.',
  );
  code = 1;
}
const c = summary.counts;
console.log(`\n${c.passed} passed, ${c.failed + code} failed, ${c.skipped} skipped`);
process.exit(code);
