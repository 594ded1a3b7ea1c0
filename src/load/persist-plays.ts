// Where a run's persisting tasks would write a host's boot files so that they drop one of its
// bundles: checked before any connection, where the playbook or --limit says it.
import type { Bundle } from './bundle-types.js';
import type { LoadedPlay } from './types.js';
import type { Problems } from './problems.js';

/**
 * A host that --limit runs for some of its bundles only must not write its boot configuration:
 * the boot files describe all of its bundles at once, and would lose the others'.
 */
export function checkLimitedPersist(plays: readonly LoadedPlay[], bundles: readonly Bundle[], selected: ReadonlySet<string>, problems: Problems): void {
  for (const play of plays) {
    for (const [host, tasks] of play.tasks) {
      const left = bundles.filter((b) => !selected.has(b.name) && b.ends.some((e) => e.host === host)).map((b) => b.name);
      const persisting = tasks.find((t) => t.persist);
      if (left.length === 0 || !persisting) continue;
      problems.add(`--limit runs ${host} for some of its bundles only (not ${left.join(', ')}), and task "${persisting.name}" writes its boot configuration, which describes all of its bundles: the others would be dropped from it`, persisting.pos, `add the other ends to --limit (${host} itself selects all of its bundles), or run without persist`);
    }
  }
}

/**
 * A host's boot files are its last persisting play's (plan/persist): a later persisting play whose
 * persisting tasks configure none of an equalizer an earlier play persisted drops it from them, and
 * the router comes back without it at its next restart. Refused where it is written, before any
 * connection (it was refused only once the earlier play had changed the router, then rolled back).
 */
export function checkPersistingPlays(plays: readonly LoadedPlay[], problems: Problems): void {
  const persisted = new Map<string, { devices: Set<string>; play: number }>();
  for (const [n, play] of plays.entries()) {
    for (const [host, tasks] of play.tasks) {
      const persisting = tasks.filter((t) => t.persist);
      if (persisting.length === 0) continue;
      const teql = persisting.filter((t) => t.module === 'teql');
      // A teardown's (state: absent) covers its equalizer, and leaves it out of the boot files after it.
      const covered = new Set(teql.map((t) => (t.args as { device: string }).device));
      const devices = new Set(teql.filter((t) => (t.args as { state?: string }).state !== 'absent').map((t) => (t.args as { device: string }).device));
      const before = persisted.get(host);
      const dropped = before ? [...before.devices].filter((d) => !covered.has(d)) : [];
      if (before && dropped.length > 0) {
        problems.add(`play ${n + 1} writes the boot configuration of ${host} anew from its own persisting tasks (a host's boot files are its last persisting play's), and none of them configures ${dropped.join(', ')}, which play ${before.play + 1} persists: it would be dropped from them, and gone at the next restart`, persisting[persisting.length - 1]!.pos, `put ${host}'s persisting tasks in one play, or repeat the teql task of ${dropped.join(', ')} with persist in play ${n + 1}`);
      }
      persisted.set(host, { devices, play: n });
    }
  }
}
