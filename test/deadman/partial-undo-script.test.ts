// A hub's partial rollback, for real under dash and BusyBox sh, against a run's files in a
// temporary folder: file steps stand in for ip/tc, as in state-machine.test.ts.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { partialOutcome, partialUndoScript } from '../../src/deadman/partial-undo-script.js';
import { undoAllLine, undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { shellQuote } from '../../src/router/shell-quote.js';
import type { Op } from '../../src/plan/ops.js';

const exec = promisify(execFile);
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];

function runFiles(state: string) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-partial-'));
  const dir = join(root, 'runs', 'r1');
  const etc = join(root, 'etc');
  mkdirSync(dir, { recursive: true });
  mkdirSync(etc);
  writeFileSync(join(dir, 'state'), `${state}\n`);
  // Four steps ran (each wrote a file); their undo removes it.
  for (const i of [0, 1, 2, 3]) writeFileSync(join(etc, `step${i}`), `${i}\n`);
  writeFileSync(join(dir, 'begun-0'), '0\n1\n2\n3\n');
  const remove = (i: number): Op[] => [{ kind: 'file-remove', path: join(etc, `step${i}`) }];
  const local = (s: string) => s.replaceAll(RUNS_DIR, join(root, 'runs'));
  writeFileSync(join(dir, 'undo-0.sh'), local(undoBatchScript([0, 1, 2, 3].map(remove))));
  return { dir, etc, remove, local, has: (i: number) => existsSync(join(etc, `step${i}`)), begun: () => readFileSync(join(dir, 'begun-0'), 'utf8').trim().split('\n').filter(Boolean) };
}

/** A folder of BusyBox applet links (grep, mv, rm, sync), made once. */
let applets: string | undefined;
function busyboxBin(): string {
  if (applets) return applets;
  applets = mkdtempSync(join(tmpdir(), 'teqlctl-applets-'));
  for (const a of ['grep', 'mv', 'rm', 'sync', 'cat']) symlinkSync('/bin/busybox', join(applets, a));
  return applets;
}

async function sh(shell: string[], script: string): Promise<string> {
  return (await exec(shell[0]!, [...shell.slice(1), script], { encoding: 'utf8' })).stdout;
}

