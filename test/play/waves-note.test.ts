// The note on --forks waves against the dead-man's window (play/waves-note.ts), and that a run says it.
import { describe, expect, it } from 'vitest';
import { wavesNote } from '../../src/play/waves-note.js';
import { replayedLab } from './helpers.js';

describe('wavesNote', () => {
  it('one wave, or waves with 10 s or more of the window each: nothing to say', () => {
    expect(wavesNote(10, 10, 120)).toBeUndefined();
    expect(wavesNote(120, 10, 120)).toBeUndefined(); // 12 waves, 10 s each
    expect(wavesNote(0, 10, 120)).toBeUndefined();
  });

  it('a fleet in more waves than the window has room for: the waves, the window, and what keeps them inside', () => {
    expect(wavesNote(500, 10, 120)).toBe('500 hosts change, 10 at a time (--forks 10): 50 waves. Each host\'s dead-man (120 s) runs from its first change until every host is verified and confirmed: should the waves take more than 120 s in all (2 s each), the first hosts revert by themselves and their bundles fail. A larger --forks or --confirm-timeout, or serial: in the play (each batch confirmed before the next), keeps every wave inside the window');
    expect(wavesNote(130, 10, 120)).toMatch(/: 13 waves\. .*\(9 s each\)/);
  });
});

describe('a run in waves', () => {
  it('says the note before applying, and logs it; the run goes on as approved', async () => {
    const lab = replayedLab();
    const notes: string[] = [];
    let noteBeforeApprove = false;
    const r = await lab.run({ forks: 1, confirmTimeoutSec: 15, note: (t) => notes.push(t), approve: async () => ((noteBeforeApprove = notes.length === 1), true) });
    expect(r.exitCode).toBe(0);
    expect(notes).toEqual([expect.stringMatching(/^2 hosts change, 1 at a time \(--forks 1\): 2 waves\. Each host's dead-man \(15 s\)/)]);
    expect(noteBeforeApprove).toBe(true);
  });

  it('with every host in one wave, no note', async () => {
    const notes: string[] = [];
    const r = await replayedLab().run({ forks: 2, confirmTimeoutSec: 15, note: (t) => notes.push(t) });
    expect(r.exitCode).toBe(0);
    expect(notes).toEqual([]);
  });
});
