// `teqlctl rollback` without --run undoes the latest confirmed run, told by its id: run ids begin
// with the controller's clock. A controller whose clock ran ahead made a run that stayed "the
// latest" after later ones (a review): its rollback was then refused by the drift check, saying
// the routers changed. Each router counts the runs armed on it (arm-order.ts): where one of them
// confirmed another run after the one chosen, the choice is refused, naming both.
import type { RouterRun } from '../deadman/runs-script.js';

/** Why `runId`, the latest confirmed run by id, is not the latest on a router; undefined when it is. */
export function notLatestThere(runId: string, routers: ReadonlyArray<{ host: string; runs: readonly RouterRun[] }>): string | undefined {
  for (const { host, runs } of routers) {
    const chosen = runs.find((r) => r.id === runId && r.state === 'confirmed');
    if (chosen?.seq === undefined) continue;
    const later = runs.find((r) => r.id !== runId && r.state === 'confirmed' && !r.pruned && r.seq !== undefined && r.seq > chosen.seq!);
    if (later) return `run ${runId} is the latest confirmed run by its id, which begins with its controller's clock, but ${host} armed and confirmed run ${later.id} after it (the controllers' clocks differ): which one to undo is not guessed; nothing was rolled back`;
  }
  return undefined;
}

/** Per router, the runs armed there after `runId` and confirmed (its undo would go beneath them). */
export function laterConfirmed(runId: string, routers: ReadonlyArray<{ host: string; runs: readonly RouterRun[] }>): Array<{ host: string; later: string[] }> {
  return routers.flatMap(({ host, runs }) => {
    const chosen = runs.find((r) => r.id === runId);
    if (chosen?.seq === undefined) return [];
    const later = runs.filter((r) => r.id !== runId && r.state === 'confirmed' && !r.pruned && r.seq !== undefined && r.seq > chosen.seq!).map((r) => r.id);
    return later.length > 0 ? [{ host, later }] : [];
  });
}

/** The refusal, or under --force the notes, for runs confirmed after `runId` where it is undone. */
export function laterRunWords(runId: string, later: ReadonlyArray<{ host: string; later: readonly string[] }>): string[] {
  return later.map(({ host, later: ids }) => `${host}: run ${ids.join(', run ')} was armed and confirmed there after run ${runId}; undoing ${runId} puts back the values from before it beneath ${ids.length > 1 ? 'them' : 'it'}`);
}

export const LATER_RUN_HINT = 'roll back the later run first (teqlctl rollback --run ID), or undo this one beneath it anyway with --force';
