// What one run accumulates while it goes: shared by the steps of the flow, owned by run-play.ts.
import type { EarlyChecks } from './host-session.js';
import type { ConnectionSpec, TaskInstance } from '../load/types.js';
import type { Transport, TransportStats } from '../connect/transport.js';
import type { Facts } from '../gather/facts.js';
import type { HostPlan } from '../plan/types.js';
import type { ProgressMode } from '../ui/progress.js';
import type { HostSession } from './host-session.js';
import type { Journal } from '../rollback/journal.js';
import type { HostReport } from './report.js';
import type { RunLog } from './run-log.js';
import type { FailureDomains } from './failure-domains.js';
import type { StepToUndo } from '../deadman/partial-undo-script.js';
import type { Op } from '../plan/ops.js';
import type { ApprovalDeadline } from './approval-deadline.js';

export interface PlayOptions {
  check: boolean;
  forks: number;
  mode: ProgressMode;
  log: RunLog;
  connect: (host: string, spec: ConnectionSpec) => Promise<Transport>;
  /**
   * A genuinely new connection, opened after applying, for the confirmation: it proves management
   * access survived the changes. Never a connection opened earlier (on a terminal the run's own
   * connections are opened first, to ask for secrets before the progress display).
   */
  connectFresh: (host: string, spec: ConnectionSpec) => Promise<Transport>;
  showPlan: (plans: HostPlan[]) => void;
  /**
   * Asks whether to apply (or answers for --yes / no TTY); false means "do not apply". With a
   * deadline (a later play, the earlier plays' timers running), 'late' means no answer by its `answerBy`.
   */
  approve: (plans: HostPlan[], deadline?: ApprovalDeadline) => Promise<boolean | 'late'>;
  interrupted: () => boolean;
  runId?: string;
  /** `serial:`: the routers earlier batches read (identity -> host), so a later name of one is refused (same-router.ts). */
  batchIdentities?: Map<string, string>;
  /** Seconds after which each router reverts itself unless the run is confirmed (dead-man). */
  confirmTimeoutSec: number;
  /** Who runs teqlctl (user@machine), recorded in the router's lock and journal. */
  owner?: string;
  /** `--debug-hold`: fault injection for the dead-man's tests and the fault matrix. */
  holds?: DebugHolds;
  /** Aborted by SIGINT, SIGTERM or SIGHUP: the run stops waiting for the round trip in flight and rolls back. */
  stop?: AbortSignal;
  /** A note for the operator, said when it is found (the CLI prints it as `note: ...`); the log has it too. */
  note?: (text: string) => void;
  /** Told when a debug hold begins (the CLI says it on stderr). */
  onHold?: (point: string, sec: number) => void;
  /**
   * Told when a run (a batch of `serial:`) starts, undecided, and once it is decided: every router
   * still standing confirmed, before the run waits for the rollbacks beside it (`waiting`: some
   * were started). A signal while decided has nothing left to roll back, and says so (the CLI's message).
   */
  onPhase?: (decided: boolean, waiting?: boolean, batchesBefore?: number) => void;
}

/** Where a run waits when a test asks it to (`--debug-hold POINT:SECONDS`), so a fault can be injected there. */
export interface DebugHolds {
  /** After the plan is shown, before it is approved (a run waiting for its operator). */
  approveSec?: number;
  /** On the router, inside step `step` of apply batch `batch`, after the step is journaled as begun. */
  step?: { batch: number; step: number; sec: number };
  /** Between applying and verifying. */
  verifySec?: number;
  /** Between verifying and confirming. */
  confirmSec?: number;
  /** On the router, in the confirmation, right after it decided the run and before its records (its shell's pid in DECIDED_HOLD_PID_FILE). */
  decidedSec?: number;
  /** After the first host confirmed, before the others (they confirm one after the other then). */
  betweenConfirmsSec?: number;
  /** On the router, in teqlctl's rollback, after the run is claimed and before anything is undone. */
  rollbackSec?: number;
  /** On a hub, in a partial rollback, after the first step is undone (it touches `debug-hold-partial` in the run's directory). */
  partialSec?: number;
}

export interface RunState {
  runId: string;
  opts: PlayOptions;
  specs: Map<string, ConnectionSpec>;
  sessions: Map<string, HostSession>;
  /** Facts of each host at its first read: what a rollback must restore. */
  snapshots: Map<string, Facts>;
  /** Facts of each host after its last apply: what a confirmed run leaves. */
  latest: Map<string, Facts>;
  /** In --check, what each host's plays so far would leave: a later play is planned on it. */
  checkedAfter: Map<string, Facts>;
  journal: Journal;
  /**
   * Per hub, the steps of a bundle that failed a step in a batch and were skipped there: its
   * baseline entries among them were journaled ahead on the router (begun-records.ts), so its
   * partial rollback drops them from the journal too (their undo finds nothing to undo).
   */
  skipped: Map<string, Array<StepToUndo & { op: Op }>>;
  reports: Map<string, HostReport>;
  /** Hosts whose confirmation succeeded: their timer is off, they do not revert by themselves. */
  confirmed: Set<string>;
  /**
   * Hosts whose confirmation was sent and whose answer never came (the connection dropped, the
   * bound ran out): it may have run to its end there, the timer off, or not.
   */
  confirmUnanswered: Set<string>;
  /** A --check's hosts where another run is under way (its lock, or a run not ended): what was read may still change. */
  checkBusy: Set<string>;
  /** The confirmation's new connections, opened while the last phase is verified. */
  fresh: Map<string, Promise<Transport>>;
  /**
   * Hosts a partial rollback changed since their confirmation's connection was opened (or before
   * it was: then cleared when it opens): it proves nothing of that change, and a new one is opened
   * (confirm-all.ts).
   */
  changedAfterFresh: Set<string>;
  /** Round trips and bytes of the confirmation's own (second) connection, per host. */
  confirmStats: Map<string, TransportStats>;
  /** The bundles (failure domains): which failed, which go on. */
  domains: FailureDomains;
  /** Hosts with tasks that write the boot configuration (persist): a partial rollback rewrites it for the kept bundles. */
  persists: Set<string>;
  /** Per host, the tasks of the play whose boot phase it applied: what its boot files are planned from again. */
  bootTasks: Map<string, TaskInstance[]>;
  /** Per host, the tasks of the play being run. */
  playTasks: Map<string, TaskInstance[]>;
  /** Plays come after the one being run (what they change is not planned yet). */
  laterPlays: boolean;
  /**
   * Per hub, failed bundles it keeps as they were: its end of them was converged before the run and
   * is untouched, and its boot files bring them back (boot-presence.ts): planned in its boot files
   * still, their tasks planning nothing (settle.ts).
   */
  keptAsWas: Map<string, Set<string>>;
  /** Hosts teqlctl rolled back wholly (all of their bundles failed): not rolled back twice. */
  rolledBack: Set<string>;
  /** Per host, the checks started beside its facts read in this play (play/early-checks.ts). */
  early: Map<string, EarlyChecks>;
  /** The routers' change rounds (HostSession.changeRounds, summed) when those checks started. */
  earlyFrom: number;
  /** The early checks' shells told to end, until they have (the run log records them then). */
  earlyEnding: Array<Promise<unknown>>;
  /** Per failed unit: did every host that had changed for it get back to its state before (false: see the host reports)? */
  unitRollback: Map<string, boolean>;
  /** Routers cut at the apply's barrier with their apply still running (barrier-cut.ts): rolled back without holding the run. */
  stalled: Set<string>;
  /** Those rollbacks and their bundles' judgements, awaited before the run reports. */
  background: Array<Promise<unknown>>;
}
