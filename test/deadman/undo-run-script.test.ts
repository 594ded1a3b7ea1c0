// `teqlctl rollback --run`'s undo against its own dead-man (whose revert redoes the run), for real
// under dash and BusyBox sh, on a router's run files in a temporary folder: the two never interleave.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redoBatchScript, undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { armRollbackScript, parseRuns, runsScript } from '../../src/deadman/runs-script.js';
import { confirmScript } from '../../src/deadman/confirm-script.js';
import { ROLLBACK_DECIDED_MARKER, undoRunScript } from '../../src/deadman/undo-run-script.js';
import { BOOT_DIR, BOOT_ID_FILE, BOOT_SCRIPT, BOOT_UNIT, BOOT_UNIT_WANTS, LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { RETIRING_MARK } from '../../src/router/markers.js';
import { OPEN_RUN_MARKER, refuseOpenRunLines } from '../../src/router/open-runs.js';
import { retiringScript } from '../../src/plan/persist/retiring-script.js';
import { ARM_SEQ_FILE } from '../../src/router/arm-order.js';
import type { Op } from '../../src/plan/ops.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash']], ['busybox sh', ['/bin/busybox', 'sh']]];
const RUN = 'r1';
const RB = 'r1-rollback';

/** A confirmed run of two file steps, its undo of step 1 taking `slowSec` (a slow ip or tc). */
function router(slowSec: number) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-undo-run-'));
  for (const d of ['runs', 'etc', 'run']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'boot-id'), 'this-boot\n');
  const local = (s: string) => s.replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'run/lock')).replaceAll(BOOT_ID_FILE, join(root, 'boot-id')).replaceAll('/run/systemd/system', join(root, 'no-systemd'));
  const dir = join(root, 'runs', RUN);
  mkdirSync(dir);
  const ops: Op[] = [0, 1].map((i) => ({ kind: 'file-write', path: join(root, 'etc', `step${i}`), content: `${i}\n`, executable: false }));
  const undo = undoBatchScript(ops.map((op) => [{ kind: 'file-remove', path: (op as { path: string }).path }])).replace('if tq_begun 0', `sleep ${slowSec}\nif tq_begun 0`);
  writeFileSync(join(dir, 'undo-0.sh'), local(undo));
  writeFileSync(join(dir, 'redo-0.sh'), local(redoBatchScript(ops)));
  writeFileSync(join(dir, 'begun-0'), '0\n1\n');
  writeFileSync(join(dir, 'state'), 'confirmed\n');
  for (const i of [0, 1]) writeFileSync(join(root, 'etc', `step${i}`), `${i}\n`);
  mkdirSync(join(root, 'run/lock'));
  writeFileSync(join(root, 'run/lock/owner'), `run=${RB}\n`);
  // In a process group of its own, as a router's SSH session is: the redo stops the undo's group.
  const sh = (shell: string[], script: string) =>
    new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(shell[0]!, [...shell.slice(1), '-c', local(script)], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.on('close', (code) => resolve({ code, stdout }));
    });
  const steps = () => [0, 1].filter((i) => existsSync(join(root, 'etc', `step${i}`)));
  const state = (id: string) => readFileSync(join(root, 'runs', id, 'state'), 'utf8').trim();
  return { sh, steps, state, root };
}

