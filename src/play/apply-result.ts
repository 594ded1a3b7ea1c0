// What an apply round trip's output says: refused (lock, stale plan, arming), the steps that ran,
// the bundles whose own step failed (a hub goes on with the others), the facts read after.
import type { Facts } from '../gather/facts.js';
import { parseFacts } from '../gather/parse-facts.js';
import { parseSteps } from '../apply/script.js';
import { lockHeldBy, lockUnusable } from '../router/lock.js';
import { OPEN_RUN_MARKER } from '../router/open-runs.js';
import { ARM_FAILED_MARKER, fromMarkerLine, STALE_MARKER } from '../router/markers.js';
import type { Change } from '../plan/types.js';
import type { Op } from '../plan/ops.js';
import type { JournalEntry } from '../rollback/journal.js';
import { armRefusal } from './arm-refusal.js';
import { detachedString } from '../router/detached.js';

export interface ApplyResult {
  entries: JournalEntry[];
  error?: string;
  /**
   * A step of one bundle failed on a host that runs several: that bundle's later steps were not
   * run, the other bundles' steps were, and `after` was read. One message per failed bundle.
   */
  bundleErrors?: Array<{ bundle: string; message: string }>;
  /** The steps of those bundles that were skipped (batch, index, op, inverse). */
  skipped?: Array<{ batch: number; index: number; op: Op; undo: Op[] }>;
  /** Another run holds the lock: nothing changed. */
  locked?: string;
  /** The dead-man could not be armed, or no step began: nothing changed. */
  armFailed?: string;
  /**
   * With armFailed: the run was armed (or decided meanwhile) and its first step's journal line could
   * not be written (a disk that filled after the arm): nothing changed, but the dead-man runs and the
   * lock is held until a rollback claims the run (a review found them left to the dead-man, while
   * teqlctl said the run had stopped before arming).
   */
  armedNotStarted?: true;
  /** The router changed since its facts were read: nothing changed. */
  stale?: boolean;
  /** With stale: the facts it holds now, read under the lock (fingerprinted), where they could be read. */
  now?: Facts;
  after?: Facts;
}

const failedStep = (e: JournalEntry) => `\`${e.command}\` failed (exit ${e.code}): ${e.output || 'no output'}`;

/**
 * `bundles`: per op, the bundle it belongs to alone (stepsScript's option of the same name), so
 * that a failed step of one goes on with the others' steps.
 */
export function readApply(host: string, batch: number, ops: Op[], steps: Array<{ undo: Op[]; change: Change }>, res: { code: number; stdout: string; stderr: string }, bundles: ReadonlyArray<string | undefined> = []): ApplyResult {
  const locked = lockHeldBy(res.stdout);
  if (locked !== undefined) return { entries: [], locked };
  // Another run of this boot not ended, its lock gone (router/open-runs.ts): refused, nothing changed.
  const open = new RegExp(`^${OPEN_RUN_MARKER} (.*)$`, 'm').exec(res.stdout)?.[1];
  if (open !== undefined) return { entries: [], armFailed: open };
  const unusable = lockUnusable(res.stdout);
  if (unusable !== undefined) return { entries: [], armFailed: unusable };
  const stale = fromMarkerLine(res.stdout, STALE_MARKER);
  if (stale !== undefined) return { entries: [], stale: true, ...staleFacts(host, stale) };
  const results = parseSteps(ops, res.stdout);
  const armFailed = new RegExp(`^${ARM_FAILED_MARKER} (.*)$`, 'm').exec(res.stdout)?.[1];
  if (armFailed !== undefined && results.length === 0) {
    // Stopped before its first step: on a first batch the router is as it was (run folder removed, lock freed).
    return { entries: [], armFailed: armRefusal(armFailed), ...(/^step \d+ not started/.test(armFailed) ? { armedNotStarted: true as const } : {}) };
  }
  const entries = results.map((r) => {
    const s = steps[r.index]!;
    // The journal lives to the end of the run: its strings must not keep the round trip's output alive.
    return { resource: s.change.resource, task: s.change.task, op: ops[r.index]!, undo: s.undo, command: detachedString(r.command), code: r.code, output: detachedString(r.output), batch, index: r.index };
  });
  const failed = entries.filter((e) => e.code !== 0);
  const unowned = failed.find((e) => bundles[e.index!] === undefined);
  if (unowned) return { entries, error: failedStep(unowned) };
  // Every step ran but those of bundles that failed a step first (never one of a bundle that did not).
  const failedBundles = new Set(failed.map((e) => bundles[e.index!]!));
  const ran = new Set(entries.map((e) => e.index));
  const complete = ops.every((_, i) => ran.has(i) || failedBundles.has(bundles[i]!));
  if (res.code !== 0 || !complete) {
    return { entries, error: `apply script ended early (exit ${res.code}): ${res.stderr.trim() || 'no output'}` };
  }
  const bundleErrors = [...failedBundles].map((bundle) => ({ bundle, message: failedStep(failed.find((e) => bundles[e.index!] === bundle)!) }));
  const skipped = ops.flatMap((op, i) => (ran.has(i) ? [] : [{ batch, index: i, op, undo: steps[i]!.undo }]));
  return { entries, ...(bundleErrors.length > 0 ? { bundleErrors, skipped } : {}), after: parseFacts(host, res.stdout) };
}

/**
 * The facts a stale check printed after its marker line (`@@teqlctl-stale FP`, then the sections:
 * deadman/stale-check.ts), with the fingerprint they hash to. None where they cannot be parsed (a
 * teqlctl's script before 2026-12-07 printed none): the run is refused there as stale, as it was.
 */
function staleFacts(host: string, fromMarker: string): { now?: Facts } {
  const nl = fromMarker.indexOf('\n');
  const fp = (nl < 0 ? fromMarker : fromMarker.slice(0, nl)).slice(STALE_MARKER.length).trim();
  if (nl < 0 || !/^[0-9a-f]*$/.test(fp)) return {};
  try {
    return { now: { ...parseFacts(host, fromMarker.slice(nl + 1)), fingerprint: fp } };
  } catch {
    return {};
  }
}
