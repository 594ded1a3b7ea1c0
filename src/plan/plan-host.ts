// The planner: (tasks wanted, facts read) -> ordered changes with inverses. Reads nothing, sends nothing.
import type { TaskInstance } from '../load/types.js';
import type { Facts } from '../gather/facts.js';
import { rpFilterDevice, sysctlValue } from '../router/sysctl-path.js';
import { conflict, type ModuleResult, type PlanContext } from './context.js';
import { overwrittenBy } from './sysctl-propagation.js';
import type { HostPlan, Phase } from './types.js';
import { planLink } from './modules/link.js';
import { planTeql } from './modules/teql.js';
import { planAddress } from './modules/address.js';
import { planSysctl } from './modules/sysctl.js';
import { planRoute } from './modules/route.js';
import { recordBaseline, sysctlKey } from './baseline.js';
import { simulateAll } from './simulate.js';
import { refuseDroppedEqualizers } from './persist/dropped-equalizers.js';
import { planPersist } from './persist/plan-persist.js';
import { RefusedError } from '../errors.js';
import { placeEqualizerMtu } from './equalizer-mtu.js';
import { linkOwnerWarnings } from './link-owners.js';
import { sysctlFileWarnings } from './sysctl-file-owners.js';
import { forwardingWarnings } from './forwarding-warning.js';
import { firewallRpFilterWarnings } from './firewall-rpfilter.js';
import { plannedPath } from './planned-egress.js';
import { refuseOwnAddressCheck } from './own-address-check.js';

function planTask(task: TaskInstance, facts: Facts, ctx: PlanContext): ModuleResult {
  switch (task.module) {
    case 'link': return planLink(task.args, facts, ctx);
    case 'teql': return planTeql(task.args, facts, ctx);
    case 'address': return planAddress(task.args, facts, ctx);
    case 'sysctl': return planSysctl(task.args, facts, ctx);
    case 'route': return planRoute(task.args, facts, ctx);
    case 'ping': return { changes: [], facts };
  }
}

function rpFilterTargets(tasks: readonly TaskInstance[]): Set<string> {
  const devs = new Set<string>();
  for (const t of tasks) {
    // Only interfaces the play wants low: an absent task gives its interface back to the all-rule.
    const dev = t.module === 'sysctl' && t.args.state === 'present' ? rpFilterDevice(t.args.name) : undefined;
    if (dev) devs.add(dev);
  }
  return devs;
}

function equalizers(tasks: readonly TaskInstance[]): number {
  const indexes = tasks.flatMap((t) => (t.module === 'teql' && t.args.state === 'present' ? [Number(t.args.device.slice(4))] : []));
  return Math.max(0, ...indexes) + 1;
}

export interface PlannedHost {
  plan: HostPlan;
  /** The facts the plan expects once applied: planning the same tasks against them gives nothing. */
  expected: Facts;
}

export interface PlanOptions {
  /** Plan the boot configuration too (default). Off when re-checking a phase before the last. */
  persistence?: boolean;
  /**
   * Tasks to leave out (a hub's failed bundles): they plan nothing, and a left-out ping still closes
   * its phase, so the phases keep their numbers across the hosts of the run.
   */
  exclude?: (task: TaskInstance) => boolean;
  /**
   * Left-out tasks whose bundle the host keeps as it was (a hub's failed bundle it did not touch):
   * still in its boot files, so they must plan nothing; refused (a RefusedError) if they would.
   */
  keepInBoot?: (task: TaskInstance) => boolean;
  /**
   * The facts read before the run's first change, where the plan starts from later ones (a hub's
   * replan, a later play): what an undo must return to (equalizer-mtu.ts).
   */
  runBefore?: Facts;
}

/**
 * An interface's forwarding set by a task and overwritten by a later task's global forwarding (the
 * kernel copies it onto every interface): the run would not leave what the play asks, and every
 * run would change it again. Refused before any change, saying which task to put first.
 */
function refuseOverwrittenSysctls(host: string, tasks: readonly TaskInstance[], first: Facts, final: Facts, opts: PlanOptions, rpFilterTargets: ReadonlySet<string>, equalizers: number): void {
  for (const task of tasks) {
    if (task.module !== 'sysctl' || opts.exclude?.(task) === true || overwrittenBy(task.args.name).length === 0) continue;
    // `state: absent`: the value from before teqlctl, which a later write of the global (its own
    // `state: absent`) would overwrite the same way.
    const want = task.args.state === 'absent' ? first.baseline?.[sysctlKey(task.args.name)] : sysctlValue(task.args.value!);
    const now = final.sysctls[task.args.name];
    if (want === undefined || now === undefined || now === want) continue;
    const globals = overwrittenBy(task.args.name).join(' or ');
    throw conflict({ host, task: task.name, pos: task.pos, rpFilterTargets, equalizers }, `${task.args.name} is set to ${want}, and a later task's ${globals} sets it to ${now} (the kernel copies it onto every interface): the run would not leave it as the play asks`, `put the task on ${globals} before this one`);
  }
}