describe.each(SHELLS)('the rollback\'s undo and its dead-man, under %s', (_name, shell) => {
  it('a counter of armed runs that cannot be written: the rollback arms nothing (exit 3, its folder gone) and changes nothing (a review)', async () => {
    const r = router(0);
    mkdirSync(join(r.root, 'arm-seq'));
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30))).code).toBe(3);
    expect(existsSync(join(r.root, 'runs', RB))).toBe(false);
    expect(r.state(RUN)).toBe('confirmed');
    expect(r.steps()).toEqual([0, 1]);
  });

  it('a signal between the rollback\'s pending state and its timer (TERM: the round trip\'s bound; HUP: the link): the arm runs on and its timer is recorded, never a rollback pending with no timer (a review)', async () => {
    for (const signal of ['TERM', 'HUP']) {
      const r = router(0);
      const script = armRollbackScript(RB, 'me@h', RUN, 3600).replace(`echo pending > ${RUNS_DIR}/${RB}/state`, () => `kill -${signal} $$; echo pending > ${RUNS_DIR}/${RB}/state`);
      expect(script).toContain(`kill -${signal} $$`);
      const res = await r.sh(shell, script);
      const timer = readFileSync(join(r.root, 'runs', RB, 'timer'), 'utf8');
      try {
        expect(res.code, signal).toBe(0);
        expect(r.state(RB), signal).toBe('pending');
        expect(timer, signal).toMatch(/^pid \d+ \d+\n$/);
      } finally {
        // The sleeper writes its sleep's pid once it runs: waited for, so that no sleep is left.
        const sleeper = join(r.root, 'runs', RB, 'sleeper');
        for (let i = 0; i < 50 && !existsSync(sleeper); i++) await sleep(100);
        spawnSync('kill', [/^pid (\d+)/.exec(timer)![1]!, readFileSync(sleeper, 'utf8').trim()]);
      }
    }
  });

  it('without a dead-man of its own (--force, no redo scripts), the run reads rolling-back while undone: a new run is refused as beneath an open one, not let in by an unlock (a review)', async () => {
    const r = router(2);
    writeFileSync(join(r.root, 'runs', RUN, 'meta'), `run=${RUN}\nowner=o\nboot=this-boot\n`);
    const undo = r.sh(shell, undoRunScript(RUN, RB));
    for (let i = 0; i < 50 && r.state(RUN) !== 'rolling-back'; i++) await sleep(50);
    expect(r.state(RUN)).toBe('rolling-back');
    const other = await r.sh(shell, refuseOpenRunLines('r2', 'echo RELEASED'));
    expect(other.code).toBe(3);
    expect(other.stdout).toContain(`${OPEN_RUN_MARKER} run ${RUN} is not ended here: rolling-back`);
    expect((await undo).code).toBe(0);
    expect([r.state(RUN), r.steps()]).toEqual(['rolled-back', []]);
  });

  it('a dead-man that fires while the undo runs stops it, then redoes the run whole: the router ends as the run left it, never half', async () => {
    const r = router(3);
    // The rollback's dead-man, armed for 1 s (no systemd here: the detached sleeper).
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 1))).code).toBe(0);
    const undo = await r.sh(shell, undoRunScript(RUN, RB));
    // Stopped by the redo (SIGTERM) or refused after it: in both, no rolled-back state is written.
    expect(undo.code).not.toBe(0);
    for (let i = 0; i < 50 && r.state(RB) !== 'reverted'; i++) await sleep(100);
    expect(r.state(RB)).toBe('reverted');
    expect(r.state(RUN)).toBe('confirmed');
    expect(r.steps()).toEqual([0, 1]);
  });

  it('a dead-man that fires between the undo\'s record of itself and its check stops it all the same: never an undo after the redo', async () => {
    const r = router(0);
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 1))).code).toBe(0);
    // Held 2 s between the two first lines of its guard, the record and the check (a slow scheduler).
    const script = undoRunScript(RUN, RB).replace(/(if \[ -d \S+ \]; then\n[^\n]*\n)/, '$1  sleep 2\n');
    expect(script).toMatch(/then\n[^\n]*\n  sleep 2\n/);
    const undo = await r.sh(shell, script);
    expect(undo.code).not.toBe(0);
    for (let i = 0; i < 50 && r.state(RB) !== 'reverted'; i++) await sleep(100);
    await sleep(300);
    expect(r.state(RB)).toBe('reverted');
    expect(r.state(RUN)).toBe('confirmed');
    expect(r.steps()).toEqual([0, 1]);
  });

  it('the rollback\'s confirmation killed (SIGKILL) between its decision and its records: its dead-man, still armed, takes the rollback over and redoes the run (a review found it pending, its lock held)', { timeout: 30_000 }, async () => {
    const r = router(0);
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 3))).code).toBe(0);
    expect((await r.sh(shell, undoRunScript(RUN, RB))).code).toBe(0);
    expect(r.steps()).toEqual([]);
    const mk = `mkdir ${RUNS_DIR}/${RB}/records`;
    const killed = confirmScript(RB, 'x', 'rollback-confirmed').replace(mk, () => `kill -KILL $$; ${mk}`);
    expect(killed).toContain('kill -KILL $$');
    await r.sh(shell, killed);
    expect(r.state(RB)).toBe('pending');
    // The revert frees the lock just after it records `reverted`: both waited for.
    for (let i = 0; i < 150 && (r.state(RB) !== 'reverted' || existsSync(join(r.root, 'run/lock'))); i++) await sleep(100);
    expect(r.state(RB)).toBe('reverted');
    expect(r.state(RUN)).toBe('confirmed');
    expect(r.steps()).toEqual([0, 1]);
    expect(existsSync(join(r.root, 'run/lock'))).toBe(false);
  });

  it('an undo that starts after the dead-man decided undoes nothing and says so', async () => {
    const r = router(0);
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 1))).code).toBe(0);
    for (let i = 0; i < 50 && r.state(RB) !== 'reverted'; i++) await sleep(100);
    const undo = await r.sh(shell, undoRunScript(RUN, RB));
    expect(undo.code).toBe(3);
    expect(undo.stdout).toContain(`${ROLLBACK_DECIDED_MARKER} reverted`);
    expect(r.steps()).toEqual([0, 1]);
    expect(r.state(RUN)).toBe('confirmed');
  });

  it('an undo inside the dead-man\'s time rolls the run back and leaves no applier record', async () => {
    const r = router(0);
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30))).code).toBe(0);
    const undo = await r.sh(shell, undoRunScript(RUN, RB));
    expect(undo.code).toBe(0);
    expect(r.steps()).toEqual([]);
    expect(r.state(RUN)).toBe('rolled-back');
    expect(r.state(RB)).toBe('pending');
    expect(existsSync(join(r.root, 'runs', RB, 'applier'))).toBe(false);
    expect(existsSync(join(r.root, 'runs', RUN, 'undo_failed_at'))).toBe(false);
    // The sleeper of 30 s is left to end by itself: the revert it would run finds the run decided
    // only once confirmed; here the test's folder is simply dropped with it.
    await r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('an undo with a failed step records it before its state, so that a rollback whose answer was lost reads it over a fresh connection (a review)', async () => {
    const r = router(0);
    const undo0 = join(r.root, 'runs', RUN, 'undo-0.sh');
    writeFileSync(undo0, `${readFileSync(undo0, 'utf8')}\nexit 1\n`);
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30))).code).toBe(0);
    const undo = await r.sh(shell, undoRunScript(RUN, RB));
    expect(undo.code).toBe(1);
    expect(r.state(RUN)).toBe('rolled-back');
    const listed = parseRuns((await r.sh(shell, runsScript(10, RUN))).stdout).runs.find((x) => x.id === RUN);
    expect(listed?.undoFailed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });
});

