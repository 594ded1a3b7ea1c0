// The plan is a value: per host, ordered changes, each knowing its commands and their inverses.
import type { SourcePos } from '../errors.js';
import type { PlannedStep } from './ops.js';

export type Action = '+' | '~' | '-';

export interface Change {
  action: Action;
  /** What is changed, e.g. `address 10.0.0.0/31 on eth1`. */
  resource: string;
  before: string | null;
  after: string | null;
  steps: PlannedStep[];
  /** Why teqlctl does it this way, when that is not obvious (rp_filter rule, ...). */
  reason?: string;
  /** Lines --diff shows instead of the commands (a boot file's removed and added lines). */
  detail?: string[];
  /** Puts back a value the baseline recorded (as before teqlctl): no baseline entry of its own. */
  restoresBaseline?: true;
  task: string;
  pos: SourcePos;
}

/** A ping that must pass once every host has applied every change above it (a barrier). */
export interface Check {
  task: string;
  to: string;
  dev?: string;
  from?: string;
  /** The equalizer the planned routes send it over (planned-egress.ts): the kernel must agree before it pings. */
  egress?: string;
  /**
   * With `egress`: the equalizer's slaves (planned-egress.ts). After the ping passed, its next hop
   * must have resolved on every one: teql sends nothing over a slave where it does not
   * (verify/ping-script.ts).
   */
  slaves?: string[];
  count: number;
  timeout: number;
  pos: SourcePos;
}

/** Changes between two barriers, then the checks of that barrier. */
export interface Phase {
  changes: Change[];
  checks: Check[];
  /** The boot configuration's phase: after every check of every host. */
  boot?: true;
}

export interface HostPlan {
  host: string;
  phases: Phase[];
  /** What may undo the run later without a word (a link's manager: link-owners.ts), said with the plan and in the recap. */
  warnings?: string[];
}

export function changeCount(plan: HostPlan): number {
  return plan.phases.reduce((n, p) => n + p.changes.length, 0);
}