export function planHost(host: string, tasks: readonly TaskInstance[], facts: Facts, opts: PlanOptions = {}): PlannedHost {
  // From the tasks that run: a left-out bundle's links are raised like any other when conf.all comes down.
  const targets = rpFilterTargets(opts.exclude ? tasks.filter((t) => !opts.exclude!(t)) : tasks);
  const needed = equalizers(tasks);
  const phases: Phase[] = [{ changes: [], checks: [] }];
  let current = facts;
  let barrier = false;
  for (const task of tasks) {
    let phase = phases[phases.length - 1]!;
    const excluded = opts.exclude?.(task) === true;
    if (task.module === 'ping') {
      if (!excluded) refuseOwnAddressCheck(task.args.to, current, { host, task: task.name, pos: task.pos, rpFilterTargets: targets, equalizers: needed });
      const path = task.args.dev === undefined ? plannedPath(current, task.args.to) : undefined;
      if (!excluded) phase.checks.push({ task: task.name, pos: task.pos, ...task.args, ...(path ?? {}) });
      barrier = true;
      continue;
    }
    // A change after a barrier opens the next phase: it waits until every host passed the checks.
    // A left-out task opens it too, so that the phases keep their numbers.
    if (barrier) {
      phase = { changes: [], checks: [] };
      phases.push(phase);
      barrier = false;
    }
    if (excluded) continue;
    const ctx: PlanContext = { host, task: task.name, pos: task.pos, rpFilterTargets: targets, equalizers: needed };
    const result = planTask(task, current, ctx);
    const recorded = recordBaseline(result.changes, current);
    phase.changes.push(...recorded.changes);
    if (result.equalizerMtu) {
      const earlier = phases.flatMap((p) => p.changes);
      const first = recorded.changes[0]!;
      const moved = placeEqualizerMtu(earlier.slice(0, earlier.indexOf(first)), first, result.equalizerMtu, opts.runBefore ?? facts, facts, ctx);
      for (const p of phases) p.changes = p.changes.map((c) => moved.get(c) ?? c);
    }
    current = simulateAll(result.facts, recorded.ops);
  }
  refuseOverwrittenSysctls(host, tasks, facts, current, opts, targets, needed);
  // The boot configuration comes last, in a phase of its own: written only once every check passed.
  const asWas = opts.keepInBoot ? tasks.filter((t) => opts.exclude?.(t) === true && opts.keepInBoot!(t)) : [];
  for (const task of asWas) {
    const moves = planTask(task, current, { host, task: task.name, pos: task.pos, rpFilterTargets: targets, equalizers: needed }).changes;
    if (moves.length > 0) throw new RefusedError(`${host}: task "${task.name}" of a failed bundle kept as it was would change ${moves.map((c) => c.resource).join(', ')}: its boot files cannot bring it back as it is`, 'the hub is rolled back wholly instead');
  }
  const kept = opts.exclude ? tasks.filter((t) => !opts.exclude!(t) || asWas.includes(t)) : tasks;
  const persisted = kept.filter((t) => t.persist);
  if (opts.persistence !== false && persisted.length > 0) {
    const last = persisted[persisted.length - 1]!;
    const bootTask = { name: `boot configuration (persist, from "${last.name}")`, pos: last.pos };
    // Against every task of the host, a left-out bundle's too: a replan's facts hold this run's own boot files.
    refuseDroppedEqualizers(host, tasks, facts, bootTask);
    const boot = planPersist(host, kept, current, bootTask);
    if (boot.changes.length > 0) phases.push({ changes: boot.changes, checks: [], boot: true });
    current = boot.facts;
  }
  const warnings = [...linkOwnerWarnings(kept, facts), ...sysctlFileWarnings(kept, facts), ...unguardedSession(phases, facts), ...forwardingWarnings(kept, current), ...firewallRpFilterWarnings(kept, facts)];
  return { plan: { host, phases, ...(warnings.length > 0 ? { warnings } : {}) }, expected: current };
}

/**
 * Puts every host's boot phase at the same index, after the last task phase of any host: hosts
 * whose `when:` left them fewer barriers must not write their boot files while another host's
 * checks are still to come. Empty phases fill the gap.
 */
export function alignBootPhases(plans: readonly PlannedHost[]): PlannedHost[] {
  const taskPhases = (p: PlannedHost) => p.plan.phases.filter((ph) => !ph.boot).length;
  const last = Math.max(0, ...plans.map(taskPhases));
  return plans.map((p) => {
    const boot = p.plan.phases.find((ph) => ph.boot);
    if (!boot || taskPhases(p) === last) return p;
    const fill = Array.from({ length: last - taskPhases(p) }, (): Phase => ({ changes: [], checks: [] }));
    return { ...p, plan: { ...p.plan, phases: [...p.plan.phases.filter((ph) => !ph.boot), ...fill, boot] } };
  });
}

/**
 * A plan with changes on a router whose SSH session's interface could not be told: the guards that
 * refuse cutting it did not run (they were off without a word: a review). The dead-man still covers it.
 */
function unguardedSession(phases: readonly Phase[], facts: Facts): string[] {
  if (!facts.managementUnknown || phases.every((p) => p.boot || p.changes.length === 0)) return [];
  return [`the interface that carries this SSH session could not be told (${facts.managementUnknown}): no task was checked against cutting it; a change that does is reverted by the dead-man, the router out of reach until then`];
}
