// sysctl at run time. For rp_filter the kernel enforces max(conf.all, conf.<dev>), so setting only
// the interface may change nothing: bring `all` down when needed, but first raise every other
// interface (and `default`, for interfaces created later) to what `all` gave it, so none is loosened.
import type { SysctlArgs } from '../../load/types.js';
import type { Facts } from '../../gather/facts.js';
import { rpFilterDevice, sysctlValue } from '../../router/sysctl-path.js';
import { conflict, type ModuleResult, type PlanContext } from '../context.js';
import { forgetStep, sysctlKey } from '../baseline.js';
import type { PlannedStep } from '../ops.js';
import { simulateAll } from '../simulate.js';
import type { Change } from '../types.js';
import { overwritten, parsePropagatedRecord, PROPAGATED_PREFIX, refusedWrite } from '../sysctl-propagation.js';

const ALL = 'net.ipv4.conf.all.rp_filter';
const DEFAULT = 'net.ipv4.conf.default.rp_filter';

/**
 * The write of one sysctl, undone by writing `before` back, then (for forwarding, which the kernel
 * copies onto every interface) every value the kernel overwrote, as read (sysctl-propagation.ts).
 */
function setting(ctx: PlanContext, name: string, before: string, after: string, sysctls: Readonly<Record<string, string>>, reason?: string): Change {
  const refused = refusedWrite(name, before, after);
  if (refused) throw conflict(ctx, `setting ${name} to ${after}: ${refused}`, 'leave it as it is in the playbook, and change it by hand or at boot if it must change');
  const undo = [{ kind: 'sysctl' as const, name, value: before }, ...overwritten(name, sysctls).map((o) => ({ kind: 'sysctl' as const, ...o }))];
  return {
    action: '~',
    resource: `sysctl ${name}`,
    before,
    after,
    steps: [{ op: { kind: 'sysctl', name, value: after }, undo }],
    ...(reason ? { reason } : {}),
    task: ctx.task,
    pos: ctx.pos,
  };
}

export function planSysctl(args: SysctlArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  if (args.state === 'absent') return planAbsent(args.name, facts, ctx);
  // The loader requires a value unless absent. Compared as the facts read it, whitespace
  // collapsed: "4096\t131072" is the kernel's "4096 131072", not a change on every run.
  const value = sysctlValue(args.value!);
  const current = facts.sysctls[args.name];
  if (current === undefined) {
    throw conflict(ctx, `sysctl ${args.name} does not exist on this router`, 'check the name (interface sysctls appear only once the interface exists)');
  }
  const dev = rpFilterDevice(args.name);
  const changes = dev && dev !== 'all' && dev !== 'default' ? planRpFilter(value, args.name, dev, current, facts, ctx) : current === value ? [] : [setting(ctx, args.name, current, value, facts.sysctls)];
  return { changes, facts: simulateAll(facts, changes.flatMap((c) => c.steps.map((s) => s.op))) };
}

function planRpFilter(value: string, name: string, dev: string, current: string, facts: Facts, ctx: PlanContext): Change[] {
  const want = Number(value);
  const all = Number(facts.sysctls[ALL] ?? '0');
  const changes: Change[] = [];
  if (all > want) {
    const why = `the kernel uses max(conf.all, conf.${dev}) = ${Math.max(all, Number(current))}: conf.all must come down to ${want}`;
    const sorted = Object.entries(facts.sysctls).sort(([a], [b]) => a.localeCompare(b));
    if (Number(facts.sysctls[DEFAULT] ?? all) < all) changes.push(...pinnedBeforeDefault(sorted, all, dev, ctx, facts.sysctls));
    for (const [name, value] of sorted) {
      const other = rpFilterDevice(name);
      if (!other || other === 'all' || other === dev || ctx.rpFilterTargets.has(other)) continue;
      if (Number(value) < all) {
        changes.push(setting(ctx, name, value, String(all), facts.sysctls, `${why}; ${other} is raised first so it keeps its effective value ${all}`));
      }
    }
    changes.push(setting(ctx, ALL, String(all), value, facts.sysctls, why));
  }
  if (current !== value) changes.push(setting(ctx, name, current, value, facts.sysctls));
  return changes;
}

