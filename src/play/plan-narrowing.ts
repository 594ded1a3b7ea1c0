// A conflict on a hub that belongs to one of its bundles (a leftover qdisc on that branch's link)
// fails that bundle alone: the hub is planned again without its tasks, and its other bundles go on.
// One broken branch must not refuse a hundred healthy ones (a review found exit 8 for all of them).
import { RefusedError, TeqlError } from '../errors.js';
import type { Facts } from '../gather/facts.js';
import type { TaskInstance } from '../load/types.js';
import { taskBundles } from '../plan/bundle-scope.js';
import { planHost, type PlannedHost } from '../plan/plan-host.js';
import { excludeFor, failUnits, planScope } from './unit-failures.js';
import type { RunState } from './run-state.js';

/** The host's bundles a refusal belongs to, when they are some of its live bundles, not all. */
function refusedBundles(run: RunState, host: string, tasks: readonly TaskInstance[], err: RefusedError): string[] | undefined {
  if (!err.at) return undefined;
  const at = err.at;
  const task = tasks.find((t) => t.name === at.task && t.pos.file === at.pos.file && t.pos.line === at.pos.line && t.pos.col === at.pos.col);
  if (!task) return undefined;
  const owners = taskBundles(task, run.domains.scopesOf(host));
  const live = run.domains.unitsOf(host).filter((u) => !run.domains.failed.has(u));
  if (owners.length === 0 || !owners.every((u) => live.includes(u))) return undefined;
  return live.some((u) => !owners.includes(u)) ? owners : undefined;
}

/**
 * Plans `host`, leaving out the tasks of its failed bundles; a refusal that belongs to some of its
 * bundles fails them (said with the refusal's own words) and plans again. Any other error, or a
 * refusal that would leave nothing, is thrown as before: the host's every bundle fails.
 */
export function planNarrowing(run: RunState, host: string, tasks: readonly TaskInstance[], facts: Facts): PlannedHost {
  for (;;) {
    try {
      return planHost(host, [...tasks], facts, planScope(run, host));
    } catch (err) {
      if (!(err instanceof RefusedError)) throw err;
      const units = refusedBundles(run, host, tasks, err);
      if (!units) throw err;
      const message = (err.message.startsWith(`${host}: `) ? err.message.slice(host.length + 2) : err.message) + (err.hint ? `\n  hint: ${err.hint}` : '');
      failUnits(run, 'refused', '', [{ host, message, units }]);
      run.opts.log.note(`${host}: ${units.join(', ')} refused (${err.message}); planned again without ${units.length > 1 ? 'them' : 'it'}`);
    }
  }
}

/**
 * After settle.ts: every live host with a failed bundle is planned again, so that the plan shown,
 * approved and `--check`ed is the one that runs (a review): a hub that keeps a failed bundle as it
 * was (found once every host is planned) with it in its boot files, and a peer of a bundle failed
 * meanwhile without its end of it. A refusal (a kept bundle's tasks would plan something) fails
 * the host wholly.
 */
export function replanKept(run: RunState, tasks: Map<string, TaskInstance[]>, plans: readonly PlannedHost[]): PlannedHost[] {
  return plans.flatMap((p) => {
    const h = p.plan.host;
    if (!run.domains.alive(h)) return [];
    if (!excludeFor(run, h)) return [p];
    try {
      return [planNarrowing(run, h, tasks.get(h) ?? [], run.latest.get(h)!)];
    } catch (err) {
      if (!(err instanceof TeqlError)) throw err;
      run.domains.failHost(h, { stage: err.stage, message: err.message.startsWith(`${h}: `) ? err.message : `${h}: ${err.message}` });
      return [];
    }
  });
}
