import { describe, expect, it } from 'vitest';
import { checkNotes, refuseSession } from '../../src/play/session-refusals.js';
import { RefusedError } from '../../src/errors.js';
import { pristineFacts } from '../helpers/facts.js';

describe('a host refused from its facts alone', () => {
  it('a session that is not root is refused before any change, saying how to become root; a --check only reads and goes on', () => {
    const facts = { ...pristineFacts(), uid: 1000 };
    expect(() => refuseSession('router_a', facts, 'r1', false)).toThrow(RefusedError);
    expect(() => refuseSession('router_a', facts, 'r1', false)).toThrow(/^router_a: the session on the router runs as uid 1000, not root: .*needs root; nothing was changed$/);
    try {
      refuseSession('router_a', facts, 'r1', false);
    } catch (err) {
      expect((err as RefusedError).hint).toMatch(/ansible_user: root.*ansible_become: true/);
    }
    expect(() => refuseSession('router_a', facts, 'r1', true)).not.toThrow();
    expect(() => refuseSession('router_a', { ...facts, uid: 0 }, 'r1', false)).not.toThrow();
    // An older teqlctl's facts (no uid): as before.
    expect(() => refuseSession('router_a', pristineFacts(), 'r1', false)).not.toThrow();
  });

  it('another run\'s lock refuses it; its own (a later batch of the same run) does not', () => {
    const lock = { run: 'r0', owner: 'op@host', started: 'now', alive: true };
    expect(() => refuseSession('router_a', { ...pristineFacts(), lock }, 'r1', false)).toThrow(/r0/);
    expect(() => refuseSession('router_a', { ...pristineFacts(), lock }, 'r0', false)).not.toThrow();
  });

  it('another run of this boot not ended (its lock removed by unlock) refuses it, even a run that would change nothing (a review: it said converged, the pending dead-man then reverted it); its own does not; --check notes it', () => {
    const openRuns = [{ run: 'r0', state: 'pending' }];
    expect(() => refuseSession('router_a', { ...pristineFacts(), openRuns }, 'r1', false)).toThrow(/^router_a: run r0 is not ended here: pending \(its dead-man may still revert it, or its undo still run, though its lock .*, then run again; nothing was changed$/);
    expect(() => refuseSession('router_a', { ...pristineFacts(), openRuns }, 'r0', false)).not.toThrow();
    expect(() => refuseSession('router_a', { ...pristineFacts(), openRuns }, 'r1', true)).not.toThrow();
    expect(checkNotes('router_a', { ...pristineFacts(), openRuns })).toMatch(/^ \(a run would be refused: run r0 is not ended here: pending /);
    // The boot script of this boot still running: its own words (no dead-man, no unlock: a review).
    const boot = [{ run: '(boot)', state: 'the boot script still runs (pid 42), maybe undoing a run a restart cut' }];
    expect(() => refuseSession('router_a', { ...pristineFacts(), openRuns: boot }, 'r1', false)).toThrow('router_a: the boot script still runs (pid 42), maybe undoing a run a restart cut: run again once it ends (a boot script waits at most 300 s for another); nothing was changed');
  });
});
