// A bundle is changed on both of its ends or not at all. `--limit` keeps to that by adding the
// other end (load/index.ts, selectBundles); a play's own `hosts:` could still name a hub without
// one of its branches (`hosts: hub:branch1`), and the hub would then change its end of the
// hub-branch2 bundle alone: its links at another MTU, or an equalizer whose peer never comes, and
// pings that may still pass (a review). Said before anything connects, as a note naming the play's
// `hosts:`, not refused: a play of one router on purpose (a qdisc replaced on one end, the e2e
// suite's qdisc-replace) is a run of its own, rolled back there as any other.
import { formatPos } from '../load/scope.js';
import type { LoadedRun } from '../load/types.js';
import { scopesOf, taskBundles } from '../plan/bundle-scope.js';

/** The run with a note for each play that changes one end of a bundle whose other end no play of the run changes. */
export function withHalfBundleNotes(loaded: LoadedRun): LoadedRun {
  const notes: string[] = [];
  // Across the run: a play of the hubs and a play of the branches take part in the same bundles.
  // An end runs a bundle when one of its tasks that change something belongs to it: a play that
  // only pings every router (a common last play) runs none of them (a review).
  const running = new Set<string>();
  for (const play of loaded.plays) {
    for (const [host, tasks] of play.tasks) {
      const scopes = scopesOf(host, loaded.bundles);
      for (const t of tasks) if (t.module !== 'ping') for (const name of taskBundles(t, scopes)) running.add(`${host}\u0000${name}`);
    }
  }
  const chosen = loaded.selectedBundles ? new Set(loaded.selectedBundles) : undefined;
  const byName = new Map(loaded.bundles.map((b) => [b.name, b]));
  for (const play of loaded.plays) {
    for (const [host, tasks] of play.tasks) {
      const scopes = scopesOf(host, loaded.bundles);
      // Per bundle, the tasks of its end here. A ping changes nothing: a play that only checks one end configures no half.
      const half = new Map<string, string[]>();
      for (const task of tasks.filter((t) => t.module !== 'ping')) {
        for (const name of taskBundles(task, scopes)) {
          if (chosen && !chosen.has(name)) continue; // left out by --limit: the run does not run its tasks
          if (byName.get(name)!.ends.every((e) => e.host === host || running.has(`${e.host}\u0000${name}`))) continue;
          half.set(name, [...(half.get(name) ?? []), task.name]);
        }
      }
      for (const [name, named] of half) {
        const missing = byName.get(name)!.ends.find((e) => e.host !== host && !running.has(`${e.host}\u0000${name}`))!.host;
        const more = named.length > 1 ? ` and ${named.length - 1} more` : '';
        notes.push(`${formatPos(play.hostsPos)}: play "${play.name}" changes ${host}'s end of bundle ${name} (task "${named[0]}"${more}), and no play of this run changes its other end, ${missing}: only this end changes (a bundle is changed on both of its ends; add ${missing} to the play's hosts, or --limit its other ends)`);
      }
    }
  }
  return notes.length === 0 ? loaded : { ...loaded, notes: [...(loaded.notes ?? []), ...notes] };
}
