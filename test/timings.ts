// Pure: the per-file time table that closes `npm test`, and the summary CI's guard reads.
export interface FileTiming {
  project: string;
  file: string;
  ms: number;
  /** When the file started and ended (epoch ms), where the reporter saw it: files of a project may overlap. */
  startedAt?: number;
  endedAt?: number;
}

export interface TimingSummary {
  wallMs: number;
  /** Each project's files added up: what they would take one after another. */
  projects: Record<string, number>;
  /** Each project's wall time, from its first file's start to its last file's end (the e2e lanes overlap). */
  spans: Record<string, number>;
  files: FileTiming[];
  counts: { passed: number; failed: number; skipped: number };
}

export function summarize(files: FileTiming[], wallMs: number, counts: TimingSummary['counts']): TimingSummary {
  const projects: Record<string, number> = {};
  const first: Record<string, number> = {};
  const last: Record<string, number> = {};
  for (const f of files) {
    projects[f.project] = (projects[f.project] ?? 0) + f.ms;
    const start = f.startedAt ?? f.endedAt;
    const end = f.endedAt ?? f.startedAt;
    if (start !== undefined) first[f.project] = Math.min(first[f.project] ?? start, start);
    if (end !== undefined) last[f.project] = Math.max(last[f.project] ?? end, end);
  }
  const spans: Record<string, number> = {};
  // A project whose files carry no start or end times spans what its files add up to.
  for (const project of Object.keys(projects)) {
    const [start, end] = [first[project], last[project]];
    spans[project] = start !== undefined && end !== undefined ? end - start : (projects[project] ?? 0);
  }
  return { wallMs, projects, spans, files: [...files].sort((x, y) => y.ms - x.ms), counts };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Every e2e file, the slowest unit files, and each project's files added up next to its wall time. */
export function timingTable(s: TimingSummary, unitShown = 5): string[] {
  const lines = ['', 'Time per test file, slowest first:'];
  for (const project of Object.keys(s.projects).sort()) {
    const files = s.files.filter((f) => f.project === project);
    const shown = project === 'e2e' ? files : files.slice(0, unitShown);
    const span = s.spans[project] ?? 0;
    lines.push(`  ${project}: ${files.length} files, ${secs(s.projects[project] ?? 0)} in all, ${secs(span)} of wall time${shown.length < files.length ? ` (the ${shown.length} slowest shown)` : ''}`);
    for (const f of shown) lines.push(`    ${secs(f.ms).padStart(8)}  ${f.file}`);
  }
  lines.push(`Tests took ${secs(s.wallMs)} of wall time.`);
  return lines;
}