describe.each(SHELLS)('the partial undo under %s', (_name, shell) => {
  it('rewrites the meta\'s peers without the undone bundles\' ones, the other lines as they were', async () => {
    const f = runFiles('pending');
    writeFileSync(join(f.dir, 'meta'), 'run=r1\nowner=t@t\npeers=hub_spoke1,hub_spoke2,hub_spoke3\nboot=b1\n');
    const out = await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 1, undo: f.remove(1) }], '', undefined, ['hub_spoke1', 'hub_spoke3'])));
    expect(partialOutcome(out)).toEqual({ ok: true });
    expect(readFileSync(join(f.dir, 'meta'), 'utf8')).toBe('run=r1\nowner=t@t\npeers=hub_spoke1,hub_spoke3\nboot=b1\n');
    // Without kept peers given (an older caller), the meta is left alone.
    await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 2, undo: f.remove(2) }], '')));
    expect(readFileSync(join(f.dir, 'meta'), 'utf8')).toBe('run=r1\nowner=t@t\npeers=hub_spoke1,hub_spoke3\nboot=b1\n');
  });

  it('undoes the named steps only, and drops them from the journal so that the revert does not undo them again', async () => {
    const f = runFiles('pending');
    const out = await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 1, undo: f.remove(1) }, { batch: 0, index: 3, undo: f.remove(3) }], 'echo then-ran')));
    expect(partialOutcome(out)).toEqual({ ok: true });
    expect(out).toContain('then-ran');
    expect([0, 1, 2, 3].map(f.has)).toEqual([true, false, true, false]);
    expect(f.begun()).toEqual(['0', '2']);
    // The dead-man's revert afterwards undoes what is left: steps 0 and 2.
    for (const i of [1, 3]) writeFileSync(join(f.etc, `step${i}`), 'put back by someone else\n');
    await sh(shell, f.local(undoAllLine(f.dir, 'revert.log')));
    expect([0, 1, 2, 3].map(f.has)).toEqual([false, true, false, true]);
  });

  it('on a full disk the journal is kept as it was, and said; the revert then undoes what is left', async () => {
    const f = runFiles('pending');
    // The run folder on a full 64 KiB tmpfs, in a mount namespace of its own (unshare -r: no root
    // needed); BusyBox's applets first on PATH, as on a BusyBox router: its grep exits 0 when its
    // output cannot be written.
    const partial = f.local(partialUndoScript('r1', [{ batch: 0, index: 1, undo: f.remove(1) }], ''));
    const inside = [
      `cp -a ${f.dir} ${f.dir}.saved && mount -t tmpfs -o size=64k tmpfs ${f.dir} && cp -a ${f.dir}.saved/. ${f.dir}/ || exit 99`,
      `dd if=/dev/zero of=${f.dir}/fill bs=1k count=1000 2>/dev/null`,
      `PATH=${busyboxBin()}:$PATH ${shell.join(' ')} ${shellQuote(partial)}`,
      `echo @@begun; cat ${f.dir}/begun-0`,
      `${shell.join(' ')} ${shellQuote(f.local(undoAllLine(f.dir, 'revert.log')))}`,
    ].join('\n');
    const { stdout: out } = await exec('unshare', ['-r', '-m', 'sh', '-c', inside], { encoding: 'utf8' });
    expect(out).toContain('step 0.1 undone, but the journal could not be rewritten');
    expect(out.slice(out.indexOf('@@begun')).split('\n').slice(1).filter(Boolean)).toEqual(['0', '1', '2', '3']);
    expect([0, 1, 2, 3].map(f.has)).toEqual([false, false, false, false]);
  });

  it('holds after its first undone step when asked (--debug-hold partial), and a revert meanwhile leaves every step undone', async () => {
    const f = runFiles('pending');
    const script = f.local(partialUndoScript('r1', [{ batch: 0, index: 1, undo: f.remove(1) }, { batch: 0, index: 3, undo: f.remove(3) }], '', 2));
    const done = sh(shell, script);
    const marker = join(f.dir, 'debug-hold-partial');
    for (let i = 0; i < 100 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    // In the hold: step 3 (the newest) undone and out of the journal, step 1 not yet.
    expect([f.has(1), f.has(3)]).toEqual([true, false]);
    expect(f.begun()).toEqual(['0', '1', '2']);
    // The dead-man fires while the controller is gone: it reverts what the journal lists.
    await sh(shell, f.local(undoAllLine(f.dir, 'revert.log')));
    expect(partialOutcome(await done)).toEqual({ ok: true });
    expect([0, 1, 2, 3].map(f.has)).toEqual([false, false, false, false]);
  });

  it('a confirmed run whose lock another run took (a second operator\'s unlock while it waited for its peers): nothing undone beneath that run, said (a review)', async () => {
    const f = runFiles('confirmed');
    const lock = join(f.dir, '..', '..', 'lock');
    mkdirSync(lock);
    writeFileSync(join(lock, 'owner'), 'run=r2\nowner=o@p\n');
    const out = await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 0, undo: f.remove(0) }], 'echo FACTS')).replaceAll(LOCK_DIR, lock));
    expect(partialOutcome(out)).toEqual({ ok: false, state: 'confirmed,lock-taken' });
    expect(out).toContain('FACTS');
    expect([f.has(0), f.begun()]).toEqual([true, ['0', '1', '2', '3']]);
    writeFileSync(join(lock, 'owner'), 'run=r1\nowner=t@t\n');
    expect(partialOutcome(await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 0, undo: f.remove(0) }], '')).replaceAll(LOCK_DIR, lock)))).toEqual({ ok: true });
    expect(f.has(0)).toBe(false);
  });

  it('a confirmed run whose lock was removed (unlock) and not yet taken: taken back as the run\'s before its steps are undone, so no run takes it meanwhile (check then act, a review)', async () => {
    const f = runFiles('confirmed');
    const lock = join(f.dir, '..', '..', 'lock');
    writeFileSync(join(f.dir, 'meta'), 'run=r1\nowner=t@t\n');
    const out = await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 0, undo: f.remove(0) }], 'echo FACTS')).replaceAll(LOCK_DIR, lock));
    expect(partialOutcome(out)).toEqual({ ok: true });
    expect(f.has(0)).toBe(false);
    expect(readFileSync(join(lock, 'owner'), 'utf8')).toMatch(/^run=r1\nowner=t@t\nstarted=\S+\npid=\d+\n/);
  });

  it('a confirmed run whose lock was freed, taken by a later run that confirmed and freed it again: nothing undone beneath that run, said as lock-taken, the lock given back (a review)', async () => {
    const f = runFiles('confirmed');
    const lock = join(f.dir, '..', '..', 'lock');
    writeFileSync(join(f.dir, 'meta'), 'run=r1\nowner=t@t\nseq=1\n');
    mkdirSync(join(f.dir, '..', 'r2'));
    writeFileSync(join(f.dir, '..', 'r2', 'meta'), 'run=r2\nseq=2\n');
    writeFileSync(join(f.dir, '..', 'r2', 'state'), 'confirmed\n');
    const out = await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 0, undo: f.remove(0) }], 'echo FACTS')).replaceAll(LOCK_DIR, lock));
    expect(partialOutcome(out)).toEqual({ ok: false, state: 'confirmed,lock-taken' });
    expect([f.has(0), existsSync(lock)]).toEqual([true, false]);
  });

  it('stopped (TERM) in the middle of a step: the rest of its ops do not run, and the step stays in the journal for the revert (a review)', async () => {
    const f = runFiles('pending');
    // Step 3's first op stands for a hung command; its second writes a mark.
    const mark = join(f.etc, 'second-op');
    const script = f.local(partialUndoScript('r1', [{ batch: 0, index: 3, undo: [...f.remove(3), { kind: 'file-write', path: mark, content: 'x\n', executable: false }] }], 'echo FACTS')).replace(/rm -f [^\n;|&]*step3'?/, 'sleep 5');
    expect(script).toContain('sleep 5');
    const child = spawn(shell[0]!, [...shell.slice(1), script], { stdio: ['ignore', 'pipe', 'ignore'], detached: true });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const ended = new Promise((r) => child.on('close', r));
    for (let i = 0; i < 100 && !existsSync(join(f.dir, 'applier')); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    mkdirSync(join(f.dir, 'decided'));
    process.kill(-child.pid!, 'SIGTERM');
    await ended;
    expect(existsSync(mark)).toBe(false);
    expect(f.begun()).toEqual(['0', '1', '2', '3']);
    expect(partialOutcome(out).ok).toBe(false);
    expect(out).toContain('FACTS');
  });

  it('works on a run confirmed under its lock (a peer\'s confirmation failed)', async () => {
    const f = runFiles('confirmed');
    expect(partialOutcome(await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 0, undo: f.remove(0) }], ''))))).toEqual({ ok: true });
    expect(f.has(0)).toBe(false);
  });

  it('changes nothing on a run its dead-man or a rollback already decided, and says so', async () => {
    for (const state of ['reverting', 'reverted', 'rolled-back']) {
      const f = runFiles(state);
      const out = await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 2, undo: f.remove(2) }], '')));
      expect(partialOutcome(out)).toEqual({ ok: false, state });
      expect(f.has(2)).toBe(true);
      expect(f.begun()).toEqual(['0', '1', '2', '3']);
    }
  });

  it('skips a step the journal does not list as begun', async () => {
    const f = runFiles('pending');
    writeFileSync(join(f.dir, 'begun-0'), '0\n');
    await sh(shell, f.local(partialUndoScript('r1', [{ batch: 0, index: 2, undo: f.remove(2) }], '')));
    expect(f.has(2)).toBe(true);
  });
});

