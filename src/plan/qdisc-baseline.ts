// A root qdisc that `teql … replace: true` replaced (an operator's tbf or fq_codel with its own
// settings) is recorded in the baseline with the `tc` arguments that rebuild it (qdisc-restore.ts),
// so that `teql … state: absent` and the teardown put it back: they deleted the equalizer's root
// and left the kernel's default, though the docs promise "as before teqlctl" (a limit named since a
// review of undo fidelity, 2026-12-06; closed 2026-12-07). A rollback of the run itself always did.
import type { RootQdiscFact } from '../gather/facts.js';
import type { Op, PlannedStep } from './ops.js';
import { conflict, type PlanContext } from './context.js';
import { restoreArgs } from './qdisc-restore.js';
import { forgetStep } from './baseline.js';

export function qdiscKey(dev: string): string {
  return `qdisc:${dev}`;
}

/**
 * The undo of replacing `root` on `slave` (its exact rebuild; refused before any change where there
 * is none), and the step recording it where the baseline holds nothing for that device yet.
 */
export function replacedQdisc(ctx: PlanContext, slave: string, root: RootQdiscFact, baseline: Readonly<Record<string, string>> | undefined): { undo: Op[]; record?: PlannedStep } {
  const restore = restoreArgs(root);
  if ('why' in restore) {
    throw conflict(ctx, `${slave}'s root qdisc ${root.kind} (handle ${root.handle}) cannot be restored exactly after replacing it: ${restore.why}`, `remove it yourself if it may go (rollback will not bring it back), or set replace: false`);
  }
  const undo: Op[] = [{ kind: 'qdisc-restore', dev: slave, root, args: restore.args }];
  const key = qdiscKey(slave);
  if (baseline?.[key] !== undefined) return { undo };
  const value = JSON.stringify({ root: { dev: root.dev, kind: root.kind, handle: root.handle, ...(root.options ? { options: root.options } : {}) }, args: restore.args });
  return { undo, record: { op: { kind: 'baseline-set', key, value }, undo: [{ kind: 'baseline-unset', key }] } };
}

/**
 * What `state: absent` does to `slave`'s root: the recorded qdisc rebuilt (its record forgotten),
 * or the kernel's default; undefined where the equalizer is not its root (a record left is then
 * forgotten: the root was changed since, or a reboot without persist gave the default back, and a
 * later teardown would build a qdisc that was not there before its run; a review). Rebuilt by
 * delete then add, not replace: after a reboot the equalizer may hold the recorded handle (the
 * kernel numbers them from 8001: again each boot), and a replace with it would change that qdisc.
 */
export function qdiscBack(ctx: PlanContext, slave: string, device: string, rootKind: string | undefined, baseline: Readonly<Record<string, string>> | undefined): { steps: PlannedStep[]; after: string } | undefined {
  const key = qdiscKey(slave);
  const value = baseline?.[key];
  if (rootKind !== device) return value === undefined ? undefined : { steps: [forgetStep(key, value)], after: rootKind ?? 'kernel default' };
  const del: PlannedStep = { op: { kind: 'qdisc-root-del', dev: slave }, undo: [{ kind: 'qdisc-root', dev: slave, qdisc: device, replace: false }] };
  if (value === undefined) return { steps: [del], after: 'kernel default' };
  const recorded = parseRecordedQdisc(value, slave);
  if (!recorded) throw conflict(ctx, `the baseline's record ${key} is not one teqlctl wrote: ${value.slice(0, 200)}`, 'remove that line from /var/lib/teqlctl/baseline by hand');
  const add = ['qdisc', 'add', ...recorded.args.slice(2)];
  return {
    steps: [del, { op: { kind: 'qdisc-restore', dev: slave, root: recorded.root, args: add }, undo: [{ kind: 'qdisc-root-del', dev: slave }] }, forgetStep(key, value)],
    after: `${recorded.root.kind} (as before teqlctl)`,
  };
}

/** A record as recordReplaced wrote it; undefined otherwise (its arguments must rebuild this device's root, nothing else). */
export function parseRecordedQdisc(value: string, dev: string): { root: RootQdiscFact; args: string[] } | undefined {
  try {
    const v = JSON.parse(value) as { root?: Record<string, unknown>; args?: unknown };
    const r = v.root;
    if (!r || r.dev !== dev || typeof r.kind !== 'string' || typeof r.handle !== 'string') return undefined;
    if (!Array.isArray(v.args) || !v.args.every((a) => typeof a === 'string')) return undefined;
    const args = v.args as string[];
    if (args.slice(0, 7).join(' ') !== `qdisc replace dev ${dev} root handle ${r.handle}` || args[7] !== r.kind) return undefined;
    const options = r.options && typeof r.options === 'object' ? { options: r.options as Record<string, unknown> } : {};
    return { root: { dev, kind: r.kind, handle: r.handle, isDefault: false, ...options }, args };
  } catch {
    return undefined;
  }
}
