// One timed `teqlctl play ... --json` through the built CLI, with what the bench reads from it: the
// wall time, the exit code, per host the transport counters, the round trips from the log file and
// the TCP connections it opened.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inventoryPath } from '../../src/lab/paths.js';
import { runProc } from '../lib/proc.js';
import { gapsBefore, parseRunLog, type RoundTrip } from '../lib/run-log.js';
import { CLI, ROOT } from './lab.js';

export const CHAPTER = join(ROOT, 'playbooks', 'teql.yml');
const PRELOAD = join(ROOT, 'bench', 'lab', 'count-connections.mjs');

export interface HostSample {
  status: string;
  changes: number;
  /** Round trips the log file records for the host (every connection). */
  roundTrips: number;
  /** The --json transport counter (the run's main connection only). */
  transportRoundTrips: number;
  bytesSent: number;
  bytesReceived: number;
  /** Labels of the round trips, in order (facts, apply, verify, ...), from the log file. */
  trips: string[];
  /** Time of each of those round trips (ms), from the log file. */
  tripMs: number[];
  /** Time before each round trip since the host's previous one ended (NaN for the first). */
  tripGapMs: number[];
  connections: number;
}

export interface PlaySample {
  ms: number;
  exitCode: number;
  summary: string;
  hosts: Record<string, HostSample>;
}

/** `--json` carries the transport counters; ports map log hosts to connection counts. */
export async function timedPlay(extra: string[], ports: Record<string, number>): Promise<PlaySample> {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-bench-'));
  const log = join(dir, 'run.log');
  const connFile = join(dir, 'connections.json');
  try {
    const r = await runProc(process.execPath, ['--import', PRELOAD, CLI, 'play', '-i', inventoryPath(), CHAPTER, '--yes', '--json', '--log', log, ...extra], {
      cwd: ROOT,
      env: { BENCH_CONNECTIONS_FILE: connFile },
    });
    let json: any;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      throw new Error(`teqlctl play ${extra.join(' ')} printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    const trips: RoundTrip[] = parseRunLog(readFileSync(log, 'utf8'));
    const gaps = gapsBefore(trips);
    const conns: Record<string, number> = JSON.parse(readFileSync(connFile, 'utf8'));
    const hosts: Record<string, HostSample> = {};
    for (const [name, h] of Object.entries<any>(json.hosts)) {
      const mine = trips.filter((t) => t.host === name);
      const myGaps = gaps.filter((_, i) => trips[i]!.host === name);
      hosts[name] = {
        status: h.status,
        changes: h.changes.length,
        roundTrips: mine.length,
        transportRoundTrips: h.transport?.roundTrips ?? 0,
        bytesSent: h.transport?.bytesSent ?? 0,
        bytesReceived: h.transport?.bytesReceived ?? 0,
        trips: mine.map((t) => t.label),
        tripMs: mine.map((t) => t.ms),
        tripGapMs: myGaps,
        connections: conns[`127.0.0.1:${ports[name]}`] ?? 0,
      };
    }
    return { ms: r.ms, exitCode: json.exitCode, summary: json.summary, hosts };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
