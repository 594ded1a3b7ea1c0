// A login shell's rc file may print before a script does (`echo Welcome` in a .bashrc): the answers
// read by their first line are found at the start of any line. A stale plan read as an apply that
// ended early, a held lock as an unreadable answer (a review).
import { describe, expect, it } from 'vitest';
import { fromMarkerLine } from '../../src/router/markers.js';
import { lockHeldBy, lockUnusable } from '../../src/router/lock.js';
import { readApply } from '../../src/play/apply-result.js';

const NOISE = ['', 'Welcome to router a\n', 'Last login: Sat Dec  5 16:02 from 192.0.2.9\n'];

describe('answers read by their first line, after what a login shell printed', () => {
  it.each(NOISE)('noise %j: the held lock, the unusable lock and the stale plan are read as such', (noise) => {
    expect(lockHeldBy(`${noise}@@teqlctl-lock held\nrun=r1\nowner=op@ctl\n`)).toBe('run=r1 owner=op@ctl');
    expect(lockUnusable(`${noise}@@teqlctl-lock unusable\nmkdir: cannot create directory '/run/teqlctl.lock': No space left on device\n`)).toMatch(/^cannot take teqlctl's lock .*No space left on device; nothing was changed/);
    expect(readApply('a', 0, [], [], { code: 3, stdout: `${noise}@@teqlctl-stale 0123abcd\n`, stderr: '' })).toEqual({ entries: [], stale: true });
  });

  it('a marker inside a line is not one', () => {
    expect(fromMarkerLine('say @@teqlctl-stale x\n', '@@teqlctl-stale')).toBeUndefined();
    expect(fromMarkerLine('a\n@@teqlctl-stale x\nb\n', '@@teqlctl-stale')).toBe('@@teqlctl-stale x\nb\n');
  });
});
