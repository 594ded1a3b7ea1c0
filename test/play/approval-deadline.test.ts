// A later play's approval under the earlier plays' dead-man timers (play/approval-deadline.ts).
import { describe, expect, it } from 'vitest';
import { APPROVAL_MARGIN_SEC, approvalDeadline, approvalQuestion, refusalMessage } from '../../src/play/approval-deadline.js';

const clock = (ms: number) => `t+${ms / 1000}`;

describe('approvalDeadline', () => {
  it('nothing armed (the first play): no deadline', () => {
    expect(approvalDeadline([], 120)).toBeUndefined();
  });

  it('the earliest armed host sets it: its timer fires a window after its first apply, the answer is due a margin before', () => {
    const d = approvalDeadline([{ host: 'b', armedAt: 1_300 }, { host: 'a', armedAt: 1_000 }, { host: 'c', armedAt: 40_000 }], 120)!;
    expect(d.firesAt).toBe(121_000);
    // The cut's reserve of a 120 s window (30 s): a yes after it would find this play's routers cut.
    expect(d.answerBy).toBe(121_000 - 30_000);
    // c was armed in a later wave: its timer fires later, the first wave's are named.
    expect(d.hosts).toEqual(['a', 'b']);
  });

  it('keeps at least APPROVAL_MARGIN_SEC of a small window', () => {
    expect(approvalDeadline([{ host: 'a', armedAt: 0 }], 25)!.answerBy).toBe(25_000 - APPROVAL_MARGIN_SEC * 1000);
  });
});

describe('approvalQuestion', () => {
  it('without a deadline, the plain question', () => {
    expect(approvalQuestion(undefined)).toBe('Apply these changes?');
  });

  it('with one, when the timers fire and by when no answer counts as no', () => {
    expect(approvalQuestion({ firesAt: 30_000, answerBy: 20_000, hosts: ['router_a', 'router_b'] }, clock)).toBe(
      "Apply these changes? (the earlier plays' router_a, router_b revert by themselves at t+30 unless this run confirms them: no answer by t+20 counts as no, and the run rolls back)",
    );
  });

  it('a fleet is named by its first three hosts and a count', () => {
    expect(approvalQuestion({ firesAt: 1, answerBy: 0, hosts: ['a', 'b', 'c', 'd', 'e'] }, clock)).toContain("the earlier plays' a, b, c and 2 more revert");
  });
});

describe('refusalMessage', () => {
  it('a no, and a no answer in time, are told apart', () => {
    expect(refusalMessage(false, undefined)).toBe('not applied: the plan was not approved (use --yes when running unattended)');
    expect(refusalMessage('late', { firesAt: 30_000, answerBy: 20_000, hosts: ['a'] }, clock)).toBe(
      "not applied: no answer by t+20, 10 s before the earlier plays' dead-man timers fire (t+30, --confirm-timeout)",
    );
  });
});
