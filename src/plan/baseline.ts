// The baseline: what a setting was before teqlctl first changed it. It is recorded on the router in
// the same batch as the change (and forgotten again by rollback), so that `state: absent` and the
// teardown playbook can put the original back runs later, even after a reboot.
import type { Facts, LinkFact } from '../gather/facts.js';
import type { Op, PlannedStep } from './ops.js';
import type { Change } from './types.js';
import { PROPAGATED_PREFIX, propagatedRecord } from './sysctl-propagation.js';

export const MODULE_KEY = 'module:sch_teql';

export function sysctlKey(name: string): string {
  return `sysctl:${name}`;
}

export function linkKey(dev: string): string {
  return `link:${dev}`;
}

export function linkBaselineValue(link: LinkFact): string {
  return `${link.up ? 'up' : 'down'} mtu ${link.mtu}`;
}

export function parseLinkBaseline(value: string): { up: boolean; mtu: number } | undefined {
  const m = /^(up|down) mtu (\d+)$/.exec(value);
  return m ? { up: m[1] === 'up', mtu: Number(m[2]) } : undefined;
}

function isTeqlDevice(dev: string): boolean {
  return /^teql\d+$/.test(dev);
}

/** The baseline entry an op needs, read from the facts before it ran; undefined if none. */
function entryFor(op: Op, before: Facts): [string, string] | undefined {
  switch (op.kind) {
    case 'sysctl': {
      const value = before.sysctls[op.name];
      return value === undefined ? undefined : [sysctlKey(op.name), value];
    }
    case 'link': {
      // teqlN devices vanish with the module: unloading it is their restore.
      const link = isTeqlDevice(op.dev) ? undefined : before.links.find((l) => l.name === op.dev);
      return link ? [linkKey(op.dev), linkBaselineValue(link)] : undefined;
    }
    case 'modprobe':
      return before.teql.loaded ? undefined : [MODULE_KEY, 'not loaded'];
    default:
      return undefined;
  }
}

/**
 * Forwarding's global first recorded: the values the kernel overwrites with it and would not give
 * back by itself, read at the same moment (sysctl-propagation.ts). Recorded later they would be
 * teqlctl's own.
 */
function propagatedEntry(op: Op, before: string, facts: Facts): Array<[string, string]> {
  if (op.kind !== 'sysctl') return [];
  const record = propagatedRecord(op.name, before, facts.sysctls, (n) => facts.baseline?.[sysctlKey(n)] !== undefined);
  return record === undefined ? [] : [[`${PROPAGATED_PREFIX}${op.name}`, record]];
}

/**
 * Adds a baseline-set step before every step that changes a setting the baseline does not hold yet.
 * Changes that restore from the baseline (they carry baseline-unset steps, or put back a value
 * it recorded: restoresBaseline) are left as they are.
 */
export function recordBaseline(changes: readonly Change[], before: Facts): { changes: Change[]; ops: Op[] } {
  const known = new Set(Object.keys(before.baseline ?? {}));
  const ops: Op[] = [];
  const out = changes.map((c) => {
    if (c.restoresBaseline || c.steps.some((s) => s.op.kind === 'baseline-unset')) return c;
    const steps: PlannedStep[] = [];
    for (const step of c.steps) {
      const entry = entryFor(step.op, before);
      if (entry && !known.has(entry[0])) {
        for (const [key, value] of [entry, ...propagatedEntry(step.op, entry[1], before)]) {
          if (known.has(key)) continue;
          known.add(key);
          const op: Op = { kind: 'baseline-set', key, value };
          ops.push(op);
          steps.push({ op, undo: [{ kind: 'baseline-unset', key }] });
        }
      }
      steps.push(step);
    }
    return steps.length === c.steps.length ? c : { ...c, steps };
  });
  return { changes: out, ops };
}

/** The step that forgets a baseline entry; its undo records it again. */
export function forgetStep(key: string, value: string): PlannedStep {
  return { op: { kind: 'baseline-unset', key }, undo: [{ kind: 'baseline-set', key, value }] };
}
