// Pure: the per-file time table that closes `npm test`, and the summary CI's guard reads.
export interface FileTiming {
  project: string;
  file: string;
  ms: number;
}

export interface TimingSummary {
  wallMs: number;
  projects: Record<string, number>;
  files: FileTiming[];
  counts: { passed: number; failed: number; skipped: number };
}

export function summarize(files: FileTiming[], wallMs: number, counts: TimingSummary['counts']): TimingSummary {
  const projects: Record<string, number> = {};
  for (const f of files) projects[f.project] = (projects[f.project] ?? 0) + f.ms;
  return { wallMs, projects, files: [...files].sort((x, y) => y.ms - x.ms), counts };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every e2e file (they run one after another, so they add up) and the slowest unit files. */
export function timingTable(s: TimingSummary, unitShown = 5): string[] {
  const lines = ['', 'Time per test file, slowest first:'];
  for (const project of Object.keys(s.projects).sort()) {
    const files = s.files.filter((f) => f.project === project);
    const shown = project === 'e2e' ? files : files.slice(0, unitShown);
    lines.push(`  ${project}: ${files.length} files, ${secs(s.projects[project] ?? 0)} in all${shown.length < files.length ? ` (the ${shown.length} slowest shown)` : ''}`);
    for (const f of shown) lines.push(`    ${secs(f.ms).padStart(8)}  ${f.file}`);
  }
  lines.push(`Tests took ${secs(s.wallMs)} of wall time.`);
  return lines;
}
