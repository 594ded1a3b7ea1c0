// The batch undo scripts and the line that runs them, with shell builtins only: a minimal BusyBox
// may lack dirname, basename, grep, ls, sed or sort, and the undo then found no journal and no
// batch, undid nothing and the revert recorded `reverted` (a review). Run under dash with a PATH
// that holds only the commands the steps themselves run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redoBatchScript, undoAllLine, undoBatchScript } from '../../src/deadman/batch-scripts.js';
import type { Op } from '../../src/plan/ops.js';

const STEP_COMMANDS = ['rm', 'mkdir', 'base64', 'wc', 'chmod', 'sync', 'mv'];

function runFolder() {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-batches-'));
  const bin = join(root, 'bin');
  const dir = join(root, 'run');
  const etc = join(root, 'etc');
  for (const d of [bin, dir, etc]) mkdirSync(d);
  for (const c of STEP_COMMANDS) symlinkSync(spawnSync('sh', ['-c', `command -v ${c}`], { encoding: 'utf8' }).stdout.trim(), join(bin, c));
  const sh = (script: string) => spawnSync('/bin/dash', ['-c', script], { encoding: 'utf8', env: { PATH: bin } });
  return { root, dir, etc, sh };
}

const write = (path: string, content: string): Op => ({ kind: 'file-write', path, content, executable: false });

describe('batch scripts without dirname, basename, grep, ls, sed or sort', () => {
  it('the undo of every batch runs newest first by number (10 before 2), each step only if its journal lists it', () => {
    const f = runFolder();
    const mark = join(f.etc, 'mark');
    // Batch 2 and batch 10 each write the mark in their undo; batch 10's step 1 never began.
    writeFileSync(join(f.dir, 'undo-2.sh'), undoBatchScript([[write(mark, 'batch 2\n')]]));
    writeFileSync(join(f.dir, 'begun-2'), '0\n');
    writeFileSync(join(f.dir, 'undo-10.sh'), undoBatchScript([[write(mark, 'batch 10\n')], [write(join(f.etc, 'never'), 'x\n')]]));
    writeFileSync(join(f.dir, 'begun-10'), '0');
    const r = f.sh(undoAllLine(f.dir, 'revert.log'));
    expect(r.status).toBe(0);
    expect(readFileSync(join(f.dir, 'revert.log'), 'utf8')).toBe('');
    expect(readFileSync(mark, 'utf8')).toBe('batch 2\n');
    expect(existsSync(join(f.etc, 'never'))).toBe(false);
  });

  it('a redo runs its begun steps, first step first', () => {
    const f = runFolder();
    const mark = join(f.etc, 'mark');
    writeFileSync(join(f.dir, 'redo-0.sh'), redoBatchScript([write(mark, 'step 0\n'), write(mark, 'step 1\n'), write(mark, 'step 2\n')]));
    writeFileSync(join(f.dir, 'begun-0'), '0\n1\n');
    expect(f.sh(`/bin/dash ${f.dir}/redo-0.sh`).status).toBe(0);
    expect(readFileSync(mark, 'utf8')).toBe('step 1\n');
  });
});
