// The approval question on a terminal under a deadline (cli/approval-prompt.ts).
import { describe, expect, it } from 'vitest';
import { askApproval } from '../../src/cli/approval-prompt.js';

describe('askApproval', () => {
  it('a deadline already past: no question, the answer is late', async () => {
    expect(await askApproval({ firesAt: 20_000, answerBy: 10_000, hosts: ['a'] }, () => 10_000)).toBe('late');
  });

  it('an unanswered question ends at its deadline as late', async () => {
    // stdin is no terminal under vitest: the prompt waits on it, unanswered, until its signal ends it.
    const now = Date.now();
    const answer = await askApproval({ firesAt: now + 10_300, answerBy: now + 300, hosts: ['a'] });
    expect(answer).toBe('late');
    expect(Date.now() - now).toBeGreaterThanOrEqual(250);
  });
});
