// The plan `teqlctl play --check` would print, made over the wizard's open connections:
// load the written files, read each host's facts once, plan (pure), format.
import type { Transport } from '../connect/transport.js';
import { TeqlError } from '../errors.js';
import { readFacts } from '../gather/read-facts.js';
import type { LoadedRun } from '../load/types.js';
import { planHost } from '../plan/plan-host.js';
import { heldSelectors, sysctlNames } from '../plan/facts-needed.js';
import type { HostPlan } from '../plan/types.js';
import { runWithProgress, type ProgressMode } from '../ui/progress.js';

/**
 * Plans of the hosts that could be planned, and why the others could not: a refusal, a fact error,
 * and any other error too (a connection lost while the wizard waited, a bug). A host left without a
 * plan and without a word made the preview `ok` with the other's plan alone, and the run it offers
 * (`--yes`) applied the unseen one unapproved (a review of the wizard).
 */
export interface Preview {
  plans: HostPlan[];
  refused: TeqlError[];
}

export async function previewPlan(loaded: LoadedRun, transports: ReadonlyMap<string, Transport>, mode: ProgressMode): Promise<Preview> {
  const plans: HostPlan[] = [];
  const refused: TeqlError[] = [];
  for (const play of loaded.plays) {
    const planned = new Map<string, HostPlan>();
    await runWithProgress(mode, play.hosts.map((host) => ({
      title: `${host}: read facts and plan`,
      run: async (setTitle) => {
        const tasks = play.tasks.get(host) ?? [];
        try {
          const { plan } = planHost(host, tasks, await readFacts(transports.get(host)!, host, sysctlNames(tasks), { held: heldSelectors(tasks) }));
          planned.set(host, plan);
          setTitle(`${host}: planned`);
        } catch (err) {
          refused.push(err instanceof TeqlError ? err : new TeqlError(`${host}: could not be planned: ${(err as Error).message ?? String(err)}`, 'internal'));
          throw err;
        }
      },
    })), 2);
    plans.push(...play.hosts.flatMap((h) => (planned.has(h) ? [planned.get(h)!] : [])));
  }
  return { plans, refused };
}
