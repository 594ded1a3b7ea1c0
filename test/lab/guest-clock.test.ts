// The script that sets a restored router's clock (src/lab/guest-clock.ts), run by this machine's sh
// with a stand-in `date` that records what it was asked.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SET_CLOCK } from '../../src/lab/guest-clock.js';

/** Runs the script with the host's answer on stdin; `date` refuses a fraction when `busybox`. */
function setClock(answer: string, busybox: boolean): { stdout: string; calls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-clock-'));
  const log = join(dir, 'calls');
  writeFileSync(join(dir, 'date'), `#!/bin/sh\necho "$*" >> ${log}\n${busybox ? 'case "$3" in *.*) exit 1;; esac\n' : ''}exit 0\n`);
  chmodSync(join(dir, 'date'), 0o755);
  const stdout = execFileSync('sh', ['-c', SET_CLOCK], { input: answer, encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}` } });
  return { stdout, calls: readFileSync(log, 'utf8').trim().split('\n') };
}

describe("a restored router's clock", () => {
  it('says it is ready, then sets the time it reads, to the millisecond where date takes it', () => {
    expect(setClock('1796013731.587 1796013732\n', false)).toEqual({ stdout: 'ready\n', calls: ['-u -s @1796013731.587'] });
  });

  it("where date takes whole seconds only (BusyBox), the rounded ones sent beside", () => {
    expect(setClock('1796013731.587 1796013732\n', true).calls).toEqual(['-u -s @1796013731.587', '-u -s @1796013732']);
  });
});
