// The note on --forks waves against the dead-man's window (play/waves-note.ts), and that a run says it.
import { describe, expect, it } from 'vitest';
import { wavesNote, wavesOf } from '../../src/play/waves-note.js';
import type { Change, HostPlan } from '../../src/plan/types.js';
import { replayedLab } from './helpers.js';

const change = { action: '+', resource: 'x', before: null, after: 'y', steps: [], task: 't', pos: { file: 'p.yml', line: 1, col: 1 } } as Change;
const plan = (host: string, ...phases: number[]): HostPlan => ({ host, phases: phases.map((n) => ({ changes: Array(n).fill(change), checks: [] })) });

describe('wavesOf', () => {
  it('each phase of a play goes in waves of its own: the hosts changing in it, --forks at a time', () => {
    // Phase 0: 3 hosts change (2 waves at --forks 2); phase 1 (the boot files): 2 hosts (1 wave).
    expect(wavesOf([plan('a', 1, 1), plan('b', 2, 0), plan('c', 1, 1), plan('d', 0, 0)], 2)).toBe(3);
    expect(wavesOf([plan('a', 0), plan('b', 0)], 2)).toBe(0);
    expect(wavesOf([], 2)).toBe(0);
  });
});

describe('wavesNote', () => {
  it('one wave, or waves with 10 s or more of the window each: nothing to say', () => {
    expect(wavesNote(1, 10, 120)).toBeUndefined();
    expect(wavesNote(9, 10, 120)).toBeUndefined(); // 10 s each of the 90 s before the cut
    expect(wavesNote(0, 10, 120)).toBeUndefined();
  });

  it('a run in more waves than the window has room for: the waves, the window, and what keeps them inside', () => {
    expect(wavesNote(10, 10, 120)).toMatch(/\(9 s each\)/);
    expect(wavesNote(50, 10, 120)).toBe('this run applies in 50 waves (each phase of a play, up to a ping and the boot files, by --forks 10 hosts at a time). Each host\'s dead-man (120 s) runs from its first change until every host is verified and confirmed: should the waves take more than 90 s in all (1 s each), the routers not applied by then fail, their bundles with them, where that lets those applied keep 30 s of their windows to verify and confirm. A larger --forks or --confirm-timeout, or serial: in the play (each batch confirmed before the next), keeps every wave inside the window');
    expect(wavesNote(13, 10, 120, 3)).toMatch(/^this run applies in 13 waves over this run's 3 plays so far .*\(6 s each\)/);
  });
});

describe('a run in waves', () => {
  it('says the note before applying, and logs it; the run goes on as approved', async () => {
    const lab = replayedLab();
    const notes: string[] = [];
    let noteBeforeApprove = false;
    const r = await lab.run({ forks: 1, confirmTimeoutSec: 15, note: (t) => notes.push(t), approve: async () => ((noteBeforeApprove = notes.length === 1), true) });
    expect(r.exitCode).toBe(0);
    expect(notes).toEqual([expect.stringMatching(/^this run applies in 2 waves \(.*--forks 1 .*\)\. Each host's dead-man \(15 s\)/)]);
    expect(noteBeforeApprove).toBe(true);
  });

  it('with every host in one wave, no note', async () => {
    const notes: string[] = [];
    const r = await replayedLab().run({ forks: 2, confirmTimeoutSec: 15, note: (t) => notes.push(t) });
    expect(r.exitCode).toBe(0);
    expect(notes).toEqual([]);
  });
});
