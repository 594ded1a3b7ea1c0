import type { LinkArgs } from '../../load/types.js';
import type { Facts } from '../../gather/facts.js';
import { guardManagement, linkDownUndo, requireLink, type ModuleResult, type PlanContext } from '../context.js';
import { simulateAll } from '../simulate.js';
import type { Change } from '../types.js';
import type { PlannedStep } from '../ops.js';

export function planLink(args: LinkArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  const link = requireLink(ctx, facts, args.dev);
  const steps: PlannedStep[] = [];
  const before: string[] = [];
  const after: string[] = [];
  if (args.mtu !== undefined && link.mtu !== args.mtu) {
    steps.push({ op: { kind: 'link', dev: args.dev, mtu: args.mtu }, undo: [{ kind: 'link', dev: args.dev, mtu: link.mtu }] });
    before.push(`mtu ${link.mtu}`);
    after.push(`mtu ${args.mtu}`);
  }
  const wantUp = args.state === undefined ? undefined : args.state === 'up';
  if (wantUp !== undefined && link.up !== wantUp) {
    steps.push({ op: { kind: 'link', dev: args.dev, up: wantUp }, undo: wantUp ? [{ kind: 'link', dev: args.dev, up: false }] : linkDownUndo(facts, args.dev) });
    before.push(link.up ? 'up' : 'down');
    after.push(wantUp ? 'up' : 'down');
  }
  if (steps.length === 0) return { changes: [], facts };
  guardManagement(ctx, facts, args.dev, `setting link ${after.join(', ')}`);
  const change: Change = {
    action: '~',
    resource: `link ${args.dev}`,
    before: before.join(', '),
    after: after.join(', '),
    steps,
    task: ctx.task,
    pos: ctx.pos,
  };
  return { changes: [change], facts: simulateAll(facts, steps.map((s) => s.op)) };
}
