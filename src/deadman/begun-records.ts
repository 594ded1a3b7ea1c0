// How each step of an apply batch is journaled as begun (the write-ahead record the dead-man's
// revert reads, arm-script.ts begunLine): which records are flushed, and which are written ahead.
import { survivesReboot, type Op } from '../plan/ops.js';

export interface BegunRecord {
  /** Flushed to disk before the step runs: its effect survives a power cut (a file). */
  durable: boolean;
  /** Later steps journaled ahead, with this one, in the same flushed record. */
  ahead: number[];
}

/**
 * A batch's baseline entries (7 in the chapter, one before each setting teqlctl changes first) are
 * journaled, all of them, when the first one begins, with one flush; each later one still writes
 * its own record unflushed (the run must be undecided for it to start). A flush is a process (~60 ms
 * of an emulated router's time), and one per entry was most of what the baseline cost (issue 17).
 *
 * Journaling a step that then never runs is safe: the revert undoes a begun step by the value read
 * before the run, here by removing an entry that the plan adds only where the baseline lacks it, so
 * the undo of one that never ran finds nothing to remove. Every other durable step (a boot file)
 * keeps its own flushed record, written when it begins.
 */
export function begunRecords(ops: readonly Op[], bundles: ReadonlyArray<string | undefined> = []): BegunRecord[] {
  // On a hub (stepsScript's `bundles`), a bundle whose step failed skips its later steps, begun
  // records included: each bundle's entries (and the shared ones) are journaled ahead by their own
  // first entry, so a skipped bundle never leaves the others' entries without a flushed record.
  const group = (i: number) => bundles[i] ?? '';
  const entries = ops.flatMap((op, i) => (op.kind === 'baseline-set' ? [i] : []));
  return ops.map((op, i) => {
    if (op.kind !== 'baseline-set') return { durable: survivesReboot(op), ahead: [] };
    const mine = entries.filter((e) => group(e) === group(i));
    return i === mine[0] ? { durable: true, ahead: mine.slice(1) } : { durable: false, ahead: [] };
  });
}
