// Whether two plans of one host do the same, step for step: a first apply refused as stale is sent
// again on the router's new facts only where they plan exactly what was approved (play/stale-replan.ts).
import type { HostPlan, Phase } from './types.js';

/**
 * The same changes (their steps and undos, before and after, reasons) and checks, phase by phase,
 * and the same warnings. The empty phases alignBootPhases adds before a host's boot phase, to line
 * it up with the other hosts', are not a difference: the boot phase is compared on its own.
 */
export function samePlan(a: HostPlan, b: HostPlan): boolean {
  return shape(a) === shape(b);
}

function shape(p: HostPlan): string {
  const tasks = p.phases.filter((ph) => !ph.boot);
  const empty = (ph: Phase) => ph.changes.length === 0 && ph.checks.length === 0;
  while (tasks.length > 0 && empty(tasks[tasks.length - 1]!)) tasks.pop();
  return JSON.stringify({ tasks, boot: p.phases.find((ph) => ph.boot) ?? null, warnings: p.warnings ?? [] });
}
