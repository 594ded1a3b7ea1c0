// @ts-check
// CI's time budget for the e2e files, scaled by how fast the lab ran in this very run.
//
// The base budget holds on a machine whose emulated routers start a process in REFERENCE_MS (the
// 2-core machine of 2026-11-29/30: `/bin/true` 20 times in 0.56-0.65 s, and the e2e files in
// 2236-2539 s). A slower machine, or the same one on a slow day, gets proportionally more, never
// more than the cap, which keeps the whole of .ci/run (setup, npm ci, the image, unit tests)
// inside CI's 90 minutes. A faster one keeps the base: the guard is there to catch the suite
// growing, and it still does, in units of this machine's speed.
//
// Only part of the suite scales with that speed: the dead-man timers, the fault rows' holds and
// the polls' intervals are wall-clock time on any machine. Two CI runs of nearly the same suite
// (2026-11-30 and 2026-12-01) took 4296-4480 s at a probe of 49.5 ms and 3545 s at 25.5 ms: about
// 60% of the suite at the reference speed does not scale, 40% does. Scaling the whole budget gave a
// faster machine no more than the base while the slower one got far more than it needed.

export const REFERENCE_MS = 30;
/** The share of the suite's time at the reference speed that is wall clock (timers, holds, polls). */
export const FIXED_SHARE = 0.6;

/**
 * @param {number} baseS the budget at the reference speed, in seconds
 * @param {number} capS the most it may become, in seconds
 * @param {number | undefined} processStartMs this run's probe (test/e2e/lab-speed.ts), if any
 * @returns {{ budgetS: number, factor: number, why: string }}
 */
export function e2eBudget(baseS, capS, processStartMs) {
  if (processStartMs === undefined) return { budgetS: baseS, factor: 1, why: 'no lab speed was measured: the base budget' };
  if (!Number.isFinite(processStartMs) || processStartMs <= 0) {
    return { budgetS: baseS, factor: 1, why: `the lab speed figure ${processStartMs} is not usable: the base budget` };
  }
  const speedFactor = Math.max(1, processStartMs / REFERENCE_MS);
  const factor = FIXED_SHARE + (1 - FIXED_SHARE) * speedFactor;
  const budgetS = Math.min(capS, Math.round(baseS * factor));
  const speed = `router a started a process in ${processStartMs.toFixed(1)} ms, the reference machine in ${REFERENCE_MS} ms`;
  if (factor === 1) return { budgetS, factor, why: `${speed}: the base budget` };
  return { budgetS, factor, why: `${speed}: the base budget x${factor.toFixed(2)} (its scaling ${Math.round((1 - FIXED_SHARE) * 100)}% x${speedFactor.toFixed(2)})${budgetS === capS ? ', at its cap' : ''}` };
}

/**
 * The most the e2e files may take in this run: CI's limit for the whole run (less a margin) minus
 * what this run spent outside them (setup, npm ci, the image, the unit tests), as measured. A fixed
 * cap of 80 minutes failed runs whose whole took 83 of CI's 90 (2026-12-01: setup ~4 minutes with
 * the image cached), and would let one through on a machine whose setup took 15.
 * @param {number} runCapS the whole run's limit, in seconds
 * @param {number} ciS the whole run so far, in seconds
 * @param {number} e2eS the e2e files' wall time, in seconds
 */
export function e2eCap(runCapS, ciS, e2eS) {
  return Math.max(0, Math.round(runCapS - Math.max(0, ciS - e2eS)));
}

