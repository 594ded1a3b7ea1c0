// A router's /var out of inodes when the dead-man fires or teqlctl rolls back, for real under dash
// and BusyBox's sh: the run folder on a tmpfs whose every inode is taken, in a mount namespace of
// its own (unshare -r: no root needed). The undo's log cannot be created there; the undo must run
// all the same (it did not: a redirection that fails skips its command, and the revert recorded
// `reverted` having undone nothing). File steps stand in for ip/tc, as in state-machine.test.ts.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { revertScript } from '../../src/deadman/arm-script.js';
import { undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { rollbackScript } from '../../src/deadman/rollback-script.js';
import { RESERVE } from '../../src/router/decision.js';
import { LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { shellQuote } from '../../src/router/shell-quote.js';
import type { Op } from '../../src/plan/ops.js';

const exec = promisify(execFile);
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];
const RUN = 'r1';

/** A pending run whose three steps ran (each wrote a file), with its reserve, as arming leaves it. */
function armedRun() {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-inodes-'));
  const runs = join(root, 'runs');
  const dir = join(runs, RUN);
  const etc = join(root, 'etc');
  mkdirSync(dir, { recursive: true });
  mkdirSync(etc);
  mkdirSync(join(root, 'lock'));
  writeFileSync(join(root, 'lock', 'owner'), `run=${RUN}\nowner=t@t\n`);
  writeFileSync(join(dir, 'state'), 'pending\n');
  writeFileSync(join(dir, RESERVE), 'x'.repeat(32 * 1024));
  for (const i of [0, 1, 2]) writeFileSync(join(etc, `step${i}`), `${i}\n`);
  writeFileSync(join(dir, 'begun-0'), '0\n1\n2\n');
  const local = (s: string) => s.replaceAll(RUNS_DIR, runs).replaceAll(LOCK_DIR, join(root, 'lock'));
  const remove = (i: number): Op[] => [{ kind: 'file-remove', path: join(etc, `step${i}`) }];
  writeFileSync(join(dir, 'undo-0.sh'), local(undoBatchScript([0, 1, 2].map(remove))));
  return { root, runs, dir, local, has: (i: number) => existsSync(join(etc, `step${i}`)) };
}

/**
 * Runs `script` with the runs folder on a tmpfs out of inodes; /run on a tmpfs of its own, with room
 * or (`runFull`) read-only, where no file can be made either. Prints the run's state and the fallback log in /run after it.
 */
async function outOfInodes(shell: string[], runs: string, script: string, runFull: boolean): Promise<string> {
  const inside = [
    `cp -a ${runs} ${runs}.saved && mount -t tmpfs -o size=1m,nr_inodes=64 tmpfs ${runs} && cp -a ${runs}.saved/. ${runs}/ || exit 99`,
    `mount -t tmpfs -o size=64k${runFull ? ',ro' : ''} tmpfs /run || exit 98`,
    // `true`, not `:`: a special builtin's failed redirection would end this script.
    `i=0; while true 2>/dev/null > ${runs}/fill$i; do i=$((i+1)); done`,
    `${shell.join(' ')} ${shellQuote(script)}; echo "@@exit $?"`,
    `echo "@@state $(cat ${runs}/${RUN}/state)"`,
    `echo "@@in-run $(ls /run)"`,
    `echo @@log; cat /run/teqlctl-${RUN}-* 2>/dev/null; true`,
  ].join('\n');
  return (await exec('unshare', ['-r', '-m', 'sh', '-c', inside], { encoding: 'utf8' })).stdout;
}

describe.each(SHELLS)('a file system out of inodes, under %s', (_name, shell) => {
  it.each([false, true])("the dead-man's revert still undoes every step, its log in /run where it has room (/run full: %s)", async (runFull) => {
    const r = armedRun();
    const out = await outOfInodes(shell, r.runs, r.local(revertScript(RUN)), runFull);
    expect(out).toContain('@@exit 0');
    expect(out).toContain('@@state reverted');
    expect([0, 1, 2].map(r.has)).toEqual([false, false, false]);
    // The undo's log (empty: every step undone) went to /run, or nowhere when /run had no room either.
    expect(out).toContain(runFull ? '@@in-run \n' : `@@in-run teqlctl-${RUN}-revert.log\n`);
    expect(out.slice(out.indexOf('@@log'))).toBe('@@log\n');
    expect(existsSync(join(r.root, 'lock'))).toBe(false);
  });

  it("teqlctl's rollback still undoes every step, and says which failed", async () => {
    const r = armedRun();
    // Step 1's file made undeletable (a folder with a file in it): its undo fails and must be said.
    const step1 = join(r.root, 'etc', 'step1');
    rmSync(step1);
    mkdirSync(step1);
    writeFileSync(join(step1, 'inside'), '');
    const out = await outOfInodes(shell, r.runs, r.local(rollbackScript(RUN, { then: 'echo FACTS' })), false);
    expect(out).toContain('@@exit 0');
    expect(out).toContain('FACTS');
    expect(out).toMatch(/undo step 1 failed/);
    expect([r.has(0), r.has(2)]).toEqual([false, false]);
    expect(out).toContain('@@state rolled-back');
  });
});
