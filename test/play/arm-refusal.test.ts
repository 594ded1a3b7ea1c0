import { describe, expect, it } from 'vitest';
import { ROLLED_BACK_FIRST } from '../../src/deadman/arm-script.js';
import { armRefusal } from '../../src/play/arm-refusal.js';

describe('armRefusal', () => {
  it('a failed write asks about the disk', () => {
    expect(armRefusal('cannot write /var/lib/teqlctl/runs/r1/meta')).toBe('cannot arm the dead-man: cannot write /var/lib/teqlctl/runs/r1/meta (is /var/lib/teqlctl full or read-only?)');
    expect(armRefusal('cannot create /var/lib/teqlctl/runs/r1')).toMatch(/full or read-only\?\)$/);
  });

  it('empty run files (written on a full disk) ask about the disk too', () => {
    expect(armRefusal('the run files in /var/lib/teqlctl/runs/r1 are empty')).toBe('cannot arm the dead-man: the run files in /var/lib/teqlctl/runs/r1 are empty (is /var/lib/teqlctl full or read-only?)');
  });

  it('a router that cannot start a timer is said as it is, not as a disk problem', () => {
    expect(armRefusal('systemd-run could not start the timer')).toBe('cannot arm the dead-man: systemd-run could not start the timer');
    const noTimer = 'no systemd, no setsid and no start-stop-daemon on this router: the dead-man timer cannot be armed; install setsid (util-linux, or a BusyBox built with it)';
    expect(armRefusal(noTimer)).toBe(`cannot arm the dead-man: ${noTimer}`);
  });

  it('a run decided before or between phases is not a disk problem, nor an arming failure', () => {
    expect(armRefusal(ROLLED_BACK_FIRST)).toBe(ROLLED_BACK_FIRST);
    const later = 'run r1 is no longer pending here: reverted (decided by revert); nothing of this phase was applied';
    expect(armRefusal(later)).toBe(later);
    const step = 'step 0 not started: the run was decided meanwhile (its dead-man fired or a rollback claimed it), or its journal cannot be written';
    expect(armRefusal(step)).toBe(step);
  });
});
