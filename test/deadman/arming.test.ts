// Arming checked for real, under dash and BusyBox's sh: a run folder that cannot be created or a
// run file that cannot be written (a full or read-only /var) stops the script before its first
// step, says what failed, and leaves no run folder and no lock behind.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { armScript, begunLine, ROLLED_BACK_FIRST } from '../../src/deadman/arm-script.js';
import { rollbackScript } from '../../src/deadman/rollback-script.js';
import { stepsScript } from '../../src/apply/script.js';
import { ARM_FAILED_MARKER, STEP_MARKER } from '../../src/router/markers.js';
import { LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { ARM_SEQ_FILE } from '../../src/router/arm-order.js';
import type { Op } from '../../src/plan/ops.js';

const SHELLS: Array<[string, string]> = [['dash', '/bin/dash'], ['busybox sh', '/bin/busybox']];
const op = { kind: 'sysctl', name: 'net.ipv4.conf.all.rp_filter', value: '0' } as unknown as Op;

function applyScript(runs: string, lock: string, broken: (script: string) => string): string {
  const before = armScript({ runId: 'r1', owner: 'op@host', batch: 0, first: true, undo: [[op]], timeoutSec: 3600, summary: '1 change(s)', redo: [op] });
  // No timer is started here: the test stops before it, or replaces systemd-run/setsid with true.
  const script = stepsScript([{ kind: 'file-remove', path: '/nonexistent/teqlctl-test' } as unknown as Op], { before, onBegin: (i) => begunLine('r1', 0, i) });
  return broken(script.replaceAll(RUNS_DIR, runs).replaceAll(ARM_SEQ_FILE, `${runs}-arm-seq`).replaceAll(LOCK_DIR, lock));
}

function run(shell: string, script: string): { code: number; stdout: string; stderr: string } {
  const args = shell.endsWith('busybox') ? ['sh', '-c', script] : ['-c', script];
  const r = spawnSync(shell, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Batch 1 of run r1 under `root`, whose check before the lock still reads `pending` (a `cat` on PATH
 * that answers so for the state) while the state file says otherwise: the moment a revert decides
 * or ends between that check and the lock. A harmless step: nothing on this machine changes.
 */
function laterBatchSeeingPending(shell: string, root: string): { code: number; stdout: string; stderr: string } {
  const runs = join(root, 'runs');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'cat'), `#!/bin/sh\ncase "$1" in */r1/state) echo pending;; *) exec /bin/cat "$@";; esac\n`, { mode: 0o755 });
  const before = armScript({ runId: 'r1', owner: 'op@host', batch: 1, first: false, undo: [[op]], timeoutSec: 3600, summary: '1 change(s)', redo: [op] });
  const harmless = { kind: 'file-remove', path: '/nonexistent/teqlctl-test' } as unknown as Op;
  const script = stepsScript([harmless], { before, onBegin: (i) => begunLine('r1', 1, i) }).replaceAll(RUNS_DIR, runs).replaceAll(ARM_SEQ_FILE, `${runs}-arm-seq`).replaceAll(LOCK_DIR, join(root, 'lock'));
  return run(shell, `PATH=${bin}:$PATH\n${script}`);
}

describe.each(SHELLS)('arming under %s', (_name, shell) => {
  it('a run folder that cannot be created: refused before the first step, the lock freed', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    // /proc refuses mkdir even to root, as a read-only /var would.
    const r = run(shell, applyScript('/proc/teqlctl-test-runs', join(root, 'lock'), (s) => s));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${ARM_FAILED_MARKER} cannot create /proc/teqlctl-test-runs/r1`);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(existsSync(join(root, 'lock'))).toBe(false);
  });

  it.each(['revert.sh', 'state', 'meta', 'undo-0.sh'])('a full disk when writing %s: refused before the first step, nothing left behind', (file) => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    mkdirSync(join(root, 'runs'));
    const runs = join(root, 'runs');
    // Writing to /dev/full fails with ENOSPC, as a write to a full /var does.
    const r = run(shell, applyScript(runs, join(root, 'lock'), (s) => s.replaceAll(`> ${runs}/r1/${file}`, '> /dev/full')));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(ARM_FAILED_MARKER);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(readdirSync(runs)).toEqual([]);
    expect(existsSync(join(root, 'lock'))).toBe(false);
  });

  it('no systemd, no setsid and no start-stop-daemon: refused before the first step, nothing left behind', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    const runs = join(root, 'runs');
    mkdirSync(runs);
    // The router's commands as such a router has them: systemd-run, setsid and start-stop-daemon
    // unknown to `command -v` (renamed), every other line as it is.
    const r = run(shell, applyScript(runs, join(root, 'lock'), (s) => s.replaceAll('command -v systemd-run', 'command -v teqlctl-test-no-systemd-run').replaceAll('command -v setsid', 'command -v teqlctl-test-no-setsid').replaceAll('command -v start-stop-daemon', 'command -v teqlctl-test-no-ssd')));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${ARM_FAILED_MARKER} no systemd, no setsid and no start-stop-daemon on this router: the dead-man timer cannot be armed`);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(readdirSync(runs)).toEqual([]);
    expect(existsSync(join(root, 'lock'))).toBe(false);
  });

  it('a first arm whose session ends between its lock and its timer (HUP: the link lost; TERM: the bound) runs on to its end: here, a router without a timer, refused with nothing left behind', () => {
    for (const signal of ['HUP', 'TERM']) {
      const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
      const runs = join(root, 'runs');
      mkdirSync(runs);
      const r = run(shell, applyScript(runs, join(root, 'lock'), (s) => s.replace('set -C; { echo pending', () => `kill -${signal} $$; set -C; { echo pending`).replaceAll('command -v systemd-run', 'command -v teqlctl-test-no-systemd-run').replaceAll('command -v setsid', 'command -v teqlctl-test-no-setsid').replaceAll('command -v start-stop-daemon', 'command -v teqlctl-test-no-ssd')));
      expect(r.stdout, signal).toContain(`${ARM_FAILED_MARKER} no systemd, no setsid and no start-stop-daemon on this router`);
      expect(readdirSync(runs), signal).toEqual([]);
      expect(existsSync(join(root, 'lock')), signal).toBe(false);
    }
  });

  it('a signal just as the sleeper starts (HUP, TERM): the arm runs on and records its timer; the sleeper itself does not ignore the confirmation\'s TERM (a review: the trap was lifted a few lines early)', () => {
    for (const signal of ['HUP', 'TERM']) {
      const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
      const runs = join(root, 'runs');
      mkdirSync(runs);
      const script = applyScript(runs, join(root, 'lock'), (s) => s.replaceAll('command -v systemd-run', 'command -v teqlctl-test-no-systemd-run').replace('  if command -v setsid', () => `  kill -${signal} $$\n  if command -v setsid`));
      const r = run(shell, script);
      const timer = readFileSync(join(runs, 'r1', 'timer'), 'utf8');
      // The sleeper writes its sleep's pid once it runs.
      for (let i = 0; i < 50 && !existsSync(join(runs, 'r1', 'sleeper')); i++) spawnSync('sleep', ['0.1']);
      const sleep = readFileSync(join(runs, 'r1', 'sleeper'), 'utf8').trim();
      try {
        expect(r.stdout, signal).toContain(`${STEP_MARKER} 0 0`);
        expect(timer, signal).toMatch(/^pid \d+ \d+\n$/);
        expect(readFileSync(join(runs, 'r1', 'state'), 'utf8'), signal).toBe('pending\n');
        // SigIgn of the sleeper's sleep: TERM (bit 15) and HUP (bit 1) at their default actions.
        const ignored = BigInt(`0x${/SigIgn:\s*([0-9a-f]+)/.exec(readFileSync(`/proc/${sleep}/status`, 'utf8'))![1]}`);
        expect(ignored & (1n << 14n), `${signal}: TERM ignored by the sleeper`).toBe(0n);
        expect(ignored & 1n, `${signal}: HUP ignored by the sleeper`).toBe(0n);
      } finally {
        spawnSync('kill', [/^pid (\d+)/.exec(timer)![1]!, sleep]);
      }
    }
  });

  it('a later phase of a run whose dead-man already fired changes nothing and takes no lock', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    const runs = join(root, 'runs');
    mkdirSync(join(runs, 'r1', 'decided'), { recursive: true });
    writeFileSync(join(runs, 'r1', 'state'), 'reverted\n');
    writeFileSync(join(runs, 'r1', 'decided', 'by'), 'revert\n');
    const before = armScript({ runId: 'r1', owner: 'op@host', batch: 1, first: false, undo: [[op]], timeoutSec: 3600, summary: '1 change(s)', redo: [op] });
    // A harmless step (a file that is not there): were the guard to fail, nothing on this machine changes.
    const harmless = { kind: 'file-remove', path: '/nonexistent/teqlctl-test' } as unknown as Op;
    const script = stepsScript([harmless], { before, onBegin: (i) => begunLine('r1', 1, i) }).replaceAll(RUNS_DIR, runs).replaceAll(ARM_SEQ_FILE, `${runs}-arm-seq`).replaceAll(LOCK_DIR, join(root, 'lock'));
    const r = run(shell, script);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${ARM_FAILED_MARKER} run r1 is no longer pending here: reverted (decided by revert)`);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(existsSync(join(root, 'lock'))).toBe(false);
    expect(existsSync(join(runs, 'r1', 'undo-1.sh'))).toBe(false);
  });

  it('a later phase whose dead-man fires between its pending check and its lock frees the lock it took anew, and changes nothing', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    const runs = join(root, 'runs');
    mkdirSync(join(runs, 'r1'), { recursive: true });
    // The revert ended (state recorded, lock freed) just after the check before the lock read
    // `pending`: a `cat` that still answers pending for the state stands in for that moment.
    writeFileSync(join(runs, 'r1', 'state'), 'reverted\n');
    const r = laterBatchSeeingPending(shell, root);
    expect(r.code).toBe(3);
    // BusyBox's sh runs its own cat applet whatever PATH says: there the check before the lock
    // sees the revert already (the race cannot be staged), and the outcome must be the same.
    const checkedUnderLock = `${ARM_FAILED_MARKER} run r1 is no longer pending here: reverted; nothing of this phase was applied`;
    if (shell === '/bin/dash') expect(r.stdout).toContain(checkedUnderLock);
    else expect(r.stdout).toContain(`${ARM_FAILED_MARKER} run r1 is no longer pending here: reverted`);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(existsSync(join(root, 'lock'))).toBe(false);
  });

  it('a later phase whose dead-man decides between its pending check and its lock leaves the lock to the revert still undoing', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    const runs = join(root, 'runs');
    // Decided and undoing (its decided/ left out: the check before the lock tests it with a
    // builtin, and a `cat` that still answers pending stages the moment before the decision).
    mkdirSync(join(runs, 'r1'), { recursive: true });
    writeFileSync(join(runs, 'r1', 'state'), 'reverting\n');
    // The run's own lock, which the revert frees once its undo is done.
    mkdirSync(join(root, 'lock'));
    writeFileSync(join(root, 'lock', 'owner'), 'run=r1\nowner=op@host\n');
    const r = laterBatchSeeingPending(shell, root);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${ARM_FAILED_MARKER} run r1 is no longer pending here: reverting`);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(readFileSync(join(root, 'lock', 'owner'), 'utf8')).toContain('run=r1');
  });

  // With 31 older runs, the prune of old records (prune-runs.ts) runs first in the same arm: it must
  // leave the rollback's mark alone (a review: it took it for an old rolled-back run, and the apply armed).
  it.each([0, 31])("teqlctl's rollback reaches the router before the first apply (a signal just after it was sent): the apply arms nothing and changes nothing (%i older runs there)", (older) => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    const runs = join(root, 'runs');
    const local = (x: string) => x.replaceAll(RUNS_DIR, runs).replaceAll(ARM_SEQ_FILE, `${runs}-arm-seq`).replaceAll(LOCK_DIR, join(root, 'lock'));
    for (let i = 1; i <= older; i++) {
      mkdirSync(join(runs, `old${String(i).padStart(2, '0')}`), { recursive: true });
      writeFileSync(join(runs, `old${String(i).padStart(2, '0')}`, 'meta'), `seq=${i}\n`);
      writeFileSync(join(runs, `old${String(i).padStart(2, '0')}`, 'state'), 'rolled-back\n');
    }
    // The rollback finds no run (the runs folder not even made yet): it leaves the run decided.
    const rolled = run(shell, local(rollbackScript('r1', { then: 'echo FACTS' })));
    expect(rolled.stdout).toContain('FACTS');
    expect(readFileSync(join(runs, 'r1', 'state'), 'utf8').trim()).toBe('rolled-back');
    expect(existsSync(join(runs, 'r1', 'decided', 'rollback'))).toBe(true);
    const r = run(shell, applyScript(runs, join(root, 'lock'), (x) => x));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${ARM_FAILED_MARKER} ${ROLLED_BACK_FIRST}`);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(readdirSync(join(runs, 'r1')).sort()).toEqual(['decided', 'state']);
    expect(readFileSync(join(runs, 'r1', 'state'), 'utf8').trim()).toBe('rolled-back');
    expect(existsSync(join(root, 'lock'))).toBe(false);
    // 32 folders: the 12 oldest of the others pruned, down to 20 (r1 among them).
    expect(readdirSync(runs).filter((n) => n.startsWith('old'))).toHaveLength(older === 0 ? 0 : 19);
  });

  it('a rollback that decides the run while the first apply arms (after its folder, before its state): the apply does not write pending over it, arms no timer, runs no step', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    const runs = join(root, 'runs');
    mkdirSync(runs);
    // The rollback's decision and state, made at that very moment (its stop of the apply aside).
    const r = run(shell, applyScript(runs, join(root, 'lock'), (x) => x.replace('set -C; {', `mkdir ${runs}/r1/decided; echo rolling-back > ${runs}/r1/state; set -C; {`)));
    expect(r.code).toBe(3);
    expect(r.stdout).toContain(`${ARM_FAILED_MARKER} ${ROLLED_BACK_FIRST}`);
    // What the user sees is that sentence, not the shell's own complaint about the state file.
    expect(r.stderr).not.toMatch(/exists/i);
    expect(r.stdout).not.toContain(STEP_MARKER);
    expect(readFileSync(join(runs, 'r1', 'state'), 'utf8').trim()).toBe('rolling-back');
    expect(existsSync(join(runs, 'r1', 'timer'))).toBe(false);
    expect(existsSync(join(root, 'lock'))).toBe(false);
  });
});
