// The approval question on a terminal under a deadline (cli/approval-prompt.ts).
import { describe, expect, it, vi } from 'vitest';
import { askApproval } from '../../src/cli/approval-prompt.js';

describe('askApproval', () => {
  it('a deadline already past: no question, said as such, the answer is late', async () => {
    const said: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
    try {
      expect(await askApproval({ firesAt: 20_000, answerBy: 10_000, hosts: ['a'] }, () => 10_000)).toBe('late');
    } finally {
      write.mockRestore();
    }
    expect(said.join('')).toMatch(/^not asked: the earlier plays' a revert by themselves at \d\d:\d\d:\d\d unless this run confirms them: no answer by \d\d:\d\d:\d\d counts as no, and the run rolls back, and that time is past\n$/);
  });

  it('an unanswered question ends at its deadline as late', async () => {
    // stdin is no terminal under vitest: the prompt waits on it, unanswered, until its signal ends it.
    const now = Date.now();
    const answer = await askApproval({ firesAt: now + 10_300, answerBy: now + 300, hosts: ['a'] });
    expect(answer).toBe('late');
    expect(Date.now() - now).toBeGreaterThanOrEqual(250);
  });
});
