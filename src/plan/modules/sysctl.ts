// sysctl at run time. For rp_filter the kernel enforces max(conf.all, conf.<dev>), so setting only
// the interface may change nothing: bring `all` down when needed, but first raise every other
// interface (and `default`, for interfaces created later) to what `all` gave it, so none is loosened.
import type { SysctlArgs } from '../../load/types.js';
import type { Facts } from '../../gather/facts.js';
import { rpFilterDevice } from '../../gather/sysctl-path.js';
import { conflict, type ModuleResult, type PlanContext } from '../context.js';
import { simulateAll } from '../simulate.js';
import type { Change } from '../types.js';

const ALL = 'net.ipv4.conf.all.rp_filter';

function setting(ctx: PlanContext, name: string, before: string, after: string, reason?: string): Change {
  return {
    action: '~',
    resource: `sysctl ${name}`,
    before,
    after,
    steps: [{ op: { kind: 'sysctl', name, value: after }, undo: [{ kind: 'sysctl', name, value: before }] }],
    ...(reason ? { reason } : {}),
    task: ctx.task,
    pos: ctx.pos,
  };
}

export function planSysctl(args: SysctlArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  const current = facts.sysctls[args.name];
  if (current === undefined) {
    throw conflict(ctx, `sysctl ${args.name} does not exist on this router`, 'check the name (interface sysctls appear only once the interface exists)');
  }
  const dev = rpFilterDevice(args.name);
  const changes = dev && dev !== 'all' && dev !== 'default' ? planRpFilter(args, dev, current, facts, ctx) : current === args.value ? [] : [setting(ctx, args.name, current, args.value)];
  return { changes, facts: simulateAll(facts, changes.flatMap((c) => c.steps.map((s) => s.op))) };
}

function planRpFilter(args: SysctlArgs, dev: string, current: string, facts: Facts, ctx: PlanContext): Change[] {
  const want = Number(args.value);
  const all = Number(facts.sysctls[ALL] ?? '0');
  const changes: Change[] = [];
  if (all > want) {
    const why = `the kernel uses max(conf.all, conf.${dev}) = ${Math.max(all, Number(current))}: conf.all must come down to ${want}`;
    for (const [name, value] of Object.entries(facts.sysctls).sort(([a], [b]) => a.localeCompare(b))) {
      const other = rpFilterDevice(name);
      if (!other || other === 'all' || other === dev || ctx.rpFilterTargets.has(other)) continue;
      if (Number(value) < all) {
        changes.push(setting(ctx, name, value, String(all), `${why}; ${other} is raised first so it keeps its effective value ${all}`));
      }
    }
    changes.push(setting(ctx, ALL, String(all), args.value, why));
  }
  if (current !== args.value) changes.push(setting(ctx, args.name, current, args.value));
  return changes;
}
