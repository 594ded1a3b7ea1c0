// `teqlctl rollback` on a fleet: which bundles a rollback would leave configured on one end only.
// Each router records with a run the hosts that share a bundle of it (its meta's peers, written
// when the run armed). A router that cannot be reached blocks the rollback only where a router
// being rolled back shares a bundle of the run with it (or does not know: an older run's record);
// one that shares none does not hold up the others (a hundred branches are not held hostage by
// one that is down). A peer left out by --limit is said, not refused: the operator chose it. A peer
// that answers and holds the run neither confirmed nor undone is named (rollback-run.ts decides).
import type { RouterRun } from '../deadman/runs-script.js';
import { KEEP_RUNS } from '../deadman/prune-runs.js';

export interface Holder {
  host: string;
  run: Pick<RouterRun, 'peers'>;
}

export interface SplitVerdict {
  /** Why the rollback must not start (a reachable holder shares a bundle with an unreachable host). */
  blocked: string[];
  /** Unreachable hosts no holder names: rolled back around them; each may hold the run itself. */
  aside: string[];
  /** Peers outside the selection (--limit): their bundle with a holder ends on one end only. */
  outside: Array<{ host: string; peer: string }>;
  /** Selected peers that answer but do not hold the run confirmed, nor already undone; `record`: their state of it, if any. */
  unheld: Array<{ line: string; record?: string }>;
}

/** The record of a confirmed run whose folder the router pruned (prune-runs.ts): it cannot be undone there. */
export const PRUNED_RECORD = 'pruned';

const PRUNED_WHY = `(a router keeps its ${KEEP_RUNS} latest runs, docs/deadman.md): teqlctl cannot undo it there`;

/** Says that `hosts` pruned their records of a confirmed run. */
export function prunedWords(hosts: readonly string[]): string {
  return `${hosts.join(', ')} pruned ${hosts.length > 1 ? 'their' : 'its'} records of it ${PRUNED_WHY}`;
}

/** A peer's record of the run that means its end of the bundle is undone already: the holder's undo completes it. */
const UNDONE = new Set(['rolled-back', 'reverted']);

/**
 * `holders`: the reachable routers that hold the run as confirmed; `down`: the selected hosts that
 * could not be reached, with why; `selected`: every host the command was given (after --limit);
 * `records`: each reachable host's state of the run (absent: it has no record of it).
 */
export function splitBundles(runId: string, holders: readonly Holder[], down: ReadonlyMap<string, string>, selected: ReadonlySet<string>, records: ReadonlyMap<string, string> = new Map()): SplitVerdict {
  const blocked: string[] = [];
  const named = new Set<string>();
  const outside: SplitVerdict['outside'] = [];
  const unheld: SplitVerdict['unheld'] = [];
  const holding = new Set(holders.map((h) => h.host));
  for (const h of holders) {
    const peers = h.run.peers;
    if (peers === undefined) {
      if (down.size > 0) blocked.push(`${h.host}'s record of run ${runId} does not say which routers share its bundles (a run of an older teqlctl, or a host without a bundle), and ${[...down.keys()].join(', ')} cannot be reached`);
      continue;
    }
    for (const p of peers) {
      named.add(p);
      if (down.has(p)) blocked.push(`${h.host} shares a bundle of run ${runId} with ${p}, which cannot be reached (${down.get(p)})`);
      else if (!selected.has(p)) outside.push({ host: h.host, peer: p });
      else if (!holding.has(p) && !UNDONE.has(records.get(p) ?? '')) {
        const record = records.get(p);
        const which = record === undefined ? 'has no record of the run' : record === PRUNED_RECORD ? `pruned its records of it ${PRUNED_WHY}` : `holds it as ${record}`;
        unheld.push({ line: `${h.host} shares a bundle of run ${runId} with ${p}, which ${which}`, ...(record === undefined ? {} : { record }) });
      }
    }
  }
  const aside = blocked.length > 0 ? [] : [...down.keys()].filter((d) => !named.has(d));
  return { blocked, aside, outside, unheld };
}
