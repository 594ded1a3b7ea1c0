import { describe, expect, it } from 'vitest';
import { notLatestThere } from '../../src/play/latest-run.js';
import type { RouterRun } from '../../src/deadman/runs-script.js';

const run = (id: string, state: string, seq?: number): RouterRun => ({ id, state, started: '', confirmed: '', reverted: '', armed: false, owner: '', timeout: '', ...(seq === undefined ? {} : { seq }) });

describe('the latest confirmed run, chosen by id, against each router\'s own count', () => {
  it('passes where no router confirmed another run after it', () => {
    expect(notLatestThere('20261206T0900-b', [{ host: 'a', runs: [run('20261206T0800-a', 'confirmed', 1), run('20261206T0900-b', 'confirmed', 2)] }])).toBeUndefined();
    // A later run that did not stay confirmed (rolled back, reverted) is no rival; nor one of an older teqlctl (no count).
    expect(notLatestThere('20261206T0900-b', [{ host: 'a', runs: [run('20261206T0900-b', 'confirmed', 1), run('20261206T0700-c', 'rolled-back', 2), run('20261206T0600-d', 'confirmed')] }])).toBeUndefined();
  });

  it('refuses where a router armed and confirmed another run after it (a controller\'s clock ahead: a review)', () => {
    const why = notLatestThere('20271206T0900-ahead', [
      { host: 'a', runs: [run('20261206T0800-x', 'confirmed', 1)] },
      { host: 'b', runs: [run('20271206T0900-ahead', 'confirmed', 1), run('20261206T1000-now', 'confirmed', 2)] },
    ]);
    expect(why).toBe('run 20271206T0900-ahead is the latest confirmed run by its id, which begins with its controller\'s clock, but b armed and confirmed run 20261206T1000-now after it (the controllers\' clocks differ): which one to undo is not guessed; nothing was rolled back');
  });
});
