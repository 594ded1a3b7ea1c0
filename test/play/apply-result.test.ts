// An apply round trip's output read back (play/apply-result.ts): which steps ran, and whether a
// hub's failed step fails its bundle alone or the whole host.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readApply } from '../../src/play/apply-result.js';
import { STEP_MARKER } from '../../src/router/markers.js';
import type { Op } from '../../src/plan/ops.js';
import type { Change } from '../../src/plan/types.js';

const ops: Op[] = ['eth1', 'eth3', 'eth2', 'eth4'].map((dev) => ({ kind: 'link', dev, up: true }));
const change = (resource: string): Change => ({ action: '~', resource, before: 'down', after: 'up', task: 't', pos: { file: 'p.yml', line: 1, col: 1 }, steps: [] });
const steps = ops.map((op) => ({ undo: [op], change: change(`link ${(op as { dev: string }).dev}`) }));
const bundles = ['teql0', 'teql1', 'teql0', 'teql1'];
const out = (codes: Array<[number, number]>, facts = '') => ({ code: 0, stdout: codes.map(([i, c]) => `${c ? 'RTNETLINK answers: Operation not permitted\n' : ''}${STEP_MARKER} ${i} ${c}\n`).join('') + facts, stderr: '' });

// What the facts script printed on router a of the lab (bench/record-fixtures.ts).
const FACTS = readFileSync(join(import.meta.dirname, '../../bench/fixtures/a-converged.txt'), 'utf8');

describe('readApply', () => {
  it('a failed step of one bundle whose later steps were skipped: that bundle fails alone, with its command, and the facts after are read', () => {
    const r = readApply('h', 0, ops, steps, out([[0, 0], [1, 1], [2, 0]], FACTS), bundles);
    expect(r.error).toBeUndefined();
    expect(r.bundleErrors).toEqual([{ bundle: 'teql1', message: '`ip link set dev eth3 up` failed (exit 1): RTNETLINK answers: Operation not permitted' }]);
    expect(r.entries.map((e) => [e.index, e.code])).toEqual([[0, 0], [1, 1], [2, 0]]);
    expect(r.after!.links.map((l) => l.name)).toContain('teql0');
  });

  it('a step of a bundle that did not fail missing from the output: the script ended early, the whole host fails', () => {
    const r = readApply('h', 0, ops, steps, out([[0, 0], [1, 1]]), bundles);
    expect(r.bundleErrors).toBeUndefined();
    expect(r.error).toMatch(/^apply script ended early/);
  });

  it('without bundles (a host of one bundle), the first failed step fails the host, as before', () => {
    const r = readApply('h', 0, ops, steps, { ...out([[0, 0], [1, 1]]), code: 1 });
    expect(r.error).toBe('`ip link set dev eth3 up` failed (exit 1): RTNETLINK answers: Operation not permitted');
    expect(r.after).toBeUndefined();
  });

  it('a failed step that belongs to no single bundle fails the host, even when a bundle\'s step failed before it', () => {
    const r = readApply('h', 0, ops, steps, { ...out([[0, 1], [1, 0], [2, 1]]), code: 1 }, ['teql0', 'teql1', undefined, 'teql1']);
    expect(r.error).toBe('`ip link set dev eth2 up` failed (exit 1): RTNETLINK answers: Operation not permitted');
    expect(r.bundleErrors).toBeUndefined();
  });

  it('a lock that cannot be taken (no /run) is a refusal with its reason, and a lock naming no run is still a lock', () => {
    const unusable = readApply('h', 0, ops, steps, { code: 3, stdout: "@@teqlctl-lock unusable\nmkdir: can't create directory '/run/teqlctl.lock': No such file or directory\n", stderr: '' });
    expect(unusable.entries).toEqual([]);
    expect(unusable.armFailed).toMatch(/^cannot take teqlctl's lock \/run\/teqlctl\.lock: mkdir: can't create directory/);
    const nameless = readApply('h', 0, ops, steps, { code: 3, stdout: '@@teqlctl-lock held\n', stderr: '' });
    expect(nameless.locked).toMatch(/^a lock that names no run/);
  });
});

