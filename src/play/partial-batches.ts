// What a hub's partial rollback applies after undoing its failed bundles' steps, each as a journaled
// batch of the run (the dead-man and a later rollback undo it like any other): the failed links'
// rp_filter raised back to its old effective value, and the boot files planned for the kept bundles.
import type { Facts } from '../gather/facts.js';
import type { Op } from '../plan/ops.js';
import { recordBaseline } from '../plan/baseline.js';
import { planHost } from '../plan/plan-host.js';
import { rpFilterRaises } from '../rollback/partial.js';
import type { Change } from '../plan/types.js';
import type { RunState } from './run-state.js';
import { planScope } from './unit-failures.js';

/** The task name of a partial rollback's rp_filter raise: never undone by a later partial rollback. */
export const RAISE_TASK = 'partial rollback: rp_filter kept as before the run';

const BOOT_OPS = new Set<Op['kind']>(['file-write', 'file-remove', 'symlink']);

/**
 * Applies `changes` on `h` as a new batch of the run, journaled. A run already confirmed there (a
 * peer's confirmation failed after this hub's) takes no new batch: the error says so, and the hub
 * is rolled back wholly.
 */
async function applyBatch(run: RunState, h: string, changes: Change[], facts: Facts, what: string): Promise<Facts> {
  const stage = run.sessions.get(h)!.apply(changes, { runId: run.runId, owner: run.opts.owner ?? 'teqlctl', timeoutSec: run.opts.confirmTimeoutSec }, facts);
  try {
    const result = await stage.applied;
    run.journal.set(h, [...(run.journal.get(h) ?? []), ...result.entries]);
    const refused = result.armFailed ?? result.locked ?? result.error;
    if (refused) throw new Error(`${what} failed (${refused})`);
    return result.after ?? facts;
  } finally {
    stage.end();
  }
}

/**
 * conf.all.rp_filter, lowered for the kept bundles, stays low: the failed bundles' links, set back
 * to their own values, would filter less than before the run. They are raised to their old
 * effective value, their own value recorded as the baseline (as the all-rule does for the links it
 * raises), so that the boot files pin them and a teardown puts them back.
 */
export async function raiseRpFilter(run: RunState, h: string, after: Facts, goes: (line: string) => boolean): Promise<Facts> {
  const raises = rpFilterRaises(run.snapshots.get(h)!, after, goes);
  if (raises.length === 0) return after;
  const changes: Change[] = raises.map((r) => ({
    action: '~', resource: `sysctl ${r.name}`, before: r.from, after: r.to, task: RAISE_TASK, pos: { file: '(teqlctl)', line: 1, col: 1 },
    reason: 'conf.all.rp_filter stays low for the kept bundles: this link of a rolled-back bundle keeps the filtering it had before the run',
    steps: [{ op: { kind: 'sysctl', name: r.name, value: r.to }, undo: [{ kind: 'sysctl', name: r.name, value: r.from }] }],
  }));
  return applyBatch(run, h, recordBaseline(changes, after).changes, after, `raising rp_filter on ${raises.map((r) => r.name).join(', ')} back to what it was before the run`);
}

/**
 * Boot files this run already wrote on `h` describe the failed bundles too: they are planned again
 * for the kept bundles alone, from the tasks of the play that wrote them, and written. (Not written
 * yet, the boot phase is planned without the failed bundles anyway: apply-and-verify.ts.) Throws
 * what keeps the hub from getting there.
 */
export async function rewriteBootFiles(run: RunState, h: string, after: Facts): Promise<Facts> {
  if (!(run.journal.get(h) ?? []).some((e) => BOOT_OPS.has(e.op.kind))) return after;
  // Those of the play that wrote them (a later play may not persist, or not have reached its boot phase).
  const tasks = run.bootTasks.get(h);
  if (!tasks) throw new Error('its boot files were written by this run, but by no boot phase teqlctl knows of: they cannot be planned again');
  const scope = planScope(run, h);
  const phases = planHost(h, tasks, after, scope).plan.phases;
  const others = phases.filter((p) => !p.boot).flatMap((p) => p.changes);
  if (others.length > 0) throw new Error(`its kept bundles are not as planned, so their boot files cannot be written: ${others.map((c) => c.resource).join(', ')}`);
  const boot = phases.filter((p) => p.boot).flatMap((p) => p.changes);
  if (boot.length === 0) return after;
  const now = await applyBatch(run, h, boot, after, `writing the boot files for the kept bundles (${boot.map((c) => c.resource.replace(/^boot file /, '')).join(', ')})`);
  const left = planHost(h, tasks, now, scope).plan.phases.flatMap((p) => p.changes);
  if (left.length > 0) throw new Error(`the boot files written for the kept bundles are not as planned: ${left.map((c) => c.resource).join(', ')}`);
  return now;
}
