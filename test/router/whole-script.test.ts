// A confirmation cut off half-way by a lost connection, as `sh -s` gets it over SSH: nothing of it
// runs (the run stays undecided, its timer armed), where line by line it had decided the run and
// stopped the timer without recording anything. Run under dash and BusyBox's sh.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { confirmScript } from '../../src/deadman/confirm-script.js';
import { LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { wholeScript } from '../../src/router/whole-script.js';

const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-s']], ['busybox sh', ['/bin/busybox', 'sh', '-s']]];

function router() {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-whole-'));
  const run = join(root, 'runs', 'r1');
  mkdirSync(run, { recursive: true });
  writeFileSync(join(run, 'state'), 'pending\n');
  // A sleeper's pid that no process has: the disarm's kill finds nothing.
  writeFileSync(join(run, 'timer'), 'pid 2147483646\n');
  // A state of ~40 KiB (a router with a few hundred routes): more than one SSH channel packet.
  const after = Array.from({ length: 800 }, (_, i) => `route 10.${i >> 8}.${i & 255}.0/24 via 192.0.2.1 dev eth0 metric 0`).join('\n');
  const script = confirmScript('r1', after).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(LOCK_DIR, join(root, 'lock'));
  const sh = (shell: string[], stdin: string) => {
    try {
      return { code: 0, out: execFileSync(shell[0]!, shell.slice(1), { input: stdin, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] }) };
    } catch (err) {
      return { code: (err as { status: number }).status, out: String((err as { stdout: string }).stdout) };
    }
  };
  return { run, script, sh, state: () => readFileSync(join(run, 'state'), 'utf8').trim() };
}

describe('wholeScript', () => {
  it('is the script inside one compound command, its last line ended', () => {
    expect(wholeScript('a\nb')).toBe('{\na\nb\n}\n');
    expect(wholeScript('a\n')).toBe('{\na\n}\n');
  });
});

describe.each(SHELLS)('a confirmation over a connection lost half-way, under %s', (_name, shell) => {
  it('cut short: nothing runs, the run stays pending and undecided, for its timer to revert', () => {
    const r = router();
    expect(r.script.length).toBeGreaterThan(32 * 1024);
    const cut = r.sh(shell, r.script.slice(0, 4000));
    expect(cut.code).not.toBe(0);
    expect(cut.out).not.toContain('@@teqlctl-confirm');
    expect(existsSync(join(r.run, 'decided'))).toBe(false);
    expect(r.state()).toBe('pending');
  });

  it('whole: confirmed, its state recorded', () => {
    const r = router();
    const res = r.sh(shell, r.script);
    expect(res.out).toContain('@@teqlctl-confirm ok');
    expect(r.state()).toBe('confirmed');
    expect(readFileSync(join(r.run, 'after-state'), 'utf8')).toContain('route 10.3.31.0/24 via 192.0.2.1');
  });
});
