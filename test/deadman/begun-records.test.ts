// The write-ahead journal of a batch's baseline entries: one flushed record for all of them, and
// what the revert makes of entries journaled ahead that never ran (nothing), run under dash and
// BusyBox's sh with `ip` and `sync` as logging stand-ins in a temporary folder.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { begunRecords } from '../../src/deadman/begun-records.js';
import { begunLine } from '../../src/deadman/arm-script.js';
import { undoBatchScript } from '../../src/deadman/batch-scripts.js';
import { stepsScript } from '../../src/apply/script.js';
import type { Op } from '../../src/plan/ops.js';

const set = (key: string): Op => ({ kind: 'baseline-set', key, value: 'old' });
const unset = (key: string): Op => ({ kind: 'baseline-unset', key });
const link = (dev: string): Op => ({ kind: 'link', dev, up: true });
const file: Op = { kind: 'file-write', path: '/etc/teqlctl/x', content: 'x', executable: false };

describe('begunRecords', () => {
  it('on a hub, each bundle\'s entries (and the shared ones) are journaled ahead by their own first: a bundle skipped from its first step on leaves the others flushed', () => {
    const ops = [link('eth1'), set('k1'), set('k2'), set('k3'), set('k4'), set('k5')];
    expect(begunRecords(ops, ['U', 'U', 'V', 'U', undefined, 'V'])).toEqual([
      { durable: false, ahead: [] },
      { durable: true, ahead: [3] },
      { durable: true, ahead: [5] },
      { durable: false, ahead: [] },
      { durable: true, ahead: [] },
      { durable: false, ahead: [] },
    ]);
  });

  it("journals every baseline entry of the batch, flushed, when the first one begins; each later one unflushed", () => {
    const ops = [link('eth0'), set('k1'), link('eth1'), set('k2'), file, set('k3'), link('eth2')];
    expect(begunRecords(ops)).toEqual([
      { durable: false, ahead: [] },
      { durable: true, ahead: [3, 5] },
      { durable: false, ahead: [] },
      { durable: false, ahead: [] },
      { durable: true, ahead: [] },
      { durable: false, ahead: [] },
      { durable: false, ahead: [] },
    ]);
  });

  it('a batch with one entry, or none, journals nothing ahead', () => {
    expect(begunRecords([set('k1'), link('eth1')])).toEqual([{ durable: true, ahead: [] }, { durable: false, ahead: [] }]);
    expect(begunRecords([link('eth1')])).toEqual([{ durable: false, ahead: [] }]);
  });
});

const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];

function router() {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-begun-'));
  const bin = join(root, 'bin');
  const run = join(root, 'runs', 'r1');
  mkdirSync(bin);
  mkdirSync(run, { recursive: true });
  // ip fails for eth-bad: a batch that stops half-way. sync logs its arguments.
  writeFileSync(join(bin, 'ip'), `#!/bin/sh\necho "ip $*" >> ${root}/calls\ncase "$*" in *eth-bad*) exit 2;; esac\n`);
  writeFileSync(join(bin, 'sync'), `#!/bin/sh\necho "sync $*" >> ${root}/calls\n`);
  for (const f of ['ip', 'sync']) chmodSync(join(bin, f), 0o755);
  writeFileSync(join(root, 'baseline'), 'k0\tkept\n');
  writeFileSync(join(run, 'begun-0'), '');
  // The baseline's folder on ext4 with its journal, as the lab's: renames need no flush before them
  // (router/rename-flush.ts), and the flushes counted are the batch's.
  writeFileSync(join(root, 'mounts'), '/dev/sdz1 / ext4 rw,relatime 0 0\n');
  mkdirSync(join(root, 'jbd2', 'sdz1-8'), { recursive: true });
  // The stand-ins by their paths: BusyBox's sh runs its own applets before any on PATH.
  const local = (script: string) => script.replaceAll('/var/lib/teqlctl', root).replaceAll('/proc/mounts', join(root, 'mounts')).replaceAll('/proc/fs/jbd2', join(root, 'jbd2'))
    .replaceAll('{ ip link', `{ ${bin}/ip link`).replaceAll('{ sync -f', `{ ${bin}/sync -f`).replaceAll('|| sync -f', `|| ${bin}/sync -f`);
  const sh = (shell: string[], script: string) => {
    try {
      return { code: 0, out: execFileSync(shell[0]!, [...shell.slice(1), local(script)], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } }) };
    } catch (err) {
      return { code: (err as { status: number }).status, out: (err as { stdout: string }).stdout };
    }
  };
  const read = (name: string) => readFileSync(join(root, name), 'utf8');
  const calls = () => read('calls').trim().split('\n');
  return { root, sh, read, calls, begun: () => read('runs/r1/begun-0').trim().split('\n').map(Number) };
}

