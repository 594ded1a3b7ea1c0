import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterStateScript, armRollbackScript, parseAfterState, parseRuns, runsScript } from '../../src/deadman/runs-script.js';
import { unlockScript } from '../../src/deadman/unlock-script.js';
import { metaLine } from '../../src/deadman/run-meta.js';
import { stillConfirmedLines } from '../../src/deadman/undo-run-script.js';
import { OPEN_RUN_GRACE_SEC } from '../../src/router/open-runs.js';
import { BOOT_ID_FILE, LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { ARM_SEQ_FILE } from '../../src/router/arm-order.js';
import { PRUNED_FILE } from '../../src/deadman/prune-runs.js';

/** The status script run by sh over a router's files laid out in a temporary folder. */
function statusOf(layout: (root: string) => void, script0 = runsScript()): ReturnType<typeof parseRuns> {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-runs-'));
  mkdirSync(join(root, 'runs'));
  layout(root);
  const script = script0.replaceAll('ROOT', root).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'lock')).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
  return parseRuns(execFileSync('sh', ['-c', script], { encoding: 'utf8' }));
}

function run(root: string, id: string, files: Record<string, string>): void {
  mkdirSync(join(root, 'runs', id));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, 'runs', id, name), text);
}

describe('the runs on a router, as status reads them', () => {
  it('says a run armed in an earlier boot than the router\'s current one (a restart dropped its changes); one of this boot, or of an unknown boot, is not (a review)', () => {
    const s = statusOf((root) => {
      writeFileSync(join(root, 'boot-id'), 'boot-2\n');
      run(root, '20260101T000000-a', { state: 'pending\n', meta: 'owner=o\nboot=boot-1\nseq=1\n' });
      run(root, '20260102T000000-b', { state: 'pending\n', meta: 'owner=o\nboot=boot-2\nseq=2\n' });
      run(root, '20260103T000000-c', { state: 'confirmed\n', meta: 'owner=o\nseq=3\n' });
    });
    expect(s.runs.map((r) => [r.id, r.earlierBoot ?? false])).toEqual([['20260101T000000-a', true], ['20260102T000000-b', false], ['20260103T000000-c', false]]);
  });

  it('lists each run with its outcome, oldest first, and no lock when there is none', () => {
    const s = statusOf((root) => {
      run(root, '20260101T000000-a', { state: 'confirmed\n', meta: 'run=x\nowner=op@host\nstarted=2026-01-01T00:00:00Z\ntimeout=120\n', confirmed_at: '2026-01-01T00:00:05Z\n' });
      run(root, '20260102T000000-b', { state: 'reverted\n', meta: 'owner=op@host\nstarted=2026-01-02T00:00:00Z\ntimeout=60\n', reverted_at: '2026-01-02T00:01:00Z\n' });
    });
    expect(s.lock).toBeUndefined();
    expect(s.runs).toEqual([
      { id: '20260101T000000-a', state: 'confirmed', started: '2026-01-01T00:00:00Z', confirmed: '2026-01-01T00:00:05Z', reverted: '', armed: false, owner: 'op@host', timeout: '120' },
      { id: '20260102T000000-b', state: 'reverted', started: '2026-01-02T00:00:00Z', confirmed: '', reverted: '2026-01-02T00:01:00Z', armed: false, owner: 'op@host', timeout: '60' },
    ]);
  });

  it('reads a named run whatever its age, beside the latest (rollback --run of a run a busy hub no longer lists)', () => {
    const layout = (root: string) => { for (let i = 10; i < 70; i++) run(root, `202601${i}T000000-r`, { state: 'confirmed\n' }); };
    const old = '20260110T000000-r';
    expect(statusOf(layout, runsScript(50)).runs.map((r) => r.id)).not.toContain(old);
    const s = statusOf(layout, runsScript(50, old));
    expect(s.runs.map((r) => r.id)).toContain(old);
    expect(s.runs).toHaveLength(51);
    expect(s.runs.find((r) => r.id === old)?.state).toBe('confirmed');
    // Among the latest already, or not there at all: listed once, or not at all.
    expect(statusOf(layout, runsScript(50, '20260169T000000-r')).runs).toHaveLength(50);
    expect(statusOf(layout, runsScript(50, '20260101T000000-x')).runs).toHaveLength(50);
  });

  it('reads a named run whose folder was pruned from its tombstone, marked pruned with the state it was in; a folder wins over a tombstone', () => {
    const layout = (root: string) => {
      writeFileSync(join(root, 'pruned-runs'), 'r0 rolled-back\nr1 confirmed\nr2 confirmed\n');
      run(root, 'r2', { state: 'confirmed\n' });
    };
    const read = (id: string) => statusOf(layout, runsScript(0, id).replaceAll(PRUNED_FILE, PRUNED_FILE.replace('/var/lib/teqlctl', 'ROOT'))).runs;
    expect(read('r1')).toEqual([{ id: 'r1', state: 'confirmed', started: '', confirmed: '', reverted: '', armed: false, owner: '', timeout: '', pruned: true }]);
    expect(read('r0')).toMatchObject([{ id: 'r0', state: 'rolled-back', pruned: true }]);
    expect(read('r2')).toMatchObject([{ id: 'r2', state: 'confirmed' }]);
    expect(read('r2')[0]!.pruned).toBeUndefined();
    expect(read('r9')).toEqual([]);
  });

  it('reads the peers a run recorded as its meta line writes them (none, unknown, or not recorded: an older run)', () => {
    const s = statusOf((root) => {
      for (const [id, peers] of [['r1', ['hub_b', 'branch_2']], ['r2', []], ['r3', ['bad name']]] as const) {
        mkdirSync(join(root, 'runs', id));
        const line = metaLine(id, 'op@host', 120, 'x', '2026-01-01T00:00:00Z', peers).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
        execFileSync('sh', ['-c', line]);
      }
      run(root, 'r4', { state: 'confirmed\n', meta: 'run=r4\nowner=op@host\n' });
    });
    // Oldest first by the router's count: r4, an older teqlctl's (no seq=), before the others.
    expect(s.runs.map((r) => [r.id, r.peers])).toEqual([['r4', undefined], ['r1', ['branch_2', 'hub_b']], ['r2', []], ['r3', undefined]]);
  });

  it('lists the runs armed last by the router\'s own count, not by their ids (the controller\'s clock): one from a controller whose clock was behind is listed, armed, and in its place (a review)', () => {
    const s = statusOf((root) => {
      for (let i = 10; i < 25; i++) run(root, `202612${i}T000000-r`, { state: 'confirmed\n', meta: `run=x\nseq=${i - 9}\n` });
      // Armed last, its id from a clock a year behind.
      run(root, '20251201T000000-late', { state: 'pending\n', meta: 'run=x\nseq=16\n', timer: `pid ${process.pid}\n` });
    });
    expect(s.runs).toHaveLength(10);
    expect(s.runs.at(-1)).toMatchObject({ id: '20251201T000000-late', state: 'pending', armed: true, seq: 16 });
    expect(s.runs[0]).toMatchObject({ id: '20261216T000000-r', seq: 7 });
  });

  it('shows a timer armed while its sleeper lives, and the lock with whether its holder lives', () => {
    const s = statusOf((root) => {
      run(root, 'r1', { state: 'pending\n', timer: `pid ${process.pid}\n` });
      mkdirSync(join(root, 'lock'));
      writeFileSync(join(root, 'lock', 'owner'), `run=r1\nowner=op@host\nstarted=2026-01-01T00:00:00Z\npid=${process.pid}\n`);
    });
    expect(s.runs.map((r) => [r.id, r.state, r.armed])).toEqual([['r1', 'pending', true]]);
    expect(s.lock).toEqual({ run: 'r1', owner: 'op@host', started: '2026-01-01T00:00:00Z', alive: true });
  });

  it('reads a run without a state file as unknown', () => {
    const s = statusOf((root) => run(root, 'r1', {}));
    expect(s.runs[0]!.state).toBe('unknown');
  });
});

