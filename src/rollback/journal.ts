// The run journal: what actually ran on each host, in order, with each step's inverse.
import type { Op } from '../plan/ops.js';

export interface JournalEntry {
  resource: string;
  task: string;
  op: Op;
  undo: Op[];
  command: string;
  code: number;
  output: string;
  /** Where the router journaled it (begun-BATCH, line INDEX): what a partial rollback names. */
  batch?: number;
  index?: number;
}

export type Journal = Map<string, JournalEntry[]>;

/** Inverses of everything that ran, last first: what rollback sends. */
export function inverseOps(entries: readonly JournalEntry[]): Op[] {
  return entries.filter((e) => e.code === 0).reverse().flatMap((e) => e.undo);
}
