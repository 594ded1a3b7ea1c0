// The boot configuration describes all of a router's bundles at once, rewritten whole by each run
// that persists. A router in two inventories or playbooks (router b of pair a-b in one, of pair
// b-c in another) had its boot files rewritten by the second for b-c alone: a-b's equalizer was
// dropped from them without a word, and at b's next restart the bundle came back on a alone
// (found by a review, 2026-12-06). Refused before any change, as --limit's same case is
// (load/index.ts checkLimitedPersist).
import type { Facts } from '../../gather/facts.js';
import type { TaskInstance } from '../../load/types.js';
import { RefusedError } from '../../errors.js';
import { BOOT_SCRIPT } from '../../router/paths.js';
import { isRetiring } from './retiring-script.js';

/** The equalizers teqlctl's boot script on the router brings back (none while it retires). */
export function bootEqualizers(facts: Facts): string[] {
  const script = facts.boot?.files.find((f) => f.path === BOOT_SCRIPT);
  if (!script?.content || isRetiring(script)) return [];
  return [...new Set(script.content.match(/(?<![\w.-])teql\d+(?![\w.-])/g) ?? [])].sort();
}

/** Refuses a boot configuration that would drop an equalizer no persisting task of the play configures or removes. */
export function refuseDroppedEqualizers(host: string, tasks: readonly TaskInstance[], facts: Facts, task: { name: string; pos: TaskInstance['pos'] }): void {
  // The boot files are the persisting tasks' alone (boot-model.ts): a teql task without persist brings nothing back.
  const covered = new Set(tasks.filter((t) => t.module === 'teql' && t.persist).map((t) => (t.args as { device: string }).device));
  const dropped = bootEqualizers(facts).filter((d) => !covered.has(d));
  if (dropped.length === 0) return;
  const them = dropped.join(', ');
  throw new RefusedError(
    `${host}: ${task.pos.file}:${task.pos.line}:${task.pos.col}: task "${task.name}": its boot configuration (${BOOT_SCRIPT}) also brings back ${them}, which no persisting task of this play configures: rewritten for this play's bundles alone, it would drop ${them} at the next restart (a bundle then up on its other end alone); nothing was changed`,
    `run every bundle of ${host} from one inventory and playbook, its persisting tasks in one play (its boot files describe them all at once); to retire ${them}, tear its bundle down with playbooks/teardown.yml; or leave persist off for ${host} in this run`,
  );
}
