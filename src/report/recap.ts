// PLAY RECAP, as Ansible users expect it, plus what was verified and what rollback found.
import { ExitCode } from '../errors.js';
import type { RunReport } from '../play/report.js';

export function formatRecap(r: RunReport): string {
  const lines: string[] = [];
  for (const h of r.hosts) {
    for (const c of h.checks) {
      lines.push(`${c.ok ? 'verified' : 'FAILED  '} ${h.host}: ping ${c.check.to}${c.check.dev ? ` dev ${c.check.dev}` : ''}${c.check.from ? ` from ${c.check.from}` : ''} — ${c.summary}`);
    }
    for (const w of h.warnings ?? []) lines.push(`WARNING  ${h.host}: ${w}`);
    const part = h.partialRollback;
    // Rolled back wholly after it (its confirmation's new connection failed): its other bundles were
    // not kept, though this line said so beside the bundles' ROLLED BACK (a review).
    const kept = !h.rollback ? ' (its other bundles kept)' : h.rollback.ok ? ', then the whole host (every bundle of it)' : ', then a rollback of the whole host, which failed (below)';
    if (part) lines.push(`${part.ok ? 'rolled back' : 'ROLLBACK'} ${h.host}: ${part.bundles.join(', ')}${part.ok ? kept : `: ${[...part.errors, ...part.residual.missing.map((m) => `still missing: ${m}`), ...part.residual.extra.map((x) => `left over: ${x}`)].join('; ')}`}`);
    if (h.rollback && !h.rollback.ok) {
      for (const e of h.rollback.errors) lines.push(`ROLLBACK ${h.host}: ${e}`);
      for (const m of h.rollback.residual.missing) lines.push(`ROLLBACK ${h.host}: still missing: ${m}`);
      for (const x of h.rollback.residual.extra) lines.push(`ROLLBACK ${h.host}: left over: ${x}`);
    }
  }
  lines.push('', 'PLAY RECAP ' + '*'.repeat(50));
  const width = Math.max(...r.hosts.map((h) => h.host.length), 4);
  for (const h of r.hosts) {
    // A host rolled back failed too: the run did not converge there (its own step or ping, or its
    // bundle's other end). failed=0 with rolled_back=1 read as Ansible's "rescued", a success to a
    // script that greps the recap (a review of fleet runs). A hub that kept some bundles is changed.
    const failed = ['failed', 'refused', 'rollback failed', 'rolled back'].includes(h.status) ? 1 : 0;
    // As Ansible counts: changed is what the run left changed; a rolled-back host changed nothing,
    // a hub that undid a failed bundle kept the changes of its others only.
    const undone = h.partialRollback?.ok ? h.partialRollback.undoneChanges ?? 0 : 0;
    const changed = r.check || h.rollback || ['refused', 'unreachable'].includes(h.status) ? 0 : h.planned.length - undone;
    const fields = [
      `ok=${h.status === 'unreachable' ? 0 : h.checks.filter((c) => c.ok).length + 1}`,
      `changed=${changed}`,
      `unreachable=${h.status === 'unreachable' ? 1 : 0}`,
      `failed=${failed}`,
      `rolled_back=${h.rollback?.ok ? 1 : 0}`,
    ];
    lines.push(`${h.host.padEnd(width)} : ${fields.join('  ')}`);
  }
  // Per bundle once there is more than one: which converged, which were rolled back (both ends).
  if (r.bundles.length > 1) {
    lines.push('', 'BUNDLE RECAP ' + '*'.repeat(48));
    for (const b of r.bundles) lines.push(`${b.status.toUpperCase().padEnd(15)} ${b.name}${b.error ? ` — ${b.error.split('\n')[0]}` : ''}`);
  }
  const verdict = r.exitCode === ExitCode.ok ? 'OK' : r.exitCode === ExitCode.changesPending ? 'CHANGES PENDING' : r.exitCode === ExitCode.someBundlesFailed ? 'PARTLY FAILED' : 'FAILED';
  lines.push('', `${verdict} (exit ${r.exitCode}): ${r.summary}`);
  if (r.logFile) lines.push(`log: ${r.logFile}${r.logIncomplete ? ' (incomplete: writing it failed, see the warning above)' : ''}`);
  return lines.join('\n');
}
