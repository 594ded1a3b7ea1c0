// Pure: raw samples -> the figures the table, the chart and the targets show.
import type { FleetRun } from '../fleet/run-fleet.js';
import type { LabIteration } from '../lab/scenarios.js';
import type { PlaySample } from '../lab/teqlctl.js';
import type { FloorSamples } from '../lib/floor.js';
import { leastSquares, median, ratio, summarize, type Line, type Summary } from '../lib/stats.js';

export interface HostFigures {
  roundTrips: Summary;
  transportRoundTrips: Summary;
  connections: Summary;
  bytesSent: number;
  bytesReceived: number;
  /** Round trips in order, as the log file names them (from the last sample). */
  trips: string[];
  /** Median time of each round trip kind, from the log file's `in M ms`. */
  tripMs: Record<string, number>;
  /** Median time before each kind of round trip since the previous one ended (e.g. a new connection). */
  tripGapMs: Record<string, number>;
}

export interface PhaseFigures {
  label: string;
  ms: Summary;
  exitCodes: number[];
  expectedExit: number;
  hosts: Record<string, HostFigures>;
}

export type PhaseKey = 'check' | 'cold' | 'noop' | 'rollback' | 'coldA' | 'noopA';

export const PHASES: Array<{ key: PhaseKey; label: string; expectedExit: number }> = [
  { key: 'check', label: '--check (pristine)', expectedExit: 0 },
  { key: 'cold', label: 'cold apply', expectedExit: 0 },
  { key: 'noop', label: 'no-op rerun', expectedExit: 0 },
  { key: 'rollback', label: 'rollback (verify fails)', expectedExit: 5 },
  { key: 'coldA', label: 'cold apply, router_a only', expectedExit: 0 },
  { key: 'noopA', label: 'no-op, router_a only', expectedExit: 0 },
];

export interface LabFigures {
  runs: number;
  phases: Record<PhaseKey, PhaseFigures>;
  reference: { cold: Summary; noop: Summary; exitCodes: number[]; changesAfter: number[] };
  floor: { connectTrue: Summary; openTrue: Summary; openScript: Summary; openScriptNoDelay: Summary; opensshConnectTrue: Summary };
  /** 1-minute load average when the groups took the lab (absent in older result files). */
  loadAverage: Summary;
}

function hostFigures(samples: PlaySample[], host: string): HostFigures {
  const mine = samples.map((s) => s.hosts[host]).filter((h) => h !== undefined);
  const last = mine[mine.length - 1]!;
  const tripMs: Record<string, number> = {};
  const tripGapMs: Record<string, number> = {};
  for (const label of new Set(mine.flatMap((h) => h.trips))) {
    tripMs[label] = median(mine.flatMap((h) => h.trips.flatMap((t, i) => (t === label ? [h.tripMs[i]!] : []))));
    tripGapMs[label] = median(mine.flatMap((h) => h.trips.flatMap((t, i) => (t === label && Number.isFinite(h.tripGapMs?.[i]) ? [h.tripGapMs[i]!] : []))));
  }
  return {
    roundTrips: summarize(mine.map((h) => h.roundTrips)),
    transportRoundTrips: summarize(mine.map((h) => h.transportRoundTrips)),
    connections: summarize(mine.map((h) => h.connections)),
    bytesSent: median(mine.map((h) => h.bytesSent)),
    bytesReceived: median(mine.map((h) => h.bytesReceived)),
    trips: last.trips,
    tripMs,
    tripGapMs,
  };
}

function phaseFigures(samples: PlaySample[], label: string, expectedExit: number): PhaseFigures {
  const hosts = [...new Set(samples.flatMap((s) => Object.keys(s.hosts)))].sort();
  return {
    label,
    ms: summarize(samples.map((s) => s.ms)),
    exitCodes: samples.map((s) => s.exitCode),
    expectedExit,
    hosts: Object.fromEntries(hosts.map((h) => [h, hostFigures(samples, h)])),
  };
}

export function labFigures(its: readonly LabIteration[]): LabFigures {
  const phases = Object.fromEntries(PHASES.map((p) => [p.key, phaseFigures(its.map((it) => it[p.key]), p.label, p.expectedExit)])) as Record<PhaseKey, PhaseFigures>;
  const fl = (k: keyof LabIteration['floor']['a']) => summarize(its.flatMap((it) => [...it.floor.a[k], ...it.floor.b[k]]));
  return {
    runs: its.length,
    phases,
    reference: {
      cold: summarize(its.map((it) => it.refCold.ms)),
      noop: summarize(its.map((it) => it.refNoop.ms)),
      exitCodes: its.flatMap((it) => [it.refCold.exitCode, it.refNoop.exitCode]),
      changesAfter: its.map((it) => it.changesAfterRef),
    },
    floor: {
      connectTrue: fl('connectTrue'),
      openTrue: fl('openTrue'),
      openScript: fl('openScript'),
      openScriptNoDelay: fl('openScriptNoDelay'),
      opensshConnectTrue: summarize(its.flatMap((it) => it.opensshConnectTrue)),
    },
    loadAverage: summarize(its.flatMap((it) => it.loadAverage ?? [])),
  };
}

/** The no-work floor of a phase: one connection (with its first command), then one open-connection command per further round trip. */
export function phaseFloorMs(floor: LabFigures['floor'], roundTrips: number): number {
  return floor.connectTrue.median + Math.max(0, roundTrips - 1) * floor.openTrue.median;
}

export interface FloorFigures {
  connectTrue: Summary;
  openTrue: Summary;
  openScript: Summary;
  openScriptNoDelay: Summary;
}