describe('unlock', () => {
  /** The unlock script under dash over a lock held by a live pid (this test's) for a pending run. */
  function unlockWith(lockBoot: string | undefined, force = false, start?: string, state = 'pending\n', ageSec = 0, noFind = false, undoer?: string) {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-unlock-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    if (undoer !== undefined) writeFileSync(join(root, 'runs', 'r1', 'undoer'), undoer);
    writeFileSync(join(root, 'runs', 'r1', 'state'), state);
    const at = Date.now() / 1000 - ageSec;
    utimesSync(join(root, 'runs', 'r1', 'state'), at, at);
    mkdirSync(join(root, 'lock'));
    writeFileSync(join(root, 'lock', 'owner'), `run=r1\nowner=op@host\npid=${process.pid}\n${lockBoot === undefined ? '' : `boot=${lockBoot}\n`}${start === undefined ? '' : `start=${start}\n`}`);
    writeFileSync(join(root, 'boot-id'), 'this-boot\n');
    const script = (noFind ? 'find() { return 1; }\n' : '') + unlockScript(force).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'lock')).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
    try {
      return { code: 0, out: execFileSync('/bin/dash', ['-c', script], { encoding: 'utf8' }), locked: existsSync(join(root, 'lock')) };
    } catch (err) {
      const e = err as { status: number; stdout: string };
      return { code: e.status, out: e.stdout, locked: existsSync(join(root, 'lock')) };
    }
  }

  it('refuses a lock whose holder lives in this boot (or an older lock without its boot); --force removes it', () => {
    for (const boot of ['this-boot', undefined]) {
      const r = unlockWith(boot);
      expect(r.code).toBe(8);
      expect(r.out).toContain(`unlock: refused: run r1 is still connected (pid ${process.pid})`);
      expect(r.locked).toBe(true);
    }
    const forced = unlockWith('this-boot', true);
    expect([forced.code, forced.locked]).toEqual([0, false]);
  });

  it('takes a lock whose pid is another process now (its start time differs) for a dead run\'s: refused only for the run\'s pending dead-man (a review: "still connected")', () => {
    const start = readFileSync(`/proc/${process.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19]!;
    expect(unlockWith('this-boot', false, start).out).toContain('is still connected');
    const reused = unlockWith('this-boot', false, '1');
    expect(reused.out).not.toContain('is still connected');
    expect(reused.out).toContain('unlock: refused: run r1 has a dead-man revert pending');
  });

  it('a lock that names no run yet (a run taking it this moment: mkdir, then its owner) is refused while under a minute old; older, or --force, it is removed (a review)', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-unlock-young-'));
    mkdirSync(join(root, 'lock'));
    writeFileSync(join(root, 'boot-id'), 'this-boot\n');
    const run = (force: boolean) => {
      const script = unlockScript(force).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(LOCK_DIR, join(root, 'lock')).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
      const r = spawnSync('/bin/dash', ['-c', script], { encoding: 'utf8' });
      return { code: r.status, out: r.stdout, locked: existsSync(join(root, 'lock')) };
    };
    expect(run(false)).toEqual({ code: 8, out: 'unlock: refused: the lock names no run yet and was made within the last minute: a run taking it this very moment (--force removes it anyway)\n', locked: true });
    const old = Date.now() / 1000 - 300;
    utimesSync(join(root, 'lock'), old, old);
    expect(run(false)).toMatchObject({ code: 0, locked: false });
    mkdirSync(join(root, 'lock'));
    expect(run(true)).toMatchObject({ code: 0, locked: false });
  });

  it('removes only the lock it checked: one that changed hands between the check and the removal is kept, and said (check then act, a review)', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-unlock-race-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    writeFileSync(join(root, 'runs', 'r1', 'state'), 'confirmed\n');
    writeFileSync(join(root, 'boot-id'), 'this-boot\n');
    const lock = join(root, 'lock');
    const script = (prelude: string) => prelude + unlockScript(false).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(LOCK_DIR, lock).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
    const deadOwner = 'run=r1\nowner=op@host\npid=999999999\nboot=this-boot\n';
    // The dead run's lock freed and taken by run r2 just after the checks passed (a stand-in for mv
    // that hands the lock over before it moves it).
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), deadOwner);
    const handedOver = spawnSync('/bin/dash', ['-c', script(`mv() { [ "$1" != ${lock} ] || printf 'run=r2\\npid=1\\n' > ${lock}/owner; command mv "$@"; }\n`)], { encoding: 'utf8' });
    expect([handedOver.status, handedOver.stdout]).toEqual([8, 'unlock: refused: the lock changed hands while it was checked (now: r2); run unlock again\n']);
    expect(readFileSync(join(lock, 'owner'), 'utf8')).toBe('run=r2\npid=1\n');
    expect(readdirSync(root).sort()).toEqual(['boot-id', 'lock', 'runs']);
    // Taken by a run that has not written its owner yet (mkdir, then its owner): said as such.
    writeFileSync(join(lock, 'owner'), deadOwner);
    const taking = spawnSync('/bin/dash', ['-c', script(`mv() { [ "$1" != ${lock} ] || : > ${lock}/owner; command mv "$@"; }\n`)], { encoding: 'utf8' });
    expect([taking.status, taking.stdout]).toEqual([8, 'unlock: refused: the lock changed hands while it was checked (now: a run taking it this very moment); run unlock again\n']);
    // Unchanged, it is removed, and nothing is left beside it.
    writeFileSync(join(lock, 'owner'), deadOwner);
    const removed = spawnSync('/bin/dash', ['-c', script('')], { encoding: 'utf8' });
    expect([removed.status, removed.stdout]).toEqual([0, 'unlock: removed the lock of run r1\n']);
    expect(readdirSync(root).sort()).toEqual(['boot-id', 'runs']);
  });

  it('refuses the lock of a dead run still being undone (its revert frees it when its undo ends: a run that took it at once was undone beneath, a review); --force removes it', () => {
    for (const [state, words] of [['reverting\n', 'reverting'], ['rolling-back\n', 'rolling-back'], ['', '']]) {
      const r = unlockWith('this-boot', false, '1', state);
      expect([r.code, r.locked], r.out).toEqual([8, true]);
      expect(r.out).toContain(`unlock: refused: run r1 is being undone (its state: ${words}); its undo frees the lock when it ends (--force removes it anyway)`);
    }
    expect(unlockWith('this-boot', false, '1', 'reverted\n')).toMatchObject({ code: 0, locked: false });
    expect(unlockWith('this-boot', true, '1', 'reverting\n')).toMatchObject({ code: 0, locked: false });
    // Written longer ago than an undo takes: its undo was killed (the OOM killer), nothing frees the lock but unlock.
    expect(unlockWith('this-boot', false, '1', 'rolling-back\n', OPEN_RUN_GRACE_SEC + 120)).toMatchObject({ code: 0, locked: false });
    // Its age unknown (a find without -mmin): refused, --force being the way (a review).
    expect(unlockWith('this-boot', false, '1', 'rolling-back\n', OPEN_RUN_GRACE_SEC + 120, true)).toMatchObject({ code: 8, locked: true });
  });

  it('refuses past the bound while the undo it recorded still runs (one held up longer by a hung command); takes it once that shell is gone', () => {
    const start = readFileSync(`/proc/${process.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19]!;
    const held = unlockWith('this-boot', false, '1', 'reverting\n', OPEN_RUN_GRACE_SEC + 600, false, `${process.pid} ${start}\n`);
    expect([held.code, held.locked], held.out).toEqual([8, true]);
    expect(held.out).toContain('unlock: refused: run r1 is being undone (its state: reverting)');
    expect(unlockWith('this-boot', false, '1', 'reverting\n', OPEN_RUN_GRACE_SEC + 600, false, `${process.pid} 1\n`)).toMatchObject({ code: 0, locked: false });
  });

  it('removes a lock taken in an earlier boot: its pid is another process now, and its run\'s timer ended with that boot', () => {
    const r = unlockWith('an-earlier-boot');
    expect(r.code).toBe(0);
    expect(r.out).toContain('unlock: removed the lock of run r1 (taken in an earlier boot)');
    expect(r.locked).toBe(false);
  });
});

