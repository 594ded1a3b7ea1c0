import { describe, expect, it } from 'vitest';
import { armScript, begunLine, revertScript } from '../../src/deadman/arm-script.js';
import { undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { RESUMABLE_MARK } from '../../src/router/markers.js';
import type { Op } from '../../src/plan/ops.js';

const link = (dev: string, up: boolean) => ({ kind: 'link', dev, up }) as unknown as Op;
const arm = (batch: number) => armScript({ runId: 'r1', owner: 'op@host', batch, first: batch === 0, undo: [[link('eth1', false)], [link('eth2', false)]], timeoutSec: 90, summary: '2 change(s)', redo: [link('eth1', true), link('eth2', true)] });

describe('arming the dead-man', () => {
  it('takes the lock before writing anything', () => {
    const script = arm(0);
    expect(script.indexOf('mkdir /run/teqlctl.lock')).toBeGreaterThan(-1);
    expect(script.indexOf('mkdir /run/teqlctl.lock')).toBeLessThan(script.indexOf('mkdir -m 700 /var/lib/teqlctl/runs/r1'));
    expect(script.indexOf('mkdir -m 700 /var/lib/teqlctl/runs/r1')).toBeGreaterThan(-1);
  });

  it('arms the timer, writes the revert and marks the run pending on the first batch only', () => {
    const first = arm(0);
    // A service that sleeps, not a transient timer: before systemd 254 a daemon-reload restarted an OnActiveSec countdown.
    expect(first).toContain("systemd-run --quiet --unit=teqlctl-deadman-r1 /bin/sh -c 'sleep 90; exec /bin/sh /var/lib/teqlctl/runs/r1/revert.sh'");
    expect(first).not.toContain('--on-active');
    expect(first).toContain("setsid /bin/sh -c 'sleep 90 & echo $! > /var/lib/teqlctl/runs/r1/sleeper; wait; exec /bin/sh /var/lib/teqlctl/runs/r1/revert.sh'");
    expect(first).toContain('echo pending > /var/lib/teqlctl/runs/r1/state');
    expect(first).toContain('/var/lib/teqlctl/runs/r1/undo-0.sh');
    const second = arm(1);
    expect(second).not.toContain('systemd-run');
    expect(second).not.toContain('revert.sh');
    expect(second).toContain('/var/lib/teqlctl/runs/r1/undo-1.sh');
    expect(second).toContain('true > /var/lib/teqlctl/runs/r1/begun-1');
  });

  it('writes the reserve\'s inodes with its bytes, and room of a batch\'s own where its undo writes back a file larger than the reserve holds', () => {
    expect(arm(0)).toMatch(/for tq_i in 1 2 3 4 5 6 7 8; do true 2>\/dev\/null > \/var\/lib\/teqlctl\/runs\/r1\/reserve\.\$tq_i/);
    expect(arm(1)).not.toContain('reserve.b1');
    const big = (n: number) => armScript({ runId: 'r1', owner: 'o', batch: 1, first: false, undo: [[{ kind: 'file-write', path: '/etc/teqlctl/boot.sh', content: 'x'.repeat(n), executable: true }]], timeoutSec: 90, summary: '', redo: [] });
    expect(big(8 * 1024)).not.toContain('reserve.b1');
    expect(big(60 * 1024)).toMatch(/while \[ \$tq_i -lt 64 \]; do .* > \/var\/lib\/teqlctl\/runs\/r1\/reserve\.b1/);
  });

  it('refuses a run id that could reach the shell unquoted', () => {
    expect(() => armScript({ runId: 'r1;reboot', owner: 'o', batch: 0, first: true, undo: [], timeoutSec: 10, summary: '', redo: [] })).toThrow(/unsafe run id/);
  });
});

describe('the undo of a batch', () => {
  it('undoes only the steps recorded as begun, last step first', () => {
    const script = undoBatchScript([[link('eth1', false)], [], [link('eth3', false)]]);
    expect(script.indexOf('if tq_begun 2;')).toBeLessThan(script.indexOf('if tq_begun 0;'));
    expect(script).not.toContain('tq_begun 1'); // a step without an inverse has nothing to guard
    expect(script).toContain('ip link set dev eth3 down');
  });

  it('records each step before it runs (write-ahead), so the revert knows every step that may have run', () => {
    expect(begunLine('r1', 2, 5)).toBe('{ [ ! -d /var/lib/teqlctl/runs/r1/decided ] && echo 5 >> /var/lib/teqlctl/runs/r1/begun-2 && { sync -f /var/lib/teqlctl/runs/r1/begun-2 2>/dev/null || sync; }; }');
    // A step on the running kernel only: recorded, not synced (a crash resets that step too).
    expect(begunLine('r1', 2, 5, false)).toBe('{ [ ! -d /var/lib/teqlctl/runs/r1/decided ] && echo 5 >> /var/lib/teqlctl/runs/r1/begun-2; }');
    // Later steps journaled ahead with this one, one line each, in the same flushed record.
    expect(begunLine('r1', 2, 5, true, [7, 9])).toBe("{ [ ! -d /var/lib/teqlctl/runs/r1/decided ] && printf '%s\\n' 5 7 9 >> /var/lib/teqlctl/runs/r1/begun-2 && { sync -f /var/lib/teqlctl/runs/r1/begun-2 2>/dev/null || sync; }; }");
  });
});

describe('the revert', () => {
  it('runs only while the run is pending, every batch newest first, then frees the lock of its own run', () => {
    const script = revertScript('r1');
    expect(script).toContain(`case "$(cat $d/state 2>/dev/null)" in pending|'') ;; *) exit 0;; esac`);
    expect(script).toContain('f=$tq_bmax; while [ "$f" -ge 0 ]');
    expect(script).toContain("grep -qx 'run=r1' /run/teqlctl.lock/owner 2>/dev/null && rm -rf /run/teqlctl.lock");
    expect(script.indexOf('echo reverting')).toBeLessThan(script.indexOf('echo $final >'));
    // What `resume` does (an undo a power cut interrupted), run for real: state-machine.test.ts.
    expect(script).toContain('reverting) final=reverted; log=revert.log;;');
    // The boot script resumes only a revert.sh with this line (boot-script.test.ts).
    expect(script.split('\n')).toContain(RESUMABLE_MARK);
    // At boot (resume, boot) the recorded applier pid is the previous boot's: never signalled.
    expect(script).toContain('if [ "$mode" != resume ] && [ "$mode" != boot ]; then');
  });
});
