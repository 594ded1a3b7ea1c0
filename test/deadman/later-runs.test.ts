// Under `teqlctl rollback`'s lock: a run armed after the one to undo and confirmed refuses the undo
// (its values would be put back beneath that run), run for real under dash and BusyBox sh.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { laterRunsIn, refuseLaterRunLines } from '../../src/deadman/later-runs.js';
import { RUNS_DIR } from '../../src/router/paths.js';

const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash']], ['busybox sh', ['/bin/busybox', 'sh']]];

function runs(list: Array<[string, string, number | undefined]>) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-later-'));
  for (const [id, state, seq] of list) {
    mkdirSync(join(root, id));
    writeFileSync(join(root, id, 'state'), `${state}\n`);
    writeFileSync(join(root, id, 'meta'), `run=${id}\nowner=o\n${seq === undefined ? '' : `seq=${seq}\n`}`);
  }
  return (shell: string[], runId: string) => {
    const r = spawnSync(shell[0]!, [...shell.slice(1), '-c', `${refuseLaterRunLines(runId, 'echo RELEASED').replaceAll(RUNS_DIR, root)}\necho GO`], { encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout };
  };
}

describe.each(SHELLS)('runs confirmed after the one to undo, under %s', (_name, shell) => {
  it('names every later confirmed run, frees the lock and stops (exit 3); earlier, rolled-back or unnumbered runs do not count', () => {
    const check = runs([['r1', 'confirmed', 4], ['r0', 'confirmed', 3], ['r2', 'rolled-back', 5], ['r3', 'confirmed', 6], ['r4', 'confirmed', 12], ['old', 'confirmed', undefined]]);
    const r = check(shell, 'r1');
    expect(r.code).toBe(3);
    expect(r.stdout.startsWith('RELEASED\n')).toBe(true);
    expect(laterRunsIn(r.stdout)?.sort()).toEqual(['r3', 'r4']);
    expect(r.stdout).not.toContain('GO');
    // The latest: nothing said, the script goes on.
    expect(check(shell, 'r4')).toEqual({ code: 0, stdout: 'GO\n' });
    // A run without a number (an older teqlctl's): not checked here.
    expect(check(shell, 'old')).toEqual({ code: 0, stdout: 'GO\n' });
  });
});
