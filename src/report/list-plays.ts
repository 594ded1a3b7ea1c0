// What `play --syntax-check`, `--list-hosts` and `--list-tasks` print, laid out as ansible-playbook
// lays it out (`playbook: FILE`, then `play #N`), from the loaded run alone: pure, no router involved.
import type { LoadedRun } from '../load/types.js';

export interface ListWhat {
  hosts: boolean;
  tasks: boolean;
}

export function formatListing(run: LoadedRun, playbookShown: string, what: ListWhat): string {
  const lines = ['', `playbook: ${playbookShown}`];
  run.plays.forEach((play, i) => {
    if (!what.hosts && !what.tasks) return;
    lines.push('', `  play #${i + 1}: ${play.name}`);
    if (what.hosts) {
      lines.push(`    hosts (${play.hosts.length}):`, ...play.hosts.map((h) => `      ${h}`));
    }
    if (what.tasks) {
      // Per host: loops are expanded and `when:` applied per host, so two hosts may differ.
      lines.push('    tasks:');
      for (const host of play.hosts) {
        const tasks = play.tasks.get(host) ?? [];
        lines.push(`      ${host}:`, ...tasks.map((t) => `        ${t.name}  [${t.module}, line ${t.pos.line}]`));
        if (tasks.length === 0) lines.push('        (no task for this host: none is written, or each one\'s `when:` is false or its loop empty)');
      }
    }
  });
  return lines.join('\n') + '\n';
}