export function floorFigures(f: FloorSamples): FloorFigures {
  return { connectTrue: summarize(f.connectTrue), openTrue: summarize(f.openTrue), openScript: summarize(f.openScript), openScriptNoDelay: summarize(f.openScriptNoDelay) };
}

export interface FleetFigures {
  runs: FleetRun[];
  /** The floor against one simulated host. */
  floor?: FloorFigures;
  /** Least-squares wall time (ms) against hosts, per --forks value with at least two sizes. */
  fits: Record<string, Line>;
  cpuFits: Record<string, Line>;
  delayMs?: number;
  knownHosts?: 'shared' | 'per-host';
}

export function fleetFigures(runs: FleetRun[], floor?: FloorSamples): FleetFigures {
  const fits: Record<string, Line> = {};
  const cpuFits: Record<string, Line> = {};
  const cold = runs.filter((r) => (r.phase ?? 'cold') === 'cold' && (r.topology ?? 'pairs') === 'pairs');
  for (const forks of new Set(cold.map((r) => r.forks))) {
    const mine = cold.filter((r) => r.forks === forks);
    if (new Set(mine.map((r) => r.hosts)).size < 2) continue;
    fits[forks] = leastSquares(mine.map((r) => [r.hosts, r.wallMs] as const));
    cpuFits[forks] = leastSquares(mine.map((r) => [r.hosts, r.cpuMs] as const));
  }
  return { runs, fits, cpuFits, ...(floor ? { floor: floorFigures(floor) } : {}) };
}

export interface Target {
  name: string;
  value: string;
  limit: string;
  pass: boolean;
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');

export function targets(lab: LabFigures | undefined, fleet: FleetFigures | undefined): Target[] {
  const out: Target[] = [];
  if (lab) {
    // Issue 17's targets. A cold apply: facts, apply+verify (one staged round trip), then the
    // confirmation and the lock's release over the new connection that proves access (2 connections
    // by design); a no-op: facts, verify, over one.
    for (const [key, limit, conns, what] of [['cold', 4, 2, 'cold apply'], ['noop', 2, 1, 'no-op']] as const) {
      const hosts = Object.values(lab.phases[key].hosts);
      const trips = Math.max(...hosts.map((h) => h.roundTrips.max));
      const c = Math.max(...hosts.map((h) => h.connections.max));
      out.push({ name: `${what}: round trips per host, connections`, value: `${trips} round trips, ${c} connection(s)`, limit: `<= ${limit}, ${conns}`, pass: trips <= limit && c <= conns });
    }
    for (const [both, one, what] of [['cold', 'coldA', 'cold apply'], ['noop', 'noopA', 'no-op']] as const) {
      const r = ratio(lab.phases[both].ms.median, lab.phases[one].ms.median);
      out.push({ name: `${what}: two routers vs router_a alone`, value: `${f2(r)}x`, limit: '<= 1.1x', pass: r <= 1.1 });
    }
    for (const [key, ref, limit, what] of [
      ['cold', lab.reference.cold, 1.25, 'cold apply vs the reference script'],
      ['noop', lab.reference.noop, 1.1, "no-op vs the reference script's no-op"],
      ['check', lab.reference.noop, 1.0, "--check vs the reference script's no-op"],
    ] as const) {
      const r = ratio(lab.phases[key].ms.median, ref.median);
      out.push({ name: what, value: `${f2(r)}x`, limit: `<= ${limit}x`, pass: r <= limit });
    }
  }
  // Issue 15: three bundles made to fail; exactly they fail (rolled back or never changed), every other is confirmed.
  for (const r of (fleet?.runs ?? []).filter((x) => x.phase === 'faults')) {
    const counts = Object.entries(r.bundles ?? {}).map(([k, n]) => `${n} ${k}`).join(', ');
    out.push({ name: `SIMULATED ${r.hosts} hosts${r.topology === 'hubs' ? ' (hubs of 5 spokes)' : ''}, 3 bundles made to fail (unreachable, apply, ping)`, value: `${counts}; exit ${r.exitCode}`, limit: 'those 3 only, exit 10', pass: r.faultsAsExpected === true });
  }
  const cold = (fleet?.runs ?? []).filter((r) => (r.phase ?? 'cold') === 'cold' && (r.topology ?? 'pairs') === 'pairs');
  if (cold.length > 0) {
    const biggest = Math.max(...cold.map((r) => r.hosts));
    const atMax = cold.filter((r) => r.hosts === biggest);
    const best = atMax.reduce((a, b) => (b.wallMs < a.wallMs ? b : a));
    out.push({ name: `SIMULATED ${biggest} hosts converge (best --forks: ${best.forks})`, value: `${f2(best.wallMs / 1000)} s, exit ${best.exitCode}`, limit: '<= 5 s', pass: best.wallMs <= 5_000 && best.exitCode === 0 });
    const rss = Math.max(...atMax.map((r) => r.maxRssMb));
    out.push({ name: `SIMULATED ${biggest} hosts: peak RSS (any --forks)`, value: `${rss.toFixed(0)} MB`, limit: '< 300 MB', pass: rss < 300 });
    const sizes = [...new Set(cold.map((r) => r.hosts))].sort((a, b) => a - b);
    if (sizes.length >= 2) {
      const mid = sizes[sizes.length - 2]!;
      const perHost = (n: number) => median(cold.filter((r) => r.hosts === n).map((r) => r.cpuMsPerHost));
      const growth = ratio(perHost(biggest), perHost(mid));
      out.push({ name: `SIMULATED cost per host flat: CPU ms/host at ${biggest} vs ${mid} hosts (median over --forks)`, value: `${perHost(biggest).toFixed(1)} vs ${perHost(mid).toFixed(1)} (${f2(growth)}x)`, limit: '<= 1.25x', pass: growth <= 1.25 });
    }
  }
  return out;
}