describe('the partial undo\'s journal rewrite, flushed before its rename where the file system needs it', () => {
  // sync and mv logged (dash: PATH is read), the mounts table a file of the test's.
  async function order(fsType: string): Promise<string[]> {
    const f = runFiles('pending');
    const root = join(f.dir, '..', '..');
    const bin = join(root, 'bin');
    mkdirSync(bin);
    for (const tool of ['sync', 'mv']) writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> ${root}/order\nexec /bin/${tool} "$@"\n`, { mode: 0o755 });
    writeFileSync(join(root, 'mounts'), `/dev/sdz1 / ${fsType} rw,relatime 0 0\n`);
    mkdirSync(join(root, 'jbd2', 'sdz1-8'), { recursive: true });
    const script = f.local(partialUndoScript('r1', [{ batch: 0, index: 1, undo: f.remove(1) }], '')).replaceAll('/proc/mounts', join(root, 'mounts')).replaceAll('/proc/fs/jbd2', join(root, 'jbd2'));
    expect(partialOutcome(await sh(['/bin/dash', '-c'], `PATH=${bin}:$PATH; ${script}`))).toEqual({ ok: true });
    expect(f.begun()).toEqual(['0', '2', '3']);
    return readFileSync(join(root, 'order'), 'utf8').trim().split('\n').map((l) => l.split(' ')[0]!);
  }

  it('on XFS the rewritten journal is on disk before it replaces the old (a power cut left it empty: the revert undid nothing)', async () => {
    expect(await order('xfs')).toEqual(['sync', 'mv', 'sync']);
  });

  it('on ext4 the rename alone, then the script\'s one flush', async () => {
    expect(await order('ext4')).toEqual(['mv', 'sync']);
  });
});
