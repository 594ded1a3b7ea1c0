// The router-side journal scripts: each apply batch keeps its redo next to its undo, so that a later
// `teqlctl rollback` can arm a dead-man that redoes the run.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { armScript, heredoc } from '../../src/deadman/arm-script.js';
import { redoBatchScript } from '../../src/deadman/batch-scripts.js';
import { confirmScript } from '../../src/deadman/confirm-script.js';
import { armRollbackScript, NO_REDO_MARKER } from '../../src/deadman/runs-script.js';

describe('redo scripts', () => {
  it('an apply batch writes its redo: the steps that ran, first step first', () => {
    const script = armScript({ runId: 'r1', owner: 'me@h', batch: 0, first: true, timeoutSec: 60, summary: 's', undo: [[{ kind: 'link', dev: 'eth1', up: false }], []], redo: [{ kind: 'link', dev: 'eth1', up: true }, { kind: 'link', dev: 'eth2', up: true }] });
    expect(script).toMatch(/done > \/var\/lib\/teqlctl\/runs\/r1\/redo-0\.sh <</);
    const redo = redoBatchScript([{ kind: 'link', dev: 'eth1', up: true }, { kind: 'link', dev: 'eth2', up: true }]);
    expect(redo.indexOf('if tq_begun 0;')).toBeLessThan(redo.indexOf('if tq_begun 1;'));
    expect(redo).toContain('ip link set dev eth1 up');
  });

  it("a rollback's dead-man refuses a run without redo scripts, and its revert redoes the run and marks it confirmed again", () => {
    const s = armRollbackScript('rb1', 'me@h', 'r1', 30);
    expect(s).toContain(`echo '${NO_REDO_MARKER}'; exit 9`);
    expect(s).toContain('f=0; while [ "$f" -le "$tq_bmax" ]; do if [ -f $x/redo-$f.sh ]; then /bin/sh $x/redo-$f.sh >> "$tq_ul" 2>&1; fi');
    expect(s).toContain('echo confirmed > $x/state; rm -f $x/rolled_back_at');
    expect(s).toContain("systemd-run --quiet --unit=teqlctl-deadman-rb1 /bin/sh -c 'sleep 30; exec /bin/sh /var/lib/teqlctl/runs/rb1/revert.sh'");
    expect(s).toContain('echo pending > /var/lib/teqlctl/runs/rb1/state');
  });
});

describe('here-documents', () => {
  it('a body with a line equal to the old fixed delimiter (an interface may be named TEQLCTL_EOF) is written whole by sh and dash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-heredoc-'));
    const body = 'ip link set dev TEQLCTL_EOF up\nTEQLCTL_EOF\necho after\n';
    for (const shell of ['sh', 'dash']) {
      const file = join(dir, `${shell}.out`);
      execFileSync(shell, ['-c', heredoc(file, body)]);
      expect(readFileSync(file, 'utf8'), shell).toBe(body);
    }
  });

  it('small bodies by builtins, large ones by cat: either way written whole, backslashes, blanks and spaces kept, on dash and BusyBox', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-heredoc-'));
    const small = '  lead\tand tab\nback\\slash \\n\n\n$HOME `x` \'q\' "d"\n';
    const large = `${'x'.repeat(100)}\n`.repeat(60);
    expect(heredoc('/f', small)).not.toContain('cat >');
    expect(heredoc('/f', large)).toContain('cat >');
    for (const shell of [['dash', '-c'], ['busybox', 'sh', '-c']]) {
      for (const [name, body] of [['small', small], ['large', large]] as const) {
        const file = join(dir, `${shell[0]}-${name}.out`);
        execFileSync(shell[0]!, [...shell.slice(1), heredoc(file, body)]);
        expect(readFileSync(file, 'utf8'), `${shell[0]} ${name}`).toBe(body);
      }
      // A file that cannot be created, or a full disk (every write fails), runs the failure, as cat's did.
      for (const target of [join(dir, 'no/such/dir/f'), '/dev/full']) {
        const out = execFileSync(shell[0]!, [...shell.slice(1), `${heredoc(target, small, 'echo write-failed')}\necho next`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
        expect(out, `${shell[0]} ${target}`).toBe('write-failed\nnext\n');
      }
    }
  });

  it('the delimiter is new for each script', () => {
    const tag = (s: string) => /<<'([^']+)'/.exec(s)![1];
    expect(tag(heredoc('/f', 'x\n'))).not.toBe(tag(heredoc('/f', 'x\n')));
  });

  it('an apply batch on an interface named TEQLCTL_EOF is armed (it used to be an internal error), and its after-state is kept as it is', () => {
    const undo = [[{ kind: 'link' as const, dev: 'TEQLCTL_EOF', up: false }]];
    expect(() => armScript({ runId: 'r1', owner: 'me@h', batch: 0, first: true, timeoutSec: 60, summary: 's', undo, redo: [{ kind: 'link', dev: 'TEQLCTL_EOF', up: true }] })).not.toThrow();
    expect(confirmScript('r1', 'link TEQLCTL_EOF up mtu 1500')).toContain('\nlink TEQLCTL_EOF up mtu 1500\n');
  });
});
