// When a run stops waiting for a router that has not reached its apply's barrier, pure. One router
// whose apply hangs (a `sync` stalled on failing flash, a wedged `tc`), or a fleet whose --forks
// waves take longer than the window, held every router already applied at its barrier until its
// dead-man window closed: every bundle of the run rolled back, the pings said "not run", and the
// router that held them was not named (a review of fleet runs, 2026-12-05). Past the cut the
// routers still behind fail, their bundles alone, so that the others keep part of their window
// for the pings, the later phases and the confirmation.

/** The least a phase's routers get to reach their barrier, even when the phase began past the cut. */
export const MIN_APPLY_SEC = 10;

/** What the routers at their barrier keep of their window: a quarter of it, 5 s to 60 s. */
export function reserveSec(windowSec: number): number {
  return Math.min(60, Math.max(5, windowSec / 4));
}

/** When the cut comes (epoch ms): `reserveSec` before the first armed router's window closes; none before any router armed. */
export function cutAt(armedAts: readonly number[], windowSec: number): number | undefined {
  if (armedAts.length === 0) return undefined;
  return Math.min(...armedAts) + (windowSec - reserveSec(windowSec)) * 1000;
}

export interface CutUnit {
  name: string;
  hosts: readonly string[];
}

/**
 * The units (bundles) that failing `behind` saves: live ones with no host behind and some host
 * armed (a window at stake). None (a lone pair, a hub whose every bundle waits for its one stalled
 * router): the run waits as before, since the cut would fail every bundle the wait puts at risk.
 */
export function unitsSaved(units: readonly CutUnit[], failed: ReadonlySet<string>, behind: ReadonlySet<string>, armed: (host: string) => boolean): string[] {
  return units.filter((u) => !failed.has(u.name) && u.hosts.every((h) => !behind.has(h)) && u.hosts.some(armed)).map((u) => u.name);
}
