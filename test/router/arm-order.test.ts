// The number each run gets in the order the router armed them, run for real under dash and BusyBox's
// sh in a temporary folder: the next number after the counter, or after the highest a run folder
// records when the counter is lost, and the meta file that holds it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARM_SEQ_FILE, nextArmSeq, readRunSeq } from '../../src/router/arm-order.js';
import { metaLine } from '../../src/deadman/run-meta.js';
import { BOOT_ID_FILE, RUNS_DIR } from '../../src/router/paths.js';

const SHELLS: Array<[string, string]> = [['dash', '/bin/dash'], ['busybox sh', '/bin/busybox sh']];

function router(shell: string) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-seq-'));
  mkdirSync(join(root, 'runs'));
  const counter = join(root, 'arm-seq');
  const local = (script: string) => script.replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(ARM_SEQ_FILE, counter).replaceAll(BOOT_ID_FILE, join(root, 'boot-id'));
  const sh = (script: string) => {
    const r = spawnSync('/usr/bin/timeout', ['10', ...shell.split(' '), '-c', local(script)], { encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const next = () => sh(`${nextArmSeq('n')}; echo "$n"`);
  const run = (name: string, meta: string) => {
    mkdirSync(join(root, 'runs', name));
    writeFileSync(join(root, 'runs', name, 'meta'), meta);
  };
  return { root, counter, sh, next, run };
}

describe.each(SHELLS)('the order runs armed in, under %s', (_name, shell) => {
  it('counts on from the counter file, and records the number it gave out', () => {
    const r = router(shell);
    expect(r.next()).toEqual({ code: 0, stdout: '1\n', stderr: '' });
    expect(r.next().stdout).toBe('2\n');
    expect(readFileSync(r.counter, 'utf8')).toBe('2\n');
  });

  it('a counter lost (deleted, empty, damaged): on from the highest number a run folder records, never below it', () => {
    for (const damaged of [undefined, '', '12x\n']) {
      const r = router(shell);
      if (damaged !== undefined) writeFileSync(r.counter, damaged);
      r.run('r1', 'run=r1\nseq=3\nboot=x\n');
      r.run('r2', 'run=r2\nseq=9\n');
      r.run('r3', 'run=r3\nowner=an older teqlctl\n');
      r.run('r4', 'run=r4\nseq=1;reboot\n');
      expect(r.next().stdout).toBe('10\n');
      expect(readFileSync(r.counter, 'utf8')).toBe('10\n');
    }
  });

  it('a counter older than a run folder\'s meta (restored from a backup) is a floor: on from that run\'s number (a review)', () => {
    const r = router(shell);
    writeFileSync(r.counter, '3\n');
    utimesSync(r.counter, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    r.run('r8', 'run=r8\nseq=8\n');
    expect(r.next().stdout).toBe('9\n');
  });

  it('a counter that cannot be written, or keeps an old number: fails, and so does the meta file (no two runs with one number)', () => {
    const r = router(shell);
    mkdirSync(r.counter);
    r.run('r1', 'run=r1\nseq=4\n');
    expect(r.sh(`${nextArmSeq('n')} || echo "failed at $n"`)).toEqual({ code: 0, stdout: 'failed at 5\n', stderr: '' });
    mkdirSync(join(r.root, 'runs', 'run-2'));
    expect(r.sh(metaLine('run-2', 'op@host', 120, 'x')).code).not.toBe(0);
    expect(existsSync(join(r.root, 'runs', 'run-2', 'meta'))).toBe(false);
    // A counter that keeps what it held (a read-only file, as root sees it: a stand-in that ignores writes).
    const kept = router(shell);
    writeFileSync(kept.counter, '7\n');
    expect(kept.sh(`${nextArmSeq('n').replace(`> ${ARM_SEQ_FILE}`, '> /dev/null')} || echo "failed at $n"`).stdout).toBe('failed at 8\n');
  });

  it('the meta file records it, and reads back; a meta without it reads as unknown', () => {
    const r = router(shell);
    writeFileSync(r.counter, '41\n');
    mkdirSync(join(r.root, 'runs', 'run-1'));
    const wrote = r.sh(metaLine('run-1', 'op@host', 120, 'x'));
    expect(wrote.code, wrote.stderr).toBe(0);
    expect(readFileSync(join(r.root, 'runs', 'run-1', 'meta'), 'utf8')).toMatch(/\nseq=42\n/);
    expect(r.sh(`${readRunSeq(`${RUNS_DIR}/run-1/meta`, 's')}; echo "[$s]"`).stdout).toBe('[42]\n');
    r.run('old', 'run=old\nboot=b\n');
    expect(r.sh(`${readRunSeq(`${RUNS_DIR}/old/meta`, 's')}; echo "[$s]"`).stdout).toBe('[]\n');
    expect(r.sh(`${readRunSeq(`${RUNS_DIR}/none/meta`, 's')}; echo "[$s]"`).stdout).toBe('[]\n');
    expect(existsSync(r.counter)).toBe(true);
  });
});
