// A yes given after the time the question named (the controller suspended while it asked: its
// timer counted none of it, the routers' did) counts as no answer, as the question said (a review).
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../src/ui/prompts.js', () => ({ askYesNo: vi.fn(async () => true) }));
const { askApproval } = await import('../../src/cli/approval-prompt.js');

describe('askApproval, answered', () => {
  it('a yes within the time is a yes; one past it is late, and said', async () => {
    const said: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
    try {
      let clock = 1_000;
      const deadline = { firesAt: 20_000, answerBy: 10_000, hosts: ['a'] };
      expect(await askApproval(deadline, () => clock)).toBe(true);
      // The question was asked at 1 s; the answer read at 11 s, past 10 s.
      const times = [1_000, 11_000];
      expect(await askApproval(deadline, () => (clock = times.shift() ?? clock))).toBe('late');
    } finally {
      write.mockRestore();
    }
    expect(said).toEqual(['answered after the time the question named: counted as no answer\n']);
  });
});
