// The pruning of old run records, run under dash and BusyBox's sh over run folders in a temporary
// directory: which runs go (the oldest decided ones, by the router's own count), which stay (the
// latest KEEP_RUNS, anything undecided, the latest confirmed run), and the tombstones left.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KEEP_RUNS, PRUNE_SLACK, PRUNED_FILE, PRUNED_LINES, pruneRunsScript } from '../../src/deadman/prune-runs.js';
import { armScript } from '../../src/deadman/arm-script.js';
import { RUNS_DIR } from '../../src/router/paths.js';

const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];
const roots: string[] = [];
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

interface Run { id: string; seq?: number; state?: string; summary?: string; noMeta?: boolean }
const OWN = '20261203T120000-1-own';

/** Run folders as an apply leaves them: meta with its seq, state, and a file standing for the scripts. */
function routerWith(runs: readonly Run[]): string {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-prune-'));
  roots.push(root);
  for (const r of runs) {
    const d = join(root, 'runs', r.id);
    mkdirSync(d, { recursive: true });
    if (!r.noMeta) writeFileSync(join(d, 'meta'), `run=${r.id}\nowner=op@host\n${r.summary === undefined ? '' : `summary=${r.summary}\n`}${r.seq === undefined ? '' : `seq=${r.seq}\n`}`);
    if (r.state !== undefined) writeFileSync(join(d, 'state'), `${r.state}\n`);
    writeFileSync(join(d, 'undo-0.sh'), '#!/bin/sh\n');
  }
  return root;
}

/** Runs the prune as the arm of run OWN would; returns what it wrote to stderr (nothing, ever). */
function prune(shell: string[], root: string, env: NodeJS.ProcessEnv = process.env): string {
  const script = pruneRunsScript(OWN).replaceAll(PRUNED_FILE, join(root, 'pruned-runs')).replaceAll(RUNS_DIR, join(root, 'runs'));
  const r = spawnSync(shell[0]!, [...shell.slice(1), `umask 077\n${script}\necho done`], { encoding: 'utf8', env });
  expect(r.stdout).toBe('done\n');
  return r.stderr;
}

const left = (root: string) => readdirSync(join(root, 'runs')).sort();
const tombstones = (root: string) => (existsSync(join(root, 'pruned-runs')) ? readFileSync(join(root, 'pruned-runs'), 'utf8') : '');
/** Ids whose names sort as their seq does not (the controller's clock is no order): id 99-n for seq n. */
const id = (n: number) => `2026120${n % 9}T0000${String(99 - n).padStart(2, '0')}-1-run${n}`;
const many = (n: number, state = (_i: number): string | undefined => 'confirmed') => Array.from({ length: n }, (_, i) => ({ id: id(i + 1), seq: i + 1, state: state(i + 1) }));