describe("a run's after-state, with whether a rollback's dead-man could redo it", () => {
  /** afterStateScript run by sh over a run folder holding these files. */
  function afterOf(files: Record<string, string>): ReturnType<typeof parseAfterState> {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-after-'));
    mkdirSync(join(root, 'runs'));
    run(root, '20260101T000000-a', files);
    return parseAfterState(execFileSync('sh', ['-c', afterStateScript('20260101T000000-a').replaceAll(RUNS_DIR, join(root, 'runs'))], { encoding: 'utf8' }));
  }

  it('gives the lines as cat does, and redo when every undo script has its redo script', () => {
    expect(afterOf({ 'after-state': 'link eth1 up\nqdisc eth1 teql0\n', 'undo-1.sh': '', 'redo-1.sh': '' })).toEqual({ lines: ['link eth1 up', 'qdisc eth1 teql0', ''], redo: true });
  });

  it('says a run made before redo scripts were kept cannot be redone, its lines unchanged, with or without a last line break', () => {
    expect(afterOf({ 'after-state': 'link eth1 up\n', 'undo-1.sh': '', 'undo-2.sh': '', 'redo-1.sh': '' })).toEqual({ lines: ['link eth1 up', ''], redo: false });
    expect(afterOf({ 'after-state': 'link eth1 up', 'undo-1.sh': '' })).toEqual({ lines: ['link eth1 up'], redo: false });
  });
});