/**
 * A confirmed run that made the boot script and its systemd starters (a persisted chapter), or
 * (`touchesBoot` false) one that left an earlier run's boot script alone: its undo removes a step
 * file, and the boot files it made.
 */
function persistedRouter(touchesBoot: boolean, rewrittenInBatch1 = false) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-undo-boot-'));
  for (const d of ['runs', 'etc/teqlctl', 'run']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'boot-id'), 'this-boot\n');
  const local = (s: string) => s.replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'run/lock'))
    .replaceAll(BOOT_ID_FILE, join(root, 'boot-id')).replaceAll('/run/systemd/system', join(root, 'no-systemd'))
    .replaceAll(BOOT_UNIT_WANTS, join(root, 'etc/wants')).replaceAll(BOOT_UNIT, join(root, 'etc/unit')).replaceAll(BOOT_DIR, join(root, 'etc/teqlctl'));
  const dir = join(root, 'runs', RUN);
  mkdirSync(dir);
  const made = [join(root, 'etc/step'), ...(touchesBoot ? [BOOT_SCRIPT, BOOT_UNIT, BOOT_UNIT_WANTS] : [])];
  writeFileSync(join(dir, 'undo-0.sh'), local(undoBatchScript([made.map((path) => ({ kind: 'file-remove', path }))])));
  // A second batch that wrote the boot script again (a second play, a hub's partial rollback): its
  // undo, run first, writes batch 0's version back.
  if (rewrittenInBatch1) {
    writeFileSync(join(dir, 'undo-1.sh'), local(undoBatchScript([[{ kind: 'file-write', path: BOOT_SCRIPT, content: '#!/bin/sh\necho batch 0\'s boot script\n', executable: true }]])));
    writeFileSync(join(dir, 'redo-1.sh'), '');
    writeFileSync(join(dir, 'begun-1'), '0\n');
  }
  writeFileSync(join(dir, 'redo-0.sh'), '');
  writeFileSync(join(dir, 'begun-0'), '0\n');
  writeFileSync(join(dir, 'state'), 'confirmed\n');
  // The rollback holds the lock, as it does once it took it.
  mkdirSync(join(root, 'run/lock'));
  writeFileSync(join(root, 'run/lock/owner'), `run=${RB}\n`);
  writeFileSync(join(root, 'etc/step'), 'x\n');
  writeFileSync(join(root, 'etc/teqlctl/boot.sh'), '#!/bin/sh\necho the run\'s boot script\n', { mode: 0o755 });
  for (const f of ['unit', 'wants']) writeFileSync(join(root, 'etc', f), '[Unit]\n');
  const sh = (shell: string[], script: string) => {
    const r = spawnSync(shell[0]!, [...shell.slice(1), '-c', local(script)], { encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const read = (f: string) => (existsSync(join(root, f)) ? readFileSync(join(root, f), 'utf8') : undefined);
  const state = () => readFileSync(join(dir, 'state'), 'utf8').trim();
  return { sh, read, state, root, local };
}

const RETIRING = retiringScript('a', [BOOT_UNIT_WANTS, BOOT_UNIT]);

describe.each(SHELLS)('the rollback\'s undo of a persisted run, under %s', (_name, shell) => {
  it('under a dead-man, a retiring boot script takes the place of the run\'s, and it and its starters stay for a restart before the confirmation', () => {
    const r = persistedRouter(true);
    expect(r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30)).code).toBe(0);
    const undo = r.sh(shell, undoRunScript(RUN, RB, RETIRING));
    expect(undo.code, undo.stderr).toBe(0);
    expect(r.read('etc/step')).toBeUndefined();
    expect(r.read('etc/teqlctl/boot.sh')?.split('\n')).toContain(RETIRING_MARK);
    expect(r.read('etc/unit')).toBe('[Unit]\n');
    expect(r.read('etc/wants')).toBe('[Unit]\n');
    expect(r.state()).toBe('rolled-back');
    r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('a run that wrote the boot script in two batches: the older one the undo writes back is replaced by the retiring script again, and the starters stay (a second review)', () => {
    const r = persistedRouter(true, true);
    expect(r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30)).code).toBe(0);
    const undo = r.sh(shell, undoRunScript(RUN, RB, RETIRING));
    expect(undo.code, undo.stderr).toBe(0);
    expect(r.read('etc/teqlctl/boot.sh')?.split('\n')).toContain(RETIRING_MARK);
    expect([r.read('etc/unit'), r.read('etc/wants'), r.read('etc/step')]).toEqual(['[Unit]\n', '[Unit]\n', undefined]);
    expect(r.state()).toBe('rolled-back');
    r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('the retiring script that cannot be put back after the undo: not recorded rolled back (exit 3, said), so that the dead-man redoes the whole run', () => {
    const r = persistedRouter(true, true);
    expect(r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30)).code).toBe(0);
    // The second batch's undo writes the older script back, then /etc refuses the next write.
    const undo1 = join(r.root, 'runs', RUN, 'undo-1.sh');
    writeFileSync(undo1, `${readFileSync(undo1, 'utf8')}mkdir ${join(r.root, 'etc/teqlctl/boot.sh.teqlctl-new')}\n`);
    const undo = r.sh(shell, undoRunScript(RUN, RB, RETIRING));
    expect(undo.code).toBe(3);
    expect(undo.stderr).toContain('cannot put the retiring boot script back');
    expect(r.state()).toBe('confirmed');
    expect(existsSync(join(r.root, 'runs', RB, 'applier'))).toBe(false);
    r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('an undo whose last step on the boot script is a write (a removal before it): no retiring script, the older one written back', () => {
    const r = persistedRouter(false, true);
    // Batch 1's undo (run first) removes the boot script, batch 0's then writes the older one back.
    writeFileSync(join(r.root, 'runs', RUN, 'undo-1.sh'), r.local(undoBatchScript([[{ kind: 'file-remove', path: BOOT_SCRIPT }]])));
    writeFileSync(join(r.root, 'runs', RUN, 'undo-0.sh'), r.local(undoBatchScript([[{ kind: 'file-write', path: BOOT_SCRIPT, content: 'older\n', executable: true }]])));
    expect(r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30)).code).toBe(0);
    expect(r.sh(shell, undoRunScript(RUN, RB, RETIRING)).code).toBe(0);
    expect(r.read('etc/teqlctl/boot.sh')).toBe('older\n');
    r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('a run that changed an older boot script: its undo writes that one back, and no retiring script is left', () => {
    const r = persistedRouter(false, true);
    expect(r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30)).code).toBe(0);
    expect(r.sh(shell, undoRunScript(RUN, RB, RETIRING)).code).toBe(0);
    expect(r.read('etc/teqlctl/boot.sh')).toBe('#!/bin/sh\necho batch 0\'s boot script\n');
    r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('without a dead-man (--force on a run without redo scripts: nothing would redo it at boot), the undo removes the boot files', () => {
    const r = persistedRouter(true);
    const undo = r.sh(shell, undoRunScript(RUN, RB, RETIRING));
    expect(undo.code, undo.stderr).toBe(0);
    expect([r.read('etc/teqlctl/boot.sh'), r.read('etc/unit'), r.read('etc/wants')]).toEqual([undefined, undefined, undefined]);
    expect(r.state()).toBe('rolled-back');
  });

  it('a run whose undo leaves the boot script alone (an earlier run\'s) keeps it as it is', () => {
    const r = persistedRouter(false);
    expect(r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30)).code).toBe(0);
    expect(r.sh(shell, undoRunScript(RUN, RB, RETIRING)).code).toBe(0);
    expect(r.read('etc/teqlctl/boot.sh')).toBe('#!/bin/sh\necho the run\'s boot script\n');
    expect(r.read('etc/step')).toBeUndefined();
    r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('a retiring script that cannot be written: nothing is undone (exit 3, said), so that the dead-man redoes a whole run', () => {
    const r = persistedRouter(true);
    expect(r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30)).code).toBe(0);
    // Its temporary file's name taken by a folder: the write fails as on a full or read-only /etc.
    mkdirSync(join(r.root, 'etc/teqlctl/boot.sh.teqlctl-new'));
    const undo = r.sh(shell, undoRunScript(RUN, RB, RETIRING));
    expect(undo.code).toBe(3);
    expect(undo.stderr).toContain('cannot put a retiring boot script in place');
    expect([r.read('etc/step'), r.read('etc/unit')]).toEqual(['x\n', '[Unit]\n']);
    expect(r.read('etc/teqlctl/boot.sh')).toBe('#!/bin/sh\necho the run\'s boot script\n');
    expect(r.state()).toBe('confirmed');
    expect(existsSync(join(r.root, 'runs', RB, 'applier'))).toBe(false);
    r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
  });

  it('the undo of a play\'s own revert (no rollback) removes a retiring boot script as any', () => {
    const r = persistedRouter(true);
    writeFileSync(join(r.root, 'etc/teqlctl/boot.sh'), `#!/bin/sh\n${RETIRING_MARK}\n`);
    expect(r.sh(shell, `/bin/sh ${RUNS_DIR}/${RUN}/undo-0.sh`).code).toBe(0);
    expect([r.read('etc/teqlctl/boot.sh'), r.read('etc/unit')]).toEqual([undefined, undefined]);
  });
});

