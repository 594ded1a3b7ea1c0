// The router-side journal scripts: each apply batch keeps its redo next to its undo, so that a later
// `teqlctl rollback` can arm a dead-man that redoes the run.
import { describe, expect, it } from 'vitest';
import { armScript, redoBatchScript } from '../../src/confirm/deadman-script.js';
import { armRollbackScript, NO_REDO_MARKER } from '../../src/confirm/runs-script.js';

describe('redo scripts', () => {
  it('an apply batch writes its redo: the steps that ran, first step first', () => {
    const script = armScript({ runId: 'r1', owner: 'me@h', batch: 0, first: true, timeoutSec: 60, summary: 's', undo: [[{ kind: 'link', dev: 'eth1', up: false }], []], redo: [{ kind: 'link', dev: 'eth1', up: true }, { kind: 'link', dev: 'eth2', up: true }] });
    expect(script).toContain('cat > /var/lib/teqlctl/runs/r1/redo-0.sh <<');
    const redo = redoBatchScript([{ kind: 'link', dev: 'eth1', up: true }, { kind: 'link', dev: 'eth2', up: true }]);
    expect(redo.indexOf('grep -qx 0 "$d/done-$b"')).toBeLessThan(redo.indexOf('grep -qx 1 "$d/done-$b"'));
    expect(redo).toContain('ip link set dev eth1 up');
  });

  it("a rollback's dead-man refuses a run without redo scripts, and its revert redoes the run and marks it confirmed again", () => {
    const s = armRollbackScript('rb1', 'me@h', 'r1', 30);
    expect(s).toContain(`echo '${NO_REDO_MARKER}'; exit 9`);
    expect(s).toMatch(/ls \$x\/redo-\*\.sh .* sort -n\); do sh \$x\/redo-\$f\.sh/);
    expect(s).toContain('echo confirmed > $x/state; rm -f $x/rolled_back_at');
    expect(s).toContain('--on-active=30');
    expect(s).toContain('echo pending > /var/lib/teqlctl/runs/rb1/state');
  });
});