/**
 * A write to conf.default is copied by the kernel onto every interface whose value was never
 * written (devinet_copy_dflt_conf): raising default raised the slaves that inherited theirs too,
 * while the plan (which cannot read that bit) saw them unchanged and wrote nothing: strict
 * filtering on the slaves, the checks over the equalizer failed and every such run rolled back
 * (a review; all=1 over the kernel's default=0, as hardening guides leave it). The interfaces the
 * play wants low are written as they are first, which makes the kernel keep them; their own
 * tasks then set what they want. They stay written after an undo (the kernel has no unwrite).
 */
function pinnedBeforeDefault(sorted: ReadonlyArray<[string, string]>, raisedTo: number, dev: string, ctx: PlanContext, sysctls: Readonly<Record<string, string>>): Change[] {
  return sorted.flatMap(([name, value]) => {
    const target = rpFilterDevice(name);
    if (!target || target === 'all' || target === 'default' || (target !== dev && !ctx.rpFilterTargets.has(target)) || Number(value) >= raisedTo) return [];
    return [setting(ctx, name, value, value, sysctls, `written as it is before conf.default is raised to ${raisedTo}: the kernel copies default onto every interface whose value was never written, and ${target} would be raised with it`)];
  });
}

/**
 * Back to the value recorded before teqlctl first changed it, and the record forgotten. Nothing
 * recorded: teqlctl never changed it, nothing to do. When no rp_filter task of the play still wants
 * an interface low and no interface is still a slave of an equalizer, the all-rule is undone too:
 * `all` goes back up first, then the interfaces it had raised, so none is ever looser than it was.
 */
function planAbsent(name: string, facts: Facts, ctx: PlanContext): ModuleResult {
  const baseline = facts.baseline ?? {};
  const names = [name];
  const dev = rpFilterDevice(name);
  // Decided on the router's state too: an equalizer that still has slaves needs the rule kept.
  const equalizing = facts.rootQdiscs.some((q) => /^teql\d+$/.test(q.kind));
  if (dev && ctx.rpFilterTargets.size === 0 && !equalizing) {
    const recorded = Object.keys(baseline).filter((k) => k.startsWith('sysctl:') && rpFilterDevice(k.slice(7))).map((k) => k.slice(7));
    names.push(...recorded.filter((n) => n === ALL), ...recorded.filter((n) => n !== ALL && n !== name).sort());
  }
  const changes: Change[] = [];
  for (const n of names) {
    const original = baseline[sysctlKey(n)];
    if (original === undefined) continue;
    const current = facts.sysctls[n];
    const steps: PlannedStep[] = [];
    // An interface that is gone (a teqlN after unloading) has nothing left to restore.
    const written = current !== undefined && current !== original;
    if (written) steps.push(setting(ctx, n, current, original, facts.sysctls).steps[0]!);
    steps.push(forgetStep(sysctlKey(n), original));
    const record = baseline[`${PROPAGATED_PREFIX}${n}`];
    if (record !== undefined) steps.push(forgetStep(`${PROPAGATED_PREFIX}${n}`, record));
    changes.push({
      action: '~',
      resource: `sysctl ${n}`,
      before: current ?? null,
      after: `${original} (as before teqlctl)`,
      steps,
      ...(n !== name ? { reason: 'no interface of the play wants reverse-path filtering off any more: the all-rule is undone' } : {}),
      task: ctx.task,
      pos: ctx.pos,
    });
    if (written && record !== undefined) changes.push(...overwrittenBack(n, original, record, simulateAll(facts, changes.flatMap((c) => c.steps.map((s) => s.op))).sysctls, ctx));
  }
  return { changes, facts: simulateAll(facts, changes.flatMap((c) => c.steps.map((s) => s.op))) };
}

/**
 * Forwarding's global written back copies its value onto every interface (sysctl-propagation.ts):
 * the values recorded with it that differ (an interface that forwarded on its own, a hardened
 * all.accept_redirects) are written after it, as before teqlctl. An interface gone since is skipped.
 */
function overwrittenBack(global: string, original: string, record: string, after: Readonly<Record<string, string>>, ctx: PlanContext): Change[] {
  return parsePropagatedRecord(record).flatMap(({ name, value }) => {
    const now = after[name];
    if (now === undefined || now === value) return [];
    const change = setting(ctx, name, now, value, after, `${global} going back to ${original} set it to ${now}, as the kernel does: it was ${value} before teqlctl`);
    return [{ ...change, after: `${value} (as before teqlctl)`, restoresBaseline: true as const }];
  });
}