describe.each(SHELLS)('the rollback\'s dead-man at boot (the boot script\'s boot and resume), under %s', (_name, shell) => {
  /** Armed for 30 s, then undone (both steps gone), as a rollback that a restart cut before its confirmation. */
  async function rolledBack() {
    const r = router(0);
    expect((await r.sh(shell, armRollbackScript(RB, 'me@h', RUN, 30))).code).toBe(0);
    expect((await r.sh(shell, undoRunScript(RUN, RB))).code).toBe(0);
    expect(r.steps()).toEqual([]);
    const revert = (mode: string) => r.sh(shell, `set -- ${mode}; . ${RUNS_DIR}/${RB}/revert.sh`);
    const set = (state: string, decidedBy?: string) => r.sh(shell, `printf '${state}' > ${RUNS_DIR}/${RB}/state${decidedBy ? `; mkdir ${RUNS_DIR}/${RB}/decided && : > ${RUNS_DIR}/${RB}/decided/${decidedBy}` : ''}`);
    return { ...r, revert, set };
  }

  it('a rollback left pending by a restart is redone at boot: the run whole again, recorded confirmed', async () => {
    const r = await rolledBack();
    expect((await r.revert('boot')).code).toBe(0);
    expect(r.steps()).toEqual([0, 1]);
    expect([r.state(RUN), r.state(RB)]).toEqual(['confirmed', 'reverted']);
  });

  it('a redo a power cut interrupted (reverting) is finished at boot (resume)', async () => {
    const r = await rolledBack();
    await r.set('reverting\n', 'revert');
    expect((await r.revert('resume')).code).toBe(0);
    expect(r.steps()).toEqual([0, 1]);
    expect([r.state(RUN), r.state(RB)]).toEqual(['confirmed', 'reverted']);
    expect(readFileSync(join(r.root, 'runs', RB, 'revert.log'), 'utf8')).toContain(`resumed at boot: the redo of run ${RUN}, cut off`);
  });

  it('an empty state after a power cut is taken as pending: decided by the revert, or by a confirmation that never said ok, the run is redone at boot', async () => {
    for (const by of ['revert', 'confirm']) {
      const r = await rolledBack();
      await r.set('', by);
      expect((await r.revert('boot')).code).toBe(0);
      expect(r.steps(), by).toEqual([0, 1]);
      expect([r.state(RUN), r.state(RB)]).toEqual(['confirmed', 'reverted']);
    }
  });

  it('an empty state decided by a decider that a power cut kept from recording itself: redone at boot (a review)', async () => {
    const r = await rolledBack();
    await r.set('');
    await r.sh(shell, `mkdir ${RUNS_DIR}/${RB}/decided`);
    expect((await r.revert('boot')).code).toBe(0);
    expect(r.steps()).toEqual([0, 1]);
    expect([r.state(RUN), r.state(RB)]).toEqual(['confirmed', 'reverted']);
  });

  it('resume leaves a rollback that is not being redone alone, and a rollback confirmed is never redone at boot', async () => {
    const r = await rolledBack();
    expect((await r.revert('resume')).code).toBe(0);
    expect([r.steps(), r.state(RB)]).toEqual([[], 'pending']);
    await r.set('rollback-confirmed\n', 'confirm');
    expect((await r.revert('boot')).code).toBe(0);
    expect([r.steps(), r.state(RUN), r.state(RB)]).toEqual([[], 'rolled-back', 'rollback-confirmed']);
  });
});
