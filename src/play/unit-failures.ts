// Turns what failed on hosts into failed units (bundles), and says which tasks a host leaves out
// once some of its bundles failed. The stage's message keeps the form it had before bundles
// ("verification failed: router_b: ping ...") with the hosts of each unit only.
import type { Stage } from '../errors.js';
import type { TaskInstance } from '../load/types.js';
import { goesWith, taskBundles } from '../plan/bundle-scope.js';
import type { RunState } from './run-state.js';
import type { PlanOptions } from '../plan/plan-host.js';

export interface HostFailure {
  host: string;
  message: string;
  /** The units it fails; all of the host's when not given (an unreachable host, a failed apply). */
  units?: string[];
}

export function failUnits(run: RunState, stage: Stage, prefix: string, failures: readonly HostFailure[]): void {
  const byUnit = new Map<string, string[]>();
  // In inventory order, whichever host answered first: the message is the same from run to run.
  const order = [...run.reports.keys()];
  const sorted = [...failures].sort((x, y) => order.indexOf(x.host) - order.indexOf(y.host));
  for (const f of sorted) {
    const units = f.units && f.units.length > 0 ? f.units : run.domains.unitsOf(f.host);
    // A message that names its host first (a lock's) is said as it is.
    const said = f.message.startsWith(`${f.host} `) || f.message.startsWith(`${f.host}:`) ? f.message : `${f.host}: ${f.message}`;
    for (const u of units) byUnit.set(u, [...(byUnit.get(u) ?? []), said]);
  }
  for (const [u, msgs] of byUnit) run.domains.fail(u, { stage, message: prefix + [...new Set(msgs)].join('; ') });
}

/**
 * The tasks a host leaves out: those of bundles that failed, or that --limit did not select (a hub
 * added as a bundle's other end runs that bundle only). Undefined when it leaves none out.
 */
export function excludeFor(run: RunState, host: string, failing: ReadonlySet<string> = new Set()): ((task: TaskInstance) => boolean) | undefined {
  const failed = new Set([...run.domains.failed, ...run.domains.outsideOf(host), ...failing]);
  const units = [...run.domains.unitsOf(host), ...run.domains.outsideOf(host)];
  if (!units.some((u) => failed.has(u))) return undefined;
  const scopes = run.domains.scopesOf(host);
  return (task) => goesWith(taskBundles(task, scopes), failed, units);
}

/**
 * How `host` is planned once some of its bundles failed: their tasks left out, those it keeps as
 * they were still in its boot files. `failing`: bundles failed in the stage under way, not yet told to the run.
 */
export function planScope(run: RunState, host: string, failing?: ReadonlySet<string>): PlanOptions {
  // What an undo returns to: the facts read before the run, whatever facts this plan starts from.
  const before = run.snapshots.get(host);
  const runBefore = before ? { runBefore: before } : {};
  const exclude = excludeFor(run, host, failing);
  if (!exclude) return runBefore;
  const kept = run.keptAsWas.get(host);
  if (!kept || kept.size === 0) return { exclude, ...runBefore };
  const scopes = run.domains.scopesOf(host);
  return { exclude, ...runBefore, keepInBoot: (task) => ((owned) => owned.length > 0 && owned.every((b) => kept.has(b)))(taskBundles(task, scopes)) };
}