describe("teqlctl rollback's arming", () => {
  it('a state that cannot be written refuses the arming (exit 3), its folder removed: no rollback run left pending without a timer (a review)', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-rb-arm-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    // A folder where the state goes: its write fails, as on a full disk.
    mkdirSync(join(root, 'runs', 'r1-rollback', 'state'), { recursive: true });
    mkdirSync(join(root, 'lock'));
    writeFileSync(join(root, 'lock', 'owner'), 'run=r1-rollback\n');
    const script = armRollbackScript('r1-rollback', 'op@host', 'r1', 60).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'lock'));
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`cannot write ${join(root, 'runs', 'r1-rollback')}/state (is /var/lib/teqlctl full or read-only?)`);
    expect(existsSync(join(root, 'runs', 'r1-rollback'))).toBe(false);
  });
  it('a revert.sh that cannot be written (a full disk) refuses the arming, its folder removed: none left without a meta, which no prune removes (a review)', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-rb-revert-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    mkdirSync(join(root, 'runs', 'r1-rollback', 'revert.sh'), { recursive: true });
    mkdirSync(join(root, 'lock'));
    writeFileSync(join(root, 'lock', 'owner'), 'run=r1-rollback\n');
    const script = armRollbackScript('r1-rollback', 'op@host', 'r1', 60).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'lock'));
    for (const shell of ['/bin/dash', '/bin/busybox']) {
      mkdirSync(join(root, 'runs', 'r1-rollback', 'revert.sh'), { recursive: true });
      const r = spawnSync(shell, shell.endsWith('busybox') ? ['sh', '-c', script] : ['-c', script], { encoding: 'utf8' });
      expect(r.status).toBe(3);
      expect(r.stderr).toContain(`cannot write ${join(root, 'runs', 'r1-rollback')}/revert.sh (is /var/lib/teqlctl full or read-only?)`);
      expect(existsSync(join(root, 'runs', 'r1-rollback'))).toBe(false);
    }
  });
  it('a lock no longer the rollback\'s (unlock --force, another run took it): nothing armed, the holder said (exit 3; a review)', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-rb-lost-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    mkdirSync(join(root, 'lock'));
    writeFileSync(join(root, 'lock', 'owner'), 'run=r9\nowner=x@y\n');
    const script = armRollbackScript('r1-rollback', 'op@host', 'r1', 60).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'lock'));
    for (const shell of ['/bin/dash', '/bin/busybox']) {
      const r = spawnSync(shell, shell.endsWith('busybox') ? ['sh', '-c', script] : ['-c', script], { encoding: 'utf8' });
      expect([r.status, r.stdout]).toEqual([3, '@@teqlctl-lock-lost r9\n']);
      expect(existsSync(join(root, 'runs', 'r1-rollback'))).toBe(false);
    }
  });
});

