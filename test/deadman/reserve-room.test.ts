// The reserve's room for an undo that writes files back, on a /var that filled after arming, for
// real under dash and BusyBox's sh in a mount namespace (unshare -r: no root needed): the run's
// folder and the file to write back on one tmpfs, as /var holds both on a router. A review
// (2026-12-05) found the revert recording `reverted` with the run's version of a boot file still in
// place: out of inodes, the reserve freed one, which `decided` took, and the undo could make no
// temporary copy; out of bytes, a boot file larger than the reserve could not be written back.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { revertScript } from '../../src/deadman/arm-script.js';
import { undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { batchReserve, writeReserve } from '../../src/router/decision.js';
import { LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';
import { shellQuote } from '../../src/router/shell-quote.js';

const exec = promisify(execFile);
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];
const RUN = 'r1';

/**
 * A pending run on `var` whose one step replaced etc/boot.sh (the old text `old`, the run's `new`),
 * its reserve written as arming writes it (with a batch's room where the file is big); then the file
 * system is filled (`fill`: inodes or bytes), the revert runs, and its state and the file are printed.
 */
async function revertOnFullVar(shell: string[], old: string, fill: 'inodes' | 'bytes'): Promise<{ out: string; boot: string }> {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-room-'));
  const saved = join(root, 'saved');
  const runs = join(root, 'var', 'runs');
  const dir = join(runs, RUN);
  const boot = join(root, 'var', 'etc', 'boot.sh');
  mkdirSync(join(saved, 'runs', RUN), { recursive: true });
  mkdirSync(join(saved, 'etc'));
  mkdirSync(join(root, 'var'));
  mkdirSync(join(root, 'lock'));
  writeFileSync(join(root, 'lock', 'owner'), `run=${RUN}\nowner=t@t\n`);
  writeFileSync(join(saved, 'etc', 'boot.sh'), 'the run\'s version\n');
  writeFileSync(join(saved, 'runs', RUN, 'state'), 'pending\n');
  writeFileSync(join(saved, 'runs', RUN, 'begun-0'), '0\n');
  const local = (s: string) => s.replaceAll(RUNS_DIR, runs).replaceAll(LOCK_DIR, join(root, 'lock'));
  writeFileSync(join(saved, 'runs', RUN, 'undo-0.sh'), local(undoBatchScript([[{ kind: 'file-write', path: boot, content: old, executable: true }]])));
  const reserve = [writeReserve(dir), batchReserve(dir, 0, Buffer.byteLength(old)) ?? 'true'].map(local).join('\n');
  const inside = [
    `mount -t tmpfs -o size=512k,nr_inodes=64 tmpfs ${join(root, 'var')} && mkdir ${runs} && cp -a ${saved}/runs/. ${runs}/ && cp -a ${saved}/etc ${join(root, 'var')}/ || exit 99`,
    `${shell.join(' ')} ${shellQuote(`${reserve} && echo @@reserved`)}`,
    // Everything left taken, as a runaway log or another program takes it after the arm.
    fill === 'inodes' ? `i=0; while true 2>/dev/null > ${runs}/fill$i; do i=$((i+1)); done` : `dd if=/dev/zero of=${runs}/fill bs=4k 2>/dev/null; true`,
    `${shell.join(' ')} ${shellQuote(local(revertScript(RUN)))}; echo "@@exit $?"`,
    `echo "@@state $(cat ${dir}/state)"`,
    `cat ${boot} > ${join(root, 'boot-after')}`,
  ].join('\n');
  const out = (await exec('unshare', ['-r', '-m', 'sh', '-c', inside], { encoding: 'utf8', maxBuffer: 1 << 24 })).stdout;
  return { out, boot: readFileSync(join(root, 'boot-after'), 'utf8') };
}

describe.each(SHELLS)('a /var that filled after arming, the undo writing a file back, under %s', (_name, shell) => {
  it('out of inodes: the reserve\'s inodes let the undo make its temporary copy; the file is back, then the run is reverted', async () => {
    const { out, boot } = await revertOnFullVar(shell, '#!/bin/sh\necho the operator\'s boot file\n', 'inodes');
    expect(out).toContain('@@reserved');
    expect(out).toContain('@@exit 0');
    expect(out).toContain('@@state reverted');
    expect(boot).toBe('#!/bin/sh\necho the operator\'s boot file\n');
  });

  it('out of bytes, a boot file larger than the reserve: the batch\'s own room takes it', async () => {
    const big = `#!/bin/sh\n${'echo a long line of a boot file of many bundles\n'.repeat(1200)}`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(48 * 1024);
    const { out, boot } = await revertOnFullVar(shell, big, 'bytes');
    expect(out).toContain('@@reserved');
    expect(out).toContain('@@state reverted');
    expect(boot).toBe(big);
  });
});
