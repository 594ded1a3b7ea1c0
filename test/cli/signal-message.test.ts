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

  it('says under --check that nothing changes', () => {
    expect(signalMessage('SIGINT', { kind: 'check' })).toBe('SIGINT: stopping (--check changes nothing on any router)');
  });
});
