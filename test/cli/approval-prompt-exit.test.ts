// Ctrl-C in the approval question (inquirer rejects with ExitPromptError: it reads the key itself,
// no SIGINT comes) is an interruption of the run, which then rolls back what earlier plays changed.
import { describe, expect, it, vi } from 'vitest';
import { RunFailure } from '../../src/errors.js';

vi.mock('../../src/ui/prompts.js', () => ({
  askYesNo: async () => {
    const err = new Error('User force closed the prompt with SIGINT');
    err.name = 'ExitPromptError';
    throw err;
  },
}));
const { askApproval } = await import('../../src/cli/approval-prompt.js');

describe('askApproval, Ctrl-C', () => {
  it.each([
    ['the first play (no deadline)', undefined],
    ["a later play, under the earlier plays' timers", { firesAt: Date.now() + 60_000, answerBy: Date.now() + 50_000, hosts: ['a'] }],
  ])('in %s: an interruption (exit 130), not an internal error', async (_what, deadline) => {
    const err = await askApproval(deadline).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunFailure);
    expect((err as RunFailure).exitCode).toBe(130);
    expect((err as RunFailure).message).toBe('interrupted at the approval question (Ctrl-C, or the terminal closed)');
  });
});
