// The plan's approval on a terminal. A later play's question runs under the earlier plays' dead-man
// timers: it says when they fire, and ends unanswered (as 'late') before they do (approval-deadline.ts).
import { RunFailure } from '../errors.js';
import { approvalQuestion, type ApprovalDeadline } from '../play/approval-deadline.js';
import { askYesNo } from '../ui/prompts.js';
import { runNow, timerMs } from '../play/run-clock.js';

export async function askApproval(deadline: ApprovalDeadline | undefined, now: () => number = runNow): Promise<boolean | 'late'> {
  try {
    if (!deadline) return await askYesNo(approvalQuestion(undefined));
    const left = deadline.answerBy - now();
    if (left <= 0) {
      // Said, or the run's "no answer by" would speak of a question nobody saw.
      process.stderr.write(`not asked: ${approvalQuestion(deadline).replace(/^Apply these changes\? \((.*)\)$/, '$1')}, and that time is past\n`);
      return 'late';
    }
    const yes = await askYesNo(approvalQuestion(deadline), false, AbortSignal.timeout(timerMs(left)));
    // A yes given past the time (the controller suspended while it asked: its timer counted none
    // of that, the routers' did) counts as none, as the question said (a review).
    if (yes && now() > deadline.answerBy) {
      process.stderr.write('answered after the time the question named: counted as no answer\n');
      return 'late';
    }
    return yes;
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'AbortPromptError') return 'late';
    // Ctrl-C in the prompt (inquirer takes it as a key, no SIGINT comes), or the terminal closed
    // (SIGHUP): an interruption like a signal at any other point. Thrown as is, it skipped the
    // rollback of the earlier plays' routers and ended as an internal error (found by a review).
    if (name === 'ExitPromptError') throw new RunFailure('interrupted', 'interrupted at the approval question (Ctrl-C, or the terminal closed)');
    throw err;
  }
}
