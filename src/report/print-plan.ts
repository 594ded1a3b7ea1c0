// The plan as people read it: `+ ~ -` per host, like terraform plan; --diff adds before and after.
import type { HostPlan } from '../plan/types.js';
import { changeCount } from '../plan/types.js';
import { renderStep } from '../apply/script.js';

export function formatPlan(plans: readonly HostPlan[], diff: boolean): string {
  const lines: string[] = [];
  for (const plan of plans) {
    const n = changeCount(plan);
    lines.push(`${plan.host}: ${n === 0 ? 'no changes' : `${n} change(s)`}`);
    for (const w of plan.warnings ?? []) lines.push(`  ! WARNING: ${w}`);
    for (const phase of plan.phases) {
      for (const c of phase.changes) {
        const transition = c.action === '+' ? c.after : c.action === '-' ? c.before : `${c.before} -> ${c.after}`;
        lines.push(`  ${c.action} ${c.resource}${transition ? `: ${transition}` : ''}    [${c.task}]`);
        if (diff) {
          lines.push(`      before: ${c.before ?? '(absent)'}`, `      after:  ${c.after ?? '(absent)'}`);
          if (c.detail) for (const l of c.detail) lines.push(`      ${l}`);
          else for (const s of c.steps) lines.push(`      run:    ${renderStep(s.op)}`);
        }
        if (c.reason) lines.push(`      why: ${c.reason}`);
      }
      for (const check of phase.checks) {
        lines.push(`  ? ping ${check.to}${check.dev ? ` dev ${check.dev}` : ''}${check.from ? ` from ${check.from}` : ''}${check.egress ? ` (over ${check.egress})` : ''}    [${check.task}]`);
      }
    }
  }
  const total = plans.reduce((n, p) => n + changeCount(p), 0);
  lines.push(`Plan: ${total} change(s) on ${plans.filter((p) => changeCount(p) > 0).length} of ${plans.length} host(s).`);
  return lines.join('\n');
}
