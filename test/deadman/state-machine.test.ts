// The run's state machine on a router, for real: the apply script (write-ahead journal, held in a
// step), the dead-man's revert, teqlctl's rollback and the confirmation, run under dash and
// BusyBox's sh against a router's run files in a temporary folder. File steps stand in for ip/tc:
// what matters here is who may change the router when, not what the change is.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { begunLine, revertScript } from '../../src/deadman/arm-script.js';
import { undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { recordApplierLine } from '../../src/deadman/applier.js';
import { confirmScript, releaseScript } from '../../src/deadman/confirm-script.js';
import { rollbackScript, undoFailures } from '../../src/deadman/rollback-script.js';
import { partialOutcome, partialUndoScript } from '../../src/deadman/partial-undo-script.js';
import { stepsScript } from '../../src/apply/script.js';
import { ABANDONED_MARKER, ARM_FAILED_MARKER, CONFIRM_MARKER, LOCK_TAKEN_MARKER, REVERT_OWNS_MARKER, REVERTED_MARKER } from '../../src/router/markers.js';
import { BOOT_ID_FILE, LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { takeLockScript } from '../../src/router/lock.js';
import { ARM_SEQ_FILE } from '../../src/router/arm-order.js';
import type { Op } from '../../src/plan/ops.js';

const exec = promisify(execFile);
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];
const RUN = 'r1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function router(shell: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-states-'));
  const dir = join(root, 'runs', RUN);
  const etc = join(root, 'etc');
  mkdirSync(dir, { recursive: true });
  mkdirSync(etc);
  mkdirSync(join(root, 'lock'));
  writeFileSync(join(dir, 'state'), 'pending\n');
  writeFileSync(join(root, 'lock', 'owner'), `run=${RUN}\nowner=t@t\n`);
  writeFileSync(join(root, 'boot-id'), 'this-boot\n');
  const local = (script: string) => script.replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, join(root, 'arm-seq')).replaceAll(LOCK_DIR, join(root, 'lock')).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
  /** The boot the run was armed in, as its meta records it. */
  const armedIn = (boot: string) => writeFileSync(join(dir, 'meta'), `run=${RUN}\nowner=t@t\nboot=${boot}\n`);
  // Three steps, each writing a file; their inverses remove it. Batch 0's undo as arming writes it.
  const ops: Op[] = [0, 1, 2].map((i) => ({ kind: 'file-write', path: join(etc, `step${i}`), content: `${i}\n`, executable: false }));
  writeFileSync(join(dir, 'undo-0.sh'), local(undoBatchScript(ops.map((op) => [{ kind: 'file-remove', path: (op as { path: string }).path }]))));
  writeFileSync(join(dir, 'begun-0'), '');
  const run = async (script: string) => {
    try {
      const r = await exec(shell[0]!, [...shell.slice(1), local(script)], { encoding: 'utf8' });
      return { code: 0, stdout: r.stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  };
  /** The apply script of batch 0, held `holdSec` inside step `holdStep` (after journaling it), in the background. */
  const startApply = (holdStep: number, holdSec: number) => {
    const script = stepsScript(ops, {
      before: recordApplierLine(dir),
      onBegin: (i) => begunLine(RUN, 0, i) + (i === holdStep ? ` && sleep ${holdSec}` : ''),
    });
    const child = spawn(shell[0]!, [...shell.slice(1), local(script)], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const done = new Promise<{ code: number | null; stdout: string }>((r) => child.on('close', (code) => r({ code, stdout })));
    return { done };
  };
  /** `script` as a file run with `args` (the boot script runs revert.sh so), in the foreground. */
  const runFile = async (script: string, args: string[]) => {
    const path = join(root, 'script.sh');
    writeFileSync(path, local(script));
    const r = await exec(shell[0]!, [...shell.slice(1, -1), path, ...args], { encoding: 'utf8' });
    return r.stdout;
  };
  /** The rollback, killed (SIGKILL: a power cut, for the router) while it holds before undoing. */
  const cutRollback = async () => {
    const child = spawn(shell[0]!, [...shell.slice(1), local(rollbackScript(RUN, { then: 'echo FACTS', holdSec: 30 }))], { stdio: 'ignore', detached: true });
    for (let i = 0; i < 100 && readFileSync(join(dir, 'state'), 'utf8').trim() !== 'rolling-back'; i++) await sleep(50);
    await sleep(200);
    process.kill(-child.pid!, 'SIGKILL');
  };
  const state = () => readFileSync(join(dir, 'state'), 'utf8').trim();
  const begun = () => readFileSync(join(dir, 'begun-0'), 'utf8').trim().split('\n').filter(Boolean).map(Number);
  const applied = () => [0, 1, 2].filter((i) => existsSync(join(etc, `step${i}`)));
  const locked = () => existsSync(join(root, 'lock'));
  const waitBegun = async (n: number) => { for (let i = 0; i < 100 && begun().length < n; i++) await sleep(50); };
  return { dir, root, local, run, runFile, cutRollback, state, begun, applied, locked, startApply, waitBegun, armedIn };
}

describe.each(SHELLS)('a run on a router, under %s', (_name, shell) => {
  it('applying: every step is journaled as begun before it runs, and all of them run', async () => {
    const r = router(shell);
    const apply = await r.startApply(-1, 0).done;
    expect(apply.code).toBe(0);
    expect(r.begun()).toEqual([0, 1, 2]);
    expect(r.applied()).toEqual([0, 1, 2]);
  });

  it('pending -> reverted while the apply is held in step 1: the revert stops it first, undoes every begun step, and step 2 never runs', async () => {
    const r = router(shell);
    const apply = r.startApply(1, 30);
    await r.waitBegun(2);
    expect(r.applied()).toEqual([0]);
    await r.run(revertScript(RUN));
    const ended = await apply.done;
    expect(ended.code).not.toBe(0); // stopped, not finished
    expect(r.state()).toBe('reverted');
    expect(r.begun()).toEqual([0, 1]);
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
    // The revert's shell recorded itself as the undo: a run past the open-run bound stays open while it runs.
    expect(readFileSync(join(r.dir, 'undoer'), 'utf8')).toMatch(/^\d+ \d+\n$/);
    await sleep(300);
    expect(r.applied()).toEqual([]); // nothing runs on after the revert
  });

  it('pending -> rolled-back by teqlctl while the apply is held: the same, and the undo of a step that never ran is harmless', async () => {
    const r = router(shell);
    const apply = r.startApply(2, 30);
    await r.waitBegun(3);
    const rolled = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    await apply.done;
    expect(rolled.stdout).not.toContain(REVERTED_MARKER);
    expect(rolled.stdout).toContain('FACTS');
    expect(undoFailures(rolled.stdout)).toEqual([]);
    expect(r.state()).toBe('rolled-back');
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
    expect(readFileSync(join(r.dir, 'decided', 'by'), 'utf8').trim()).toBe('rollback');
    expect(readFileSync(join(r.dir, 'undoer'), 'utf8')).toMatch(/^\d+ \d+\n$/);
  });

  it('decided -> no step starts: an apply that comes after the revert changes nothing', async () => {
    const r = router(shell);
    await r.run(revertScript(RUN));
    const late = await r.startApply(-1, 0).done;
    expect(late.code).toBe(3);
    expect(late.stdout).toContain(`${ARM_FAILED_MARKER} step 0 not started`);
    expect(r.applied()).toEqual([]);
  });

  it('pending -> confirmed keeps the lock until released; a revert that comes later does nothing', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    const confirmed = await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    expect(confirmed.stdout).toContain(`${CONFIRM_MARKER} ok`);
    expect(r.locked()).toBe(true);
    await r.run(revertScript(RUN));
    expect(r.state()).toBe('confirmed');
    expect(r.applied()).toEqual([0, 1, 2]);
    expect((await r.run(releaseScript(RUN))).stdout).toContain(`${CONFIRM_MARKER} released`);
    expect(r.locked()).toBe(false);
  });

  it('a confirmation whose session ends right after its decision (HUP: the link lost; TERM: the round trip\'s bound) still writes its records: confirmed, not left decided and pending', async () => {
    for (const signal of ['HUP', 'TERM']) {
      const r = router(shell);
      await r.startApply(-1, 0).done;
      const cut = confirmScript(RUN, 'x', 'confirmed', false).replace(`mkdir ${RUNS_DIR}/${RUN}/records`, () => `kill -${signal} $$; mkdir ${RUNS_DIR}/${RUN}/records`);
      expect(cut).toContain(`kill -${signal} $$; mkdir`);
      const res = await r.run(cut);
      expect(res.stdout, signal).toContain(`${CONFIRM_MARKER} ok`);
      expect(r.state(), signal).toBe('confirmed');
    }
    // Recorded, the shell is one a signal ends again: its wait at the barrier stays bounded.
    const r = router(shell);
    await r.startApply(-1, 0).done;
    const after = await r.run(`${confirmScript(RUN, 'x', 'confirmed', false)}kill -TERM $$; echo still-here\n`);
    expect(after.stdout).toContain(`${CONFIRM_MARKER} ok`);
    expect(after.stdout).not.toContain('still-here');
  });

  it('a confirmation held up after its decision (a slow systemctl stop) while a rollback comes: the rollback takes the run over, the confirmation writes nothing over it', { timeout: 20_000 }, async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    // Decided by the confirmation, then held until the rollback ended: longer than it waits for its
    // records (a fixed 7 s raced the rollback on a busy machine: it writes its state at its end).
    const go = join(r.dir, '..', 'go');
    const held = confirmScript(RUN, 'x', 'confirmed', false).replace(`mkdir ${RUNS_DIR}/${RUN}/records`, () => `while [ ! -e ${go} ]; do sleep 0.1; done; mkdir ${RUNS_DIR}/${RUN}/records`);
    expect(held).toContain(`while [ ! -e ${go} ]`);
    const confirming = r.run(held);
    for (let i = 0; i < 50 && !existsSync(join(r.dir, 'decided')); i++) await sleep(50);
    const rolled = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    writeFileSync(go, '');
    expect(rolled.stdout).toContain('FACTS');
    expect(r.state()).toBe('rolled-back');
    expect(r.applied()).toEqual([]);
    const confirmed = await confirming;
    expect(confirmed.code).not.toBe(0);
    expect(confirmed.stdout).toContain(`${CONFIRM_MARKER} too-late rolled-back decided-by=rollback`);
    expect(r.state()).toBe('rolled-back');
    expect(existsSync(join(r.dir, 'after-state'))).toBe(false);
  });

  // A SIGKILL (the OOM killer's) ends a confirmation wherever it is, traps or not. Its timer is
  // stopped only after its records: killed before them, the timer still fires, and its revert takes
  // the run over. Before, the timer went at the decision and the run stayed decided and pending.
  const killedAfterDecision = async (r: ReturnType<typeof router>, where: 'before its records' | 'after claiming them' = 'before its records') => {
    await r.startApply(-1, 0).done;
    const mk = `mkdir ${RUNS_DIR}/${RUN}/records`;
    const killed = confirmScript(RUN, 'x', 'confirmed', false).replace(mk, () => (where === 'before its records' ? `kill -KILL $$; ${mk}` : `${mk} && kill -KILL $$`));
    expect(killed).toContain('kill -KILL $$');
    const res = await r.run(killed);
    expect(res.stdout).not.toContain(`${CONFIRM_MARKER} ok`);
    expect(existsSync(join(r.dir, 'decided', 'confirm'))).toBe(true);
    expect(r.state()).toBe('pending');
  };
  /** Every run of the undo appends a line here: two undos of one run at once show as two. */
  const countUndos = (r: ReturnType<typeof router>) => {
    const undo = join(r.dir, 'undo-0.sh');
    writeFileSync(undo, `${readFileSync(undo, 'utf8')}\necho undone >> ${join(r.root, 'undos')}\n`);
    return () => (existsSync(join(r.root, 'undos')) ? readFileSync(join(r.root, 'undos'), 'utf8').trim().split('\n').length : 0);
  };

  it('a confirmation killed (SIGKILL) between its decision and its records: its timer, still armed, fires and its revert takes the run over: reverted, lock freed', { timeout: 20_000 }, async () => {
    const r = router(shell);
    await killedAfterDecision(r);
    const undos = countUndos(r);
    // The timer firing: it waits 5 s for records that never come, claims them, and undoes.
    await r.run(revertScript(RUN));
    expect(r.state()).toBe('reverted');
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
    expect(undos()).toBe(1);
    expect(readFileSync(join(r.dir, 'revert.log'), 'utf8')).toContain('decided by the confirmation, its records never written: undone by the dead-man');
  });

  it.each(['before its records', 'after claiming them'] as const)('killed %s, the run taken over by the revert and a rollback at once (the timer fires while the controller rolls back): one of them undoes it, once', { timeout: 30_000 }, async (where) => {
    const r = router(shell);
    await killedAfterDecision(r, where);
    const undos = countUndos(r);
    // Their wait for records the confirmation claimed, shortened from 60 s to 0.5 s: what is tested is who undoes after it.
    const short = (script: string) => {
      expect(script).toContain('[ $tq_ti -lt 600 ]');
      return script.replace('[ $tq_ti -lt 600 ]', '[ $tq_ti -lt 5 ]');
    };
    const [, rolled] = await Promise.all([r.run(short(revertScript(RUN))), r.run(short(rollbackScript(RUN, { then: 'echo FACTS' })))]);
    expect(rolled.stdout).toContain('FACTS');
    expect(['reverted', 'rolled-back']).toContain(r.state());
    expect(rolled.stdout.includes(REVERTED_MARKER)).toBe(r.state() === 'reverted');
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
    expect(undos()).toBe(1);
  });

  it('a confirmation stalled after claiming its records (a sync on a full disk) past the revert\'s wait: the revert kills it before it takes the run over, so it never writes its records over the undo nor says ok (a review)', { timeout: 30_000 }, async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    const go = join(r.dir, '..', 'go');
    const records = `echo confirmed > ${RUNS_DIR}/${RUN}/state`;
    const stalled = confirmScript(RUN, 'x', 'confirmed', false).replace(records, () => `while [ ! -e ${go} ]; do sleep 0.1; done; ${records}`);
    expect(stalled).toContain(`while [ ! -e ${go} ]`);
    const confirming = r.run(stalled);
    for (let i = 0; i < 50 && !existsSync(join(r.dir, 'records', 'confirm.pid')); i++) await sleep(50);
    const revert = revertScript(RUN);
    expect(revert).toContain('[ $tq_ti -lt 600 ]');
    await r.run(revert.replace('[ $tq_ti -lt 600 ]', '[ $tq_ti -lt 5 ]'));
    // Woken only now: killed, it writes nothing.
    writeFileSync(go, '');
    const confirmed = await confirming;
    expect(confirmed.stdout).not.toContain(`${CONFIRM_MARKER} ok`);
    expect(r.state()).toBe('reverted');
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
    expect(existsSync(join(r.dir, 'after-state'))).toBe(false);
  });

  it('decided by a decider killed between its mkdir and its name (decided/ empty): the revert takes it for the confirmation\'s and takes it over; a revert or rollback that decided marked takeover/ and is left alone', { timeout: 30_000 }, async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    mkdirSync(join(r.dir, 'decided'));
    await r.run(revertScript(RUN));
    expect(r.state()).toBe('reverted');
    expect(r.applied()).toEqual([]);
    // A rollback that decided and is undoing (state still pending on a full disk): its takeover/ keeps the revert out.
    const other = router(shell);
    await other.startApply(-1, 0).done;
    mkdirSync(join(other.dir, 'decided'));
    mkdirSync(join(other.dir, 'takeover'));
    const started = Date.now();
    await other.run(revertScript(RUN).replace('[ $tq_ti -lt 600 ]', '[ $tq_ti -lt 5 ]'));
    expect(Date.now() - started).toBeGreaterThan(4_000);
    expect(other.state()).toBe('pending');
    expect(other.applied()).toEqual([0, 1, 2]);
  });

  it('a confirmation held up after its decision while its timer fires: the revert waits for the records, and the run ends confirmed, nothing undone', { timeout: 20_000 }, async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    const go = join(r.dir, '..', 'go');
    const held = confirmScript(RUN, 'x', 'confirmed', false).replace(`mkdir ${RUNS_DIR}/${RUN}/records`, () => `while [ ! -e ${go} ]; do sleep 0.1; done; mkdir ${RUNS_DIR}/${RUN}/records`);
    const confirming = r.run(held);
    for (let i = 0; i < 50 && !existsSync(join(r.dir, 'decided')); i++) await sleep(50);
    const reverting = r.run(revertScript(RUN));
    await sleep(1_000);
    writeFileSync(go, '');
    expect((await confirming).stdout).toContain(`${CONFIRM_MARKER} ok`);
    await reverting;
    expect(r.state()).toBe('confirmed');
    expect(r.applied()).toEqual([0, 1, 2]);
    expect(existsSync(join(r.dir, 'takeover'))).toBe(false);
  });

  it('a confirmation that cannot make its records directory (a full disk) fails as a record that could not be written (exit 3), not as a rollback\'s takeover', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    // A file in its place: mkdir fails and no directory is there, as on a disk with no room left.
    writeFileSync(join(r.dir, 'records'), '');
    const res = await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    expect(res.code).toBe(3);
    expect(res.stdout).not.toContain('too-late');
    expect(r.state()).toBe('pending');
  });

  it('a run armed in an earlier boot (the router restarted after verify) is not confirmed: said, left undecided for the rollback', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    r.armedIn('an-earlier-boot');
    const res = await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    expect(res.code).toBe(1);
    expect(res.stdout).toContain(`${CONFIRM_MARKER} rebooted pending`);
    expect(r.state()).toBe('pending');
    expect(existsSync(join(r.dir, 'decided'))).toBe(false);
    // teqlctl's rollback then decides it, as after any failed confirmation.
    expect((await r.run(rollbackScript(RUN, { then: 'echo FACTS' }))).stdout).toContain('FACTS');
    expect(r.state()).toBe('rolled-back');
    expect(r.applied()).toEqual([]);
    // The same run armed in this boot confirms.
    const s = router(shell);
    await s.startApply(-1, 0).done;
    s.armedIn('this-boot');
    expect((await s.run(confirmScript(RUN, 'x', 'confirmed', false))).stdout).toContain(`${CONFIRM_MARKER} ok`);
    expect(s.state()).toBe('confirmed');
  });

  it('confirmed -> rolled-back (a partial confirmation): undone under the lock the run still holds, then the lock is freed', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    const rolled = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(rolled.stdout).not.toContain(REVERTED_MARKER);
    expect(r.state()).toBe('rolled-back');
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
  });

  it('confirmed, its lock taken by another run while it waited for its peers (a second operator\'s unlock): the rollback undoes nothing beneath that run and says whose lock it is; with no lock (a restart), it undoes as before', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    writeFileSync(join(r.root, 'lock', 'owner'), 'run=r2\nowner=other@op\n');
    const left = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(left.stdout).toContain(`${LOCK_TAKEN_MARKER} r2\n`);
    expect(left.stdout).toContain('FACTS');
    expect([r.state(), r.applied(), r.locked()]).toEqual(['confirmed', [0, 1, 2], true]);
    rmSync(join(r.root, 'lock'), { recursive: true });
    const undone = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(undone.stdout).not.toContain(LOCK_TAKEN_MARKER);
    expect([r.state(), r.applied()]).toEqual(['rolled-back', []]);
  });

  it('confirmed, its lock removed by a second operator\'s unlock: the rollback takes it back as the run\'s before it undoes, so a run starting meanwhile is refused, not undone beneath (check then act, a review)', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    r.armedIn('this-boot');
    await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    rmSync(join(r.root, 'lock'), { recursive: true });
    const child = spawn(shell[0]!, [...shell.slice(1), r.local(rollbackScript(RUN, { then: 'echo FACTS', holdSec: 2 }))], { stdio: 'ignore', detached: true });
    const ended = new Promise((done) => child.on('close', done));
    for (let i = 0; i < 100 && r.state() !== 'rolling-back'; i++) await sleep(50);
    // In the rollback's hold, before its undo: another run's lock is refused as held, by this run.
    const other = await r.run(takeLockScript('r2', 'other@op'));
    expect(other.code).toBe(3);
    expect(other.stdout).toContain(`run=${RUN}\nowner=t@t\n`);
    await ended;
    expect([r.state(), r.applied(), r.locked()]).toEqual(['rolled-back', [], false]);
  });

  it('confirmed, its lock removed (unlock), taken by a later run that confirmed and freed it again: the rollback takes it back, sees that run, gives it back and undoes nothing beneath it (a review)', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    writeFileSync(join(r.dir, 'meta'), `run=${RUN}\nowner=t@t\nseq=1\n`);
    rmSync(join(r.root, 'lock'), { recursive: true });
    mkdirSync(join(r.root, 'runs', 'r2'));
    writeFileSync(join(r.root, 'runs', 'r2', 'meta'), 'run=r2\nowner=other@op\nseq=2\n');
    writeFileSync(join(r.root, 'runs', 'r2', 'state'), 'confirmed\n');
    const left = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(left.stdout).toContain(`${LOCK_TAKEN_MARKER} r2\n`);
    expect([r.state(), r.applied(), r.locked()]).toEqual(['confirmed', [0, 1, 2], false]);
    // The later run rolled back since: nothing above this one, its rollback undoes it.
    writeFileSync(join(r.root, 'runs', 'r2', 'state'), 'rolled-back\n');
    const undone = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(undone.stdout).not.toContain(LOCK_TAKEN_MARKER);
    expect([r.state(), r.applied(), r.locked()]).toEqual(['rolled-back', [], false]);
  });

  it('reverted -> a rollback that comes later only reads the facts', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    await r.run(revertScript(RUN));
    const rolled = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(rolled.stdout).toBe(`${REVERTED_MARKER}\nFACTS\n`);
    expect(r.state()).toBe('reverted');
  });

  it('abandoned at boot (a restart dropped its changes, a later run came after) -> a rollback undoes nothing, says so, and does not wait for a revert', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    // What the boot script does (boot-script.ts): decides the run as the revert would, records it abandoned.
    await r.run(`mkdir ${RUNS_DIR}/${RUN}/decided && echo revert > ${RUNS_DIR}/${RUN}/decided/by && true > ${RUNS_DIR}/${RUN}/decided/revert && echo abandoned > ${RUNS_DIR}/${RUN}/state`);
    const started = Date.now();
    const rolled = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(rolled.stdout).toBe(`${ABANDONED_MARKER}\nFACTS\n`);
    expect(r.state()).toBe('abandoned');
    // The files stand for the later run's configuration: its undo here would have removed them.
    expect(r.applied()).toEqual([0, 1, 2]);
  });

  it('decided by the revert but never ended (the boot script could not record it abandoned: a full disk) -> the rollback waits, then undoes nothing and says the revert owns it', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    await r.run(`mkdir ${RUNS_DIR}/${RUN}/decided && echo revert > ${RUNS_DIR}/${RUN}/decided/by && true > ${RUNS_DIR}/${RUN}/decided/revert`);
    // Its wait for the revert shortened from 60 s to 0.5 s: what is tested is what comes after it.
    const script = rollbackScript(RUN, { then: 'echo FACTS' });
    expect(script).toContain('[ $i -lt 600 ]');
    const rolled = await r.run(script.replace('[ $i -lt 600 ]', '[ $i -lt 5 ]'));
    expect(rolled.stdout).toBe(`${REVERT_OWNS_MARKER} state=pending\nFACTS\n`);
    expect(r.state()).toBe('pending');
    expect(r.applied()).toEqual([0, 1, 2]);
  });

  it('a rollback whose controller vanishes mid-way finishes on the router (HUP and PIPE ignored once claimed)', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    const script = rollbackScript(RUN, { then: 'echo FACTS', holdSec: 1 }).replaceAll(RUNS_DIR, join(r.root, 'runs')).replaceAll(LOCK_DIR, join(r.root, 'lock'));
    const child = spawn(shell[0]!, [...shell.slice(1), script], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    await sleep(300);
    child.stdout.destroy(); // the controller's end of the pipe is gone
    process.kill(-child.pid!, 'SIGHUP');
    for (let i = 0; i < 60 && r.state() !== 'rolled-back'; i++) await sleep(100);
    expect(r.state()).toBe('rolled-back');
    expect(r.applied()).toEqual([]);
  });

  it('a rollback that outlives the router-side bound of its round trip (timeout sends SIGTERM to its group) finishes its undo there, as claimed', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    // Held 3 s after claiming (a hung ip, a slow sync), under a bound of 1 s as `timeout 120 sh -s` is.
    const script = rollbackScript(RUN, { then: 'echo FACTS', holdSec: 3 }).replaceAll(RUNS_DIR, join(r.root, 'runs')).replaceAll(LOCK_DIR, join(r.root, 'lock'));
    const child = spawn('timeout', ['1', ...shell, script], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(r.state()).toBe('rolled-back');
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
    expect(code).toBe(124);
  });

  it('racing the revert against the rollback 20 times: exactly one decides, and the router always ends as it was', { timeout: 30_000 }, async () => {
    // Each inconsistent round with what it ended with: one was seen once on a loaded machine.
    const inconsistent: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = router(shell);
      await r.startApply(-1, 0).done;
      const [reverted, rolled] = await Promise.all([r.run(revertScript(RUN)), r.run(rollbackScript(RUN, { then: 'echo FACTS' }))]);
      const by = readFileSync(join(r.dir, 'decided', 'by'), 'utf8').trim();
      const ok = r.applied().length === 0 && !r.locked()
        && (by === 'revert' ? r.state() === 'reverted' && rolled.stdout.includes(REVERTED_MARKER) : r.state() === 'rolled-back' && !rolled.stdout.includes(REVERTED_MARKER));
      if (!ok) inconsistent.push(JSON.stringify({ round: i, by, state: r.state(), applied: r.applied(), locked: r.locked(), rollback: rolled, revert: reverted }));
    }
    expect(inconsistent).toEqual([]);
  });

  // A power cut during an undo leaves the run decided and half undone, with no timer (none outlives
  // a reboot): the boot script runs `revert.sh resume` for it (boot-script.test.ts).
  it('reverting, cut by a power cut half-way through its undo: `revert.sh resume` finishes it, and the run ends reverted', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    mkdirSync(join(r.dir, 'decided'));
    writeFileSync(join(r.dir, 'decided', 'revert'), '');
    writeFileSync(join(r.dir, 'state'), 'reverting\n');
    rmSync(join(r.root, 'etc', 'step2')); // the newest step was undone before the cut
    await r.runFile(revertScript(RUN), ['resume']);
    expect(r.state()).toBe('reverted');
    expect(r.applied()).toEqual([]);
    expect(r.locked()).toBe(false);
    expect(existsSync(join(r.dir, 'reverted_at'))).toBe(true);
    expect(readFileSync(join(r.dir, 'revert.log'), 'utf8')).toContain('resumed at boot: the undo of a reverting run');
  });

  it("a partial confirmation's rollback marks the confirmed run rolling-back before it undoes; cut there, `resume` ends it rolled-back", async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    await r.run(confirmScript(RUN, 'x', 'confirmed', false));
    await r.cutRollback();
    expect(r.state()).toBe('rolling-back');
    expect(r.applied()).toEqual([0, 1, 2]);
    await r.runFile(revertScript(RUN), ['resume']);
    expect(r.state()).toBe('rolled-back');
    expect(r.applied()).toEqual([]);
    expect(existsSync(join(r.dir, 'reverted_at'))).toBe(false);
  });

  it.each(['pending', 'confirmed', 'reverted', 'rolled-back'])('`resume` on a %s run changes nothing: only an undo that was cut is resumed', async (st) => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    writeFileSync(join(r.dir, 'state'), `${st}\n`);
    await r.runFile(revertScript(RUN), ['resume']);
    expect(r.state()).toBe(st);
    expect(r.applied()).toEqual([0, 1, 2]);
    expect(existsSync(join(r.dir, 'decided'))).toBe(false);
  });

  it.each([['revert', 'reverted'], ['rollback', 'rolled-back'], ['confirm', 'reverted']])('decided by the %s before a power cut that kept its state from the disk: undone at boot, and ends %s', { timeout: 20_000 }, async (by, end) => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    mkdirSync(join(r.dir, 'decided'));
    writeFileSync(join(r.dir, 'decided', by), '');
    writeFileSync(join(r.dir, 'decided', 'by'), `${by}\n`);
    expect(r.state()).toBe('pending');
    await r.runFile(revertScript(RUN), ['boot']);
    expect(r.state()).toBe(end);
    expect(r.applied()).toEqual([]);
    // Not at boot (the dead-man's own firing): a run the revert or a rollback decided is theirs to
    // end; one the confirmation decided and never recorded is taken over (its timer still runs).
    const again = router(shell);
    await again.startApply(-1, 0).done;
    mkdirSync(join(again.dir, 'decided'));
    writeFileSync(join(again.dir, 'decided', 'by'), `${by}\n`);
    await again.runFile(revertScript(RUN), []);
    expect(again.state()).toBe(by === 'confirm' ? 'reverted' : 'pending');
    expect(again.applied()).toEqual(by === 'confirm' ? [] : [0, 1, 2]);
  });

  it.each([['no one', 'reverted'], ['revert', 'reverted'], ['rollback', 'rolled-back'], ['confirm', 'reverted']])('a state a power cut left empty (truncated by a decider, not yet written), decided by %s: undone at boot, and ends %s', async (by, end) => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    if (by !== 'no one') {
      mkdirSync(join(r.dir, 'decided'));
      writeFileSync(join(r.dir, 'decided', by), '');
    }
    writeFileSync(join(r.dir, 'state'), '');
    await r.runFile(revertScript(RUN), ['boot']);
    expect(r.state()).toBe(end);
    expect(r.applied()).toEqual([]);
  });

  it('decided by a decider that a power cut kept from recording itself (decided/ made, nothing in it), its state empty: undone at boot, ends reverted (a review)', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    mkdirSync(join(r.dir, 'decided'));
    writeFileSync(join(r.dir, 'state'), '');
    await r.runFile(revertScript(RUN), ['boot']);
    expect(r.state()).toBe('reverted');
    expect(r.applied()).toEqual([]);
    expect(readFileSync(join(r.dir, 'revert.log'), 'utf8')).toContain('decided by a decider that did not record itself');
  });

  it('a pending run reverted at boot (`revert.sh boot`) signals no process: the applier pid it recorded is the previous boot\'s', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    // A shell of this boot that happens to have that pid now.
    const other = spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore', detached: true });
    writeFileSync(join(r.dir, 'applier'), `${other.pid}\n`);
    try {
      await r.runFile(revertScript(RUN), ['boot']);
      expect(r.state()).toBe('reverted');
      expect(r.applied()).toEqual([]);
      expect(other.exitCode).toBeNull();
      expect(() => process.kill(other.pid!, 0)).not.toThrow();
    } finally {
      process.kill(-other.pid!, 'SIGKILL');
    }
  });

  it("a hub's partial rollback held after its first step while the dead-man fires: the revert stops it, no later step of it runs, and it says the run was decided, not ok (a review)", { timeout: 20_000 }, async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    expect(r.applied()).toEqual([0, 1, 2]);
    // Its own undo writes a mark per step, so a step it ran after the revert would show.
    const mark = (i: number): Op[] => [{ kind: 'file-remove', path: join(r.root, 'etc', `step${i}`) }, { kind: 'file-write', path: join(r.root, 'etc', `partial-${i}`), content: 'x\n', executable: false }];
    const partial = spawn(shell[0]!, [...shell.slice(1), r.local(partialUndoScript(RUN, [0, 1, 2].map((i) => ({ batch: 0, index: i, undo: mark(i) })), 'echo FACTS', 3))], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    partial.stdout.on('data', (d) => (out += d));
    const ended = new Promise((done) => partial.on('close', done));
    for (let i = 0; i < 100 && !existsSync(join(r.dir, 'debug-hold-partial')); i++) await sleep(50);
    await r.run(revertScript(RUN));
    await ended;
    expect(existsSync(join(r.root, 'etc', 'partial-2'))).toBe(true);
    expect([0, 1].map((i) => existsSync(join(r.root, 'etc', `partial-${i}`)))).toEqual([false, false]);
    expect(partialOutcome(out)).toMatchObject({ ok: false, state: expect.stringMatching(/^(reverting|reverted)$/) });
    expect(out).toContain('FACTS');
    expect(r.state()).toBe('reverted');
    expect(r.applied()).toEqual([]);
  });

  it('the dead-man signals no process that took the pid of an apply that ended without removing its record (the start time differs)', async () => {
    const r = router(shell);
    await r.startApply(-1, 0).done;
    // The apply's own record, then a shell of the same name that got its pid later.
    expect(readFileSync(join(r.dir, 'applier'), 'utf8')).toMatch(/^\d+ \d+\n$/);
    const other = spawn('/bin/sh', ['-c', 'sleep 30'], { stdio: 'ignore', detached: true });
    writeFileSync(join(r.dir, 'applier'), `${other.pid} 1\n`);
    try {
      await r.runFile(revertScript(RUN), []);
      expect(r.state()).toBe('reverted');
      expect(r.applied()).toEqual([]);
      expect(other.exitCode).toBeNull();
      expect(() => process.kill(other.pid!, 0)).not.toThrow();
    } finally {
      process.kill(-other.pid!, 'SIGKILL');
    }
  });
});

