// The boot script's revert of a run left pending by a reboot, run for real under dash and BusyBox's
// sh in a temporary folder (ip, tc and modprobe as logging stand-ins): a run its revert settles is
// reverted and the script starts over once; one it cannot settle must not hold up the boot.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootScript } from '../../../src/plan/persist/boot-script.js';
import { RUNS_DIR } from '../../../src/router/paths.js';

const SHELLS: Array<[string, string]> = [['dash', '/bin/dash'], ['busybox sh', '/bin/busybox sh']];

function router(shell: string, revert: string, state = 'pending') {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-boot-'));
  const bin = join(root, 'bin');
  const run = join(root, 'runs', 'r1');
  mkdirSync(bin);
  mkdirSync(run, { recursive: true });
  for (const tool of ['ip', 'tc', 'modprobe']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\n[ "$1" = -V ] && { echo "${tool} utility, iproute2-6.1.0"; exit 0; }\necho "${tool} $*" >> ${root}/calls\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  writeFileSync(join(run, 'state'), `${state}\n`);
  // The revert as the harness sees it: counted, then `revert` (what the real one would do here).
  writeFileSync(join(run, 'revert.sh'), `echo "x $*" >> ${root}/reverts\n${revert}\n`);
  const script = bootScript({ host: 'a', steps: [{ kind: 'address', dev: 'teql0', cidr: '10.9.9.1/31' }], teql: { maxEqualizers: 1 }, sysctls: [] }, new Set())
    .replaceAll(RUNS_DIR, join(root, 'runs'))
    .replace(/for d in [^;]*; do/, `for d in ${bin}; do`)
    // By its path: BusyBox's sh runs its own modprobe applet before any on PATH.
    .replace('run modprobe', `run ${bin}/modprobe`);
  const path = join(root, 'boot.sh');
  writeFileSync(path, script, { mode: 0o755 });
  const boot = () => {
    try {
      return { code: 0, stderr: execFileSync('/usr/bin/timeout', ['10', ...shell.split(' '), path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (err) {
      return { code: (err as { status: number }).status, stderr: String((err as { stderr: string }).stderr) };
    }
  };
  const count = (name: string) => {
    try {
      return readFileSync(join(root, name), 'utf8').trim().split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  const revertArgs = () => readFileSync(join(root, 'reverts'), 'utf8').split('\n').filter(Boolean).map((l) => l.slice(2));
  return { boot, revertArgs, reverts: () => count('reverts'), calls: () => count('calls'), state: () => readFileSync(join(run, 'state'), 'utf8').trim(), path };
}

describe.each(SHELLS)('the boot script, under %s', (_name, shell) => {
  it('a pending run its revert settles: reverted once, then the (restored) script runs to its end', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(1);
    expect(r.state()).toBe('reverted');
    // modprobe and the address: the configuration of the script, run once after the revert.
    expect(r.calls()).toBe(2);
  });

  it('a pending run its revert cannot settle (decided elsewhere, or a read-only disk): said, not run again and again; the boot goes on', () => {
    const r = router(shell, 'exit 0');
    const res = r.boot();
    expect(res.code, 'the boot script ends (124 is the 10 s timeout)').toBe(1);
    expect(r.reverts()).toBe(1);
    expect(r.state()).toBe('pending');
    expect(res.stderr).toMatch(/run .*r1 is still pending after its revert .*see teqlctl status/);
    expect(r.calls()).toBe(2);
  });

  it('a revert that leaves another pending run (its state rewritten to pending): the script starts over once only', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"; mkdir -p "$(dirname "$0")/../r2"; [ -f "$(dirname "$0")/../r2/state" ] || { echo pending > "$(dirname "$0")/../r2/state"; cp "$0" "$(dirname "$0")/../r2/revert.sh"; }`);
    const res = r.boot();
    expect(res.code).not.toBe(124);
    expect(r.reverts()).toBe(2);
  });

  it.each([['reverting', 'reverted'], ['rolling-back', 'rolled-back']])('a run whose undo a power cut interrupted (%s): its revert is resumed, and the script starts over once', (from, to) => {
    const r = router(shell, `[ "$1" = resume ] && echo ${to} > "$(dirname "$0")/state"`, from);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.revertArgs()).toEqual(['resume']);
    expect(r.state()).toBe(to);
    expect(r.calls()).toBe(2);
  });

  it('a resumed undo that cannot finish (an older revert.sh, a read-only disk): said with the state it stays in', () => {
    const r = router(shell, 'exit 0', 'rolling-back');
    const res = r.boot();
    expect(res.code).toBe(1);
    expect(r.reverts()).toBe(1);
    expect(res.stderr).toMatch(/run .*r1 is still rolling-back after its revert/);
  });

  it.each(['confirmed', 'reverted', 'rolled-back', 'rollback-confirmed'])('a %s run is left alone: no revert runs', (st) => {
    const r = router(shell, 'exit 0', st);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(r.state()).toBe(st);
    expect(r.calls()).toBe(2);
  });
});
