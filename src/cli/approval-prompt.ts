// The plan's approval on a terminal. A later play's question runs under the earlier plays' dead-man
// timers: it says when they fire, and ends unanswered (as 'late') before they do (approval-deadline.ts).
import { approvalQuestion, type ApprovalDeadline } from '../play/approval-deadline.js';
import { askYesNo } from '../ui/prompts.js';

export async function askApproval(deadline: ApprovalDeadline | undefined, now: () => number = Date.now): Promise<boolean | 'late'> {
  if (!deadline) return askYesNo(approvalQuestion(undefined));
  const left = deadline.answerBy - now();
  if (left <= 0) {
    // Said, or the run's "no answer by" would speak of a question nobody saw.
    process.stderr.write(`not asked: ${approvalQuestion(deadline).replace(/^Apply these changes\? \((.*)\)$/, '$1')}, and that time is past\n`);
    return 'late';
  }
  try {
    return await askYesNo(approvalQuestion(deadline), false, AbortSignal.timeout(left));
  } catch (err) {
    if ((err as Error).name === 'AbortPromptError') return 'late';
    throw err;
  }
}
