// Whether two plans of one host do the same, step for step: a first apply refused as stale is sent
// again on the router's new facts only where they plan exactly what was approved (play/stale-replan.ts).
import type { Change, HostPlan, Phase } from './types.js';

/**
 * The same changes (their steps and undos, before and after, reasons) and checks from phase `from`
 * on (the host's first apply: the phases before it changed nothing there and their checks ran),
 * nothing to change before it, and the same warnings. The empty phases alignBootPhases adds before
 * a host's boot phase, to line it up with the other hosts', are not a difference; the boot phase
 * is compared on its own.
 */
export function samePlan(approved: HostPlan, now: HostPlan, from = 0): boolean {
  return unchangedBefore(approved, from) && unchangedBefore(now, from) && shape(approved, from) === shape(now, from);
}

/**
 * What differs between them, for a refusal: the changes approved that are planned no more (or
 * otherwise), those planned now that were not; else their checks or warnings. Three of each.
 */
export function planDifference(approved: HostPlan, now: HostPlan, from = 0): string {
  const key = (c: Change) => JSON.stringify(c);
  const changes = (p: HostPlan, all: boolean) => p.phases.filter((ph, k) => all || ph.boot || k >= from).flatMap((ph) => ph.changes);
  const was = changes(approved, false);
  const is = changes(now, true);
  const had = new Set(was.map(key));
  const has = new Set(is.map(key));
  const named = (cs: Change[]) => cs.slice(0, 3).map((c) => c.resource).join(', ') + (cs.length > 3 ? ` and ${cs.length - 3} more` : '');
  const gone = was.filter((c) => !has.has(key(c)));
  const added = is.filter((c) => !had.has(key(c)));
  const words = [...(gone.length > 0 ? [`approved, not planned so now: ${named(gone)}`] : []), ...(added.length > 0 ? [`planned now, not approved: ${named(added)}`] : [])];
  return words.length > 0 ? words.join('; ') : 'its checks or warnings differ';
}

function taskPhases(p: HostPlan): Phase[] {
  return p.phases.filter((ph) => !ph.boot);
}

function unchangedBefore(p: HostPlan, from: number): boolean {
  return taskPhases(p).slice(0, from).every((ph) => ph.changes.length === 0);
}

function shape(p: HostPlan, from: number): string {
  const tasks = taskPhases(p).slice(from);
  const empty = (ph: Phase) => ph.changes.length === 0 && ph.checks.length === 0;
  while (tasks.length > 0 && empty(tasks[tasks.length - 1]!)) tasks.pop();
  return JSON.stringify({ tasks, boot: p.phases.find((ph) => ph.boot) ?? null, warnings: p.warnings ?? [] });
}