describe('the rollback\'s check, under its lock, that the run is still confirmed', () => {
  it('passes a confirmed run; frees the lock and says the state of one decided meanwhile', () => {
    for (const [state, code, out] of [['confirmed\n', 0, 'next\n'], ['rolled-back\n', 3, '@@teqlctl-not-confirmed rolled-back\n'], ['', 3, '@@teqlctl-not-confirmed \n']] as const) {
      const root = mkdtempSync(join(tmpdir(), 'teqlctl-still-'));
      mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
      writeFileSync(join(root, 'runs', 'r1', 'state'), state);
      mkdirSync(join(root, 'lock'));
      const script = `${stillConfirmedLines('r1', `rmdir ${join(root, 'lock')}`)}\necho next`.replaceAll(RUNS_DIR, join(root, 'runs'));
      let r: { code: number; out: string };
      try {
        r = { code: 0, out: execFileSync('sh', ['-c', script], { encoding: 'utf8' }) };
      } catch (err) {
        r = { code: (err as { status: number }).status, out: (err as { stdout: string }).stdout };
      }
      expect([r.code, r.out, existsSync(join(root, 'lock'))], state).toEqual([code, out, code === 0]);
    }
  });
});

describe("status's question to systemd", () => {
  it('is asked only of the runs of this boot (or of an unknown one): a dead-man does not outlive a restart, and each systemctl is a process (a review of routers kept for years)', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-runs-sd-'));
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\necho "$*" >> ${root}/calls\nexit 0\n`, { mode: 0o755 });
    mkdirSync(join(root, 'runs'));
    writeFileSync(join(root, 'boot-id'), 'boot-2\n');
    run(root, '20260101T000000-a', { state: 'confirmed\n', meta: 'owner=o\nboot=boot-1\nseq=1\n', timer: 'systemd teqlctl-deadman-a\n' });
    run(root, '20260102T000000-b', { state: 'pending\n', meta: 'owner=o\nboot=boot-1\nseq=2\n', timer: 'systemd teqlctl-deadman-b\n' });
    run(root, '20260103T000000-c', { state: 'pending\n', meta: 'owner=o\nboot=boot-2\nseq=3\n', timer: 'systemd teqlctl-deadman-c\n' });
    run(root, '20260104T000000-d', { state: 'confirmed\n', meta: 'owner=o\nseq=4\n', timer: 'systemd teqlctl-deadman-d\n' });
    const script = runsScript().replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'lock')).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
    const s = parseRuns(execFileSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }));
    expect(s.runs.map((r) => [r.id, r.armed])).toEqual([['20260101T000000-a', false], ['20260102T000000-b', false], ['20260103T000000-c', true], ['20260104T000000-d', true]]);
    expect(readFileSync(join(root, 'calls'), 'utf8').trim().split('\n')).toEqual(['is-active --quiet teqlctl-deadman-c.service teqlctl-deadman-c.timer', 'is-active --quiet teqlctl-deadman-d.service teqlctl-deadman-d.timer']);
  });
});
