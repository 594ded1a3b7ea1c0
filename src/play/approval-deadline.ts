// A later play's approval is asked while the earlier plays' dead-man timers run: the first play's
// routers revert by themselves at their deadline unless this run has confirmed them, and the run
// confirms only after its last play. An operator who walks away from the question would come back
// to routers that reverted under a run still waiting to apply more. So the question carries the
// deadline, and no answer in time counts as no: the run then rolls back every play so far itself
// (its own rollback, said in its recap) instead of racing the timers.
import { reserveSec } from './laggard-cut.js';
import { runNow, toWall } from './run-clock.js';

/** When the earliest armed timer of this run fires, and on which hosts. */
export interface ApprovalDeadline {
  /** Epoch ms of the earliest timer's end (counted from the apply's send: a little early, never late). */
  firesAt: number;
  /** Epoch ms by which an answer leaves the rest of the run (apply, verify, confirm) its margin. */
  answerBy: number;
  hosts: string[];
}

/**
 * The least margin kept for what follows a yes: this play's apply and verification and every
 * host's confirmation. A guess at a small fleet's real routers; a larger window keeps the cut's
 * reserve (laggard-cut.ts: a yes past the cut would find this play's routers cut as they apply).
 */
export const APPROVAL_MARGIN_SEC = 10;

export const approvalMarginSec = (timeoutSec: number): number => Math.max(APPROVAL_MARGIN_SEC, reserveSec(timeoutSec));

/**
 * The deadline of the hosts armed and not yet confirmed (`armedAt`, epoch ms of their first apply),
 * or undefined when none is (the first play: nothing runs yet).
 */
export function approvalDeadline(of: Array<{ host: string; armedAt?: number }>, timeoutSec: number): ApprovalDeadline | undefined {
  if (of.length === 0) return undefined;
  const armed = of.map((h) => ({ host: h.host, armedAt: h.armedAt ?? runNow() }));
  const first = Math.min(...armed.map((a) => a.armedAt));
  const firesAt = first + timeoutSec * 1000;
  // Hosts armed within a second of the first fire with it (one wave); later waves are named by the first.
  const hosts = armed.filter((a) => a.armedAt - first < 1000).map((a) => a.host).sort();
  return { firesAt, answerBy: firesAt - approvalMarginSec(timeoutSec) * 1000, hosts };
}

/** The approval's question, with the deadline when there is one. */
export function approvalQuestion(deadline: ApprovalDeadline | undefined, clock: (ms: number) => string = localClock): string {
  if (!deadline) return 'Apply these changes?';
  const names = deadline.hosts.length > 3 ? `${deadline.hosts.slice(0, 3).join(', ')} and ${deadline.hosts.length - 3} more` : deadline.hosts.join(', ');
  return `Apply these changes? (the earlier plays' ${names} revert by themselves at ${clock(deadline.firesAt)} unless this run confirms them: no answer by ${clock(deadline.answerBy)} counts as no, and the run rolls back)`;
}

/** Why the run stops when the approval was not given. */
export function refusalMessage(answer: false | 'late', deadline: ApprovalDeadline | undefined, clock: (ms: number) => string = localClock): string {
  if (answer === 'late' && deadline) {
    return `not applied: no answer by ${clock(deadline.answerBy)}, ${Math.round((deadline.firesAt - deadline.answerBy) / 1000)} s before the earlier plays' dead-man timers fire (${clock(deadline.firesAt)}, --confirm-timeout)`;
  }
  return 'not applied: the plan was not approved (use --yes when running unattended)';
}

/** As the operator's clock shows it: the deadlines are kept by runNow(), which a step back leaves ahead. */
function localClock(ms: number): string {
  return new Date(toWall(ms)).toTimeString().slice(0, 8);
}
