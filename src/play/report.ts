// What a run produced, per host: the data behind the recap, --json and the exit code.
import type { Change } from '../plan/types.js';
import type { CheckResult } from '../verify/ping-script.js';
import type { StateDiff } from '../rollback/compare.js';
import type { TransportStats } from '../connect/transport.js';

export type HostStatus = 'ok' | 'changed' | 'failed' | 'unreachable' | 'refused' | 'rolled back' | 'rollback failed' | 'checked' | 'not run';

export interface HostReport {
  host: string;
  status: HostStatus;
  planned: Change[];
  /** Steps that ran and succeeded (before any rollback). */
  applied: number;
  checks: CheckResult[];
  error?: string;
  rollback?: { ok: boolean; residual: StateDiff; errors: string[] };
  /**
   * A hub's failed bundles undone, its healthy ones kept: `residual` compares with exactly that.
   * `undoneChanges`: how many of `planned` were those bundles' (the recap's changed= leaves them out).
   */
  partialRollback?: { bundles: string[]; ok: boolean; residual: StateDiff; errors: string[]; undoneChanges?: number };
  stats?: TransportStats & { connections: number };
  /** The run journal: every command that ran on the host, with its exit code and its inverse. */
  journal?: Array<{ command: string; code: number; undo: string[] }>;
  /** What the operator should know that did not fail the run (a lock left behind). */
  warnings?: string[];
}

/** A failure domain's outcome: a bundle (both ends), or the play's hosts without a bundle. */
export interface BundleReport {
  name: string;
  hosts: string[];
  status: 'converged' | 'unchanged' | 'checked' | 'failed' | 'rolled back' | 'rollback failed' | 'not run';
  /** Why it failed: the first failure of the bundle. */
  error?: string;
}

export interface RunReport {
  runId: string;
  exitCode: number;
  check: boolean;
  hosts: HostReport[];
  bundles: BundleReport[];
  /** One line on why the run ended as it did. */
  summary: string;
  logFile?: string;
  /** Writing the log failed during the run (a full disk): it ends there. */
  logIncomplete?: boolean;
}
