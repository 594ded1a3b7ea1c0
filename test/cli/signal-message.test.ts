import { describe, expect, it } from 'vitest';
import { signalMessage } from '../../src/cli/signal-message.js';

describe('the message said the moment a signal arrives', () => {
  it('promises a rollback while routers may still be rolled back', () => {
    expect(signalMessage('SIGINT', { kind: 'running' })).toBe('SIGINT: rolling back every router that changed (a step in flight is stopped on the router)');
  });

  it('promises none once every router still standing is confirmed', () => {
    const waiting = signalMessage('SIGTERM', { kind: 'decided', waiting: true });
    expect(waiting).toMatch(/^SIGTERM: too late to roll back: every router still standing is confirmed; the rollbacks of the failed ones, running beside the run, end first/);
    expect(waiting).not.toMatch(/rolling back every router/);
    expect(signalMessage('SIGHUP', { kind: 'decided', waiting: false })).toBe('SIGHUP: too late to roll back: every router still standing is confirmed; the recap says each router\'s end');
  });

  it('in a batch of `serial:` after others: only this batch is rolled back, the earlier ones stay (a review)', () => {
    expect(signalMessage('SIGINT', { kind: 'running', batchesBefore: 0 })).toBe('SIGINT: rolling back every router that changed (a step in flight is stopped on the router)');
    expect(signalMessage('SIGINT', { kind: 'running', batchesBefore: 1 })).toBe('SIGINT: rolling back every router of batch 2 that changed (a step in flight is stopped on the router); the batch before it was confirmed and stays, and no later batch starts');
    expect(signalMessage('SIGTERM', { kind: 'running', batchesBefore: 3 })).toBe('SIGTERM: rolling back every router of batch 4 that changed (a step in flight is stopped on the router); the 3 batches before it were confirmed and stay, and no later batch starts');
  });

  it('says under --check that nothing changes', () => {
    expect(signalMessage('SIGINT', { kind: 'check' })).toBe('SIGINT: stopping (--check changes nothing on any router)');
  });
});