const batch = (ops: Op[]) => {
  const records = begunRecords(ops);
  return stepsScript(ops, { onBegin: (i) => begunLine('r1', 0, i, records[i]!.durable, records[i]!.ahead) });
};

describe.each(SHELLS)('a batch with three baseline entries, under %s', (_name, shell) => {
  const ops = [set('k1'), link('eth1'), set('k2'), link('eth2'), set('k3'), link('eth3')];

  it('all run: each entry is journaled before it runs, the journal flushed once for the three, the baseline flushed once after the batch', () => {
    const r = router();
    expect(r.sh(shell, batch(ops)).code).toBe(0);
    expect(new Set(r.begun())).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    const syncs = r.calls().filter((c) => c.startsWith('sync'));
    expect(syncs).toEqual([`sync -f ${r.root}/runs/r1/begun-0`, `sync -f ${r.root}`]);
    // The first flush comes before the first entry is written, i.e. before anything else ran.
    expect(r.calls()[0]).toBe(`sync -f ${r.root}/runs/r1/begun-0`);
    expect(r.read('baseline')).toBe('k0\tkept\nk1\told\nk2\told\nk3\told\n');
  });

  it('a batch stopped by a failed step: the revert undoes the entries journaled ahead that never ran, and the baseline is as before', () => {
    const r = router();
    const stopped = [set('k1'), link('eth1'), set('k2'), link('eth-bad'), set('k3'), link('eth3')];
    expect(r.sh(shell, batch(stopped)).code).toBe(1);
    expect(r.read('baseline')).toBe('k0\tkept\nk1\told\nk2\told\n');
    expect(new Set(r.begun())).toEqual(new Set([0, 1, 2, 3, 4]));
    // The revert's undo of batch 0, as arming writes it: every begun step's inverse, last first.
    const undo = undoBatchScript(stopped.map((op) => (op.kind === 'baseline-set' ? [unset(op.key)] : [])));
    writeFileSync(join(r.root, 'runs', 'r1', 'undo-0.sh'), undo.replaceAll('/var/lib/teqlctl', r.root));
    expect(r.sh(shell, `/bin/sh ${r.root}/runs/r1/undo-0.sh`).code).toBe(0);
    expect(r.read('baseline')).toBe('k0\tkept\n');
  });

  it('a hub\'s batch whose bundle Y fails a step: Y\'s later entry is skipped, X\'s steps run, the baseline is flushed once at the end; the controller dying right there, the revert leaves the baseline as before', () => {
    const r = router();
    const hub = [set('k1'), link('eth1'), set('k2'), link('eth-bad'), set('k3'), link('eth3')];
    const bundles = ['X', 'X', 'Y', 'Y', 'Y', 'X'];
    const records = begunRecords(hub, bundles);
    const script = stepsScript(hub, { onBegin: (i) => begunLine('r1', 0, i, records[i]!.durable, records[i]!.ahead), bundles });
    const res = r.sh(shell, script);
    expect(res.code).toBe(0);
    expect(r.calls().filter((c) => c.startsWith('ip'))).toEqual(['ip link set dev eth1 up', 'ip link set dev eth-bad up', 'ip link set dev eth3 up']);
    expect(r.read('baseline')).toBe('k0\tkept\nk1\told\nk2\told\n');
    // Each bundle's first entry flushes its own record (X's k1, Y's k2 with k3 ahead), the baseline once at the end.
    expect(r.calls().filter((c) => c.startsWith('sync'))).toEqual([`sync -f ${r.root}/runs/r1/begun-0`, `sync -f ${r.root}/runs/r1/begun-0`, `sync -f ${r.root}`]);
    // k3 (step 4) journaled ahead with Y's first entry, never begun on its own line, never run.
    expect(new Set(r.begun())).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    const undo = undoBatchScript(hub.map((op) => (op.kind === 'baseline-set' ? [unset(op.key)] : [])));
    writeFileSync(join(r.root, 'runs', 'r1', 'undo-0.sh'), undo.replaceAll('/var/lib/teqlctl', r.root));
    expect(r.sh(shell, `/bin/sh ${r.root}/runs/r1/undo-0.sh`).code).toBe(0);
    expect(r.read('baseline')).toBe('k0\tkept\n');
  });

  it('a run decided before a later entry: that entry does not start, though journaled ahead', () => {
    const r = router();
    const script = stepsScript(ops, {
      onBegin: (i) => {
        const rec = begunRecords(ops)[i]!;
        return (i === 2 ? `mkdir /var/lib/teqlctl/runs/r1/decided; ` : '') + begunLine('r1', 0, i, rec.durable, rec.ahead);
      },
    });
    const res = r.sh(shell, script);
    expect(res.code).toBe(3);
    expect(res.out).toContain('step 2 not started');
    expect(r.read('baseline')).toBe('k0\tkept\nk1\told\n');
  });
});