describe.each(SHELLS)('pruneRunsScript under %s', (_name, shell) => {
  it(`leaves ${KEEP_RUNS + PRUNE_SLACK} runs as they are, with no process at all (the path of every arm)`, () => {
    const root = routerWith(many(KEEP_RUNS + PRUNE_SLACK));
    expect(prune(shell, root, { PATH: '/nonexistent' })).toBe('');
    expect(left(root)).toHaveLength(KEEP_RUNS + PRUNE_SLACK);
    expect(tombstones(root)).toBe('');
  });

  it(`past ${KEEP_RUNS + PRUNE_SLACK}, keeps the ${KEEP_RUNS} latest by the router's count, not by their names, and records each pruned one`, () => {
    const root = routerWith(many(35));
    prune(shell, root);
    expect(left(root)).toEqual(many(35).slice(15).map((r) => r.id).sort());
    expect(tombstones(root).trim().split('\n').sort()).toEqual(many(15).map((r) => `${r.id} confirmed`).sort());
  });

  it('never prunes an undecided run, a folder without a state, nor the latest confirmed run; prunes every decided state', () => {
    const states: Record<number, string | undefined> = { 1: 'reverted', 2: 'rolled-back', 3: 'confirmed', 4: 'abandoned', 5: 'pending', 6: 'rollback-confirmed', 7: undefined, 8: 'reverting', 9: 'rolling-back', 10: 'confirmed' };
    const runs = many(36, (i) => (i in states ? states[i] : 'rolled-back'));
    const root = routerWith(runs);
    prune(shell, root);
    // The 16 oldest are candidates; of them stay 5 (pending), 7 (no state), 8 and 9 (an undo a
    // reboot cut) and 10, the latest confirmed run: every later one was rolled back.
    const kept = [5, 7, 8, 9, 10, ...Array.from({ length: 20 }, (_, i) => 17 + i)];
    expect(left(root)).toEqual(kept.map(id).sort());
    // A tombstone for the confirmed one only: a peer's rollback reads an undone run and no record alike.
    expect(tombstones(root)).toBe(`${id(3)} confirmed\n`);
  });

  it("never prunes the run's own folder nor any folder without a meta (teqlctl's rollback marks so a run whose apply had not armed yet: that arm must find it), nor a run an undecided rollback would redo", () => {
    const runs = many(36, (i) => (i === 36 ? 'confirmed' : 'rolled-back'));
    const root = routerWith([
      ...runs,
      { id: OWN, state: 'rolled-back', noMeta: true },
      { id: '20200101T000000-1-marked', state: 'rolled-back', noMeta: true },
      { id: `${id(40)}-rollback`, seq: 40, state: 'reverting', summary: `rollback of ${id(2)}` },
    ]);
    expect(prune(shell, root)).toBe('');
    // 39 folders: 19 candidates, 3 of them kept here (the two without a meta, and run 2).
    expect(left(root)).toEqual([OWN, '20200101T000000-1-marked', id(2), ...many(36).slice(19).map((r) => r.id), `${id(40)}-rollback`].sort());
  });

  it("never prunes a run whose undo failed a step (its undo_failed_at): the router may still hold it, and `teqlctl status` must go on saying so", () => {
    const runs = many(36, (i) => (i === 36 ? 'confirmed' : i === 3 || i === 4 ? 'rolled-back' : 'reverted'));
    const root = routerWith(runs);
    writeFileSync(join(root, 'runs', id(3), 'undo_failed_at'), '2026-12-07T10:00:00Z\n');
    prune(shell, root);
    // 16 candidates: run 3 stays, run 4 (undone whole) goes.
    expect(left(root)).toEqual([id(3), ...many(36).slice(16).map((r) => r.id)].sort());
  });

  it('on a disk already full, the undone runs go first, without a write, and make the room for the tombstones of the confirmed ones', () => {
    const mnt = mkdtempSync(join(tmpdir(), 'teqlctl-prune-full-'));
    roots.push(mnt);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt]);
    try {
      const runs = many(35, (i) => (i <= 10 ? 'rolled-back' : i <= 15 ? 'confirmed' : 'reverted'));
      const root = join(mnt, 'teqlctl');
      for (const r of runs) {
        mkdirSync(join(root, 'runs', r.id), { recursive: true });
        writeFileSync(join(root, 'runs', r.id, 'meta'), `seq=${r.seq}\n`);
        writeFileSync(join(root, 'runs', r.id, 'state'), `${r.state}\n`);
      }
      expect(spawnSync('sh', ['-c', `cat /dev/zero > ${join(mnt, 'filler')}`]).status).not.toBe(0);
      expect(spawnSync('sh', ['-c', `echo x >> ${join(root, 'probe')}`]).status).not.toBe(0);
      expect(prune(shell, root)).toBe('');
      expect(left(root)).toEqual(many(35).slice(14).map((r) => r.id).sort());
      expect(tombstones(root)).toBe([11, 12, 13, 14].map((i) => `${id(i)} confirmed\n`).join(''));
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('orders runs of an older teqlctl (no seq) first, by their ids; a damaged state is left alone', () => {
    const old = Array.from({ length: 12 }, (_, i) => ({ id: `20250101T0000${String(10 + i)}-1-old`, state: 'confirmed' }));
    const root = routerWith([...old, ...many(22, (i) => (i === 1 ? 'con firmed' : 'reverted'))]);
    prune(shell, root);
    // 34 runs, 14 candidates: the 12 seq-less ones, then seq 1 (its state damaged: stays) and seq 2.
    // The latest confirmed run of all is the last seq-less one by id.
    expect(left(root)).toEqual([old[11]!.id, id(1), ...many(22).slice(2).map((r) => r.id)].sort());
    expect(tombstones(root)).toBe(old.slice(0, 11).map((r) => `${r.id} confirmed\n`).join(''));
  });

  it('removes what a prune cut by a power loss left (a renamed folder), and keeps older tombstones', () => {
    const root = routerWith(many(3));
    mkdirSync(join(root, 'runs', '.pruned-x', 'records'), { recursive: true });
    writeFileSync(join(root, 'pruned-runs'), 'earlier confirmed\n');
    prune(shell, root);
    expect(readdirSync(join(root, 'runs'))).toHaveLength(3);
    expect(tombstones(root)).toBe('earlier confirmed\n');
  });

  it(`keeps the tombstones' file to the latest ${PRUNED_LINES} lines once it holds over twice that`, () => {
    const root = routerWith(many(31));
    writeFileSync(join(root, 'pruned-runs'), Array.from({ length: 2 * PRUNED_LINES }, (_, i) => `old${i} confirmed\n`).join(''));
    prune(shell, root);
    const lines = tombstones(root).trim().split('\n');
    expect(lines).toHaveLength(PRUNED_LINES);
    expect(lines[lines.length - 1]).toBe(`${id(11)} confirmed`);
  });
});

describe('armScript', () => {
  const o = { runId: 'r1', owner: 'op@host', batch: 0, undo: [], redo: [], timeoutSec: 60, summary: 'x' };
  it("prunes on a run's first apply only, before its own folder is made", () => {
    const first = armScript({ ...o, first: true });
    expect(first.indexOf('pruned-runs')).toBeGreaterThan(-1);
    expect(first.indexOf('pruned-runs')).toBeLessThan(first.indexOf(`mkdir -m 700 ${RUNS_DIR}/r1`));
    expect(armScript({ ...o, batch: 1, first: false })).not.toContain('pruned-runs');
  });
});
