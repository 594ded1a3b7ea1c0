// A branch with two uplinks, one to each of two head offices (a host of two bundles whose peers are
// hubs), replayed as hub-domains.test.ts does: its confirmation failing must fail its two bundles
// only. Confirmed at once with both hubs, its dead-man firing rolled both hubs back wholly with
// every healthy branch of theirs when they write boot files (a review, 2026-12-05).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { loadRun } from '../../src/load/index.js';
import { runPlay } from '../../src/play/run-play.js';
import { RunLog } from '../../src/play/run-log.js';
import { confirmWaves } from '../../src/play/confirm-waves.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { planHost } from '../../src/plan/plan-host.js';
import { goesWith, scopesOf, taskBundles } from '../../src/plan/bundle-scope.js';
import type { TaskInstance } from '../../src/load/types.js';
import { hubPristine } from '../../bench/fleet/hub-fleet.js';
import { HUB_PLAYBOOK } from '../../bench/fleet/hub-facts.js';
import { renderFacts } from '../../bench/fleet/render-facts.js';
import { RecordedRouter } from '../helpers/replay-transport.js';

type End = { peer: string; dev: number; slaves: [number, number]; prefix: string; even: boolean };

/** H1 ends bundles to A0, A1, A2 and S; H2 to B0 and S: S is the branch of two uplinks. */
function dualHomed(failing: string[], extraVars: string[]) {
  const ends = new Map<string, End[]>();
  let n = 0;
  const bundle = (x: string, dx: number, sx: [number, number], y: string, dy: number, sy: [number, number]) => {
    const prefix = `10.20.${++n}`;
    for (const h of [x, y]) if (!ends.has(h)) ends.set(h, []);
    ends.get(x)!.push({ peer: y, dev: dx, slaves: sx, prefix, even: true });
    ends.get(y)!.push({ peer: x, dev: dy, slaves: sy, prefix, even: false });
  };
  bundle('H1', 0, [1, 2], 'A0', 0, [1, 2]);
  bundle('H1', 1, [3, 4], 'A1', 0, [1, 2]);
  bundle('H1', 2, [5, 6], 'A2', 0, [1, 2]);
  bundle('H1', 3, [7, 8], 'S', 0, [1, 2]);
  bundle('H2', 0, [1, 2], 'B0', 0, [1, 2]);
  bundle('H2', 1, [3, 4], 'S', 1, [3, 4]);
  const lines = ['all:', '  children:', '    routers:', '      hosts:'];
  [...ends].forEach(([name, bs], i) => {
    lines.push(`        ${name}:`, `          ansible_port: ${40000 + i}`, '          teql_bundles:');
    for (const b of bs) {
      const [a, c] = b.even ? [0, 2] : [1, 3];
      lines.push(`            - { peer: ${b.peer}, device: teql${b.dev}, slaves: [eth${b.slaves[0]}, eth${b.slaves[1]}], address: ${b.prefix}.${b.even ? 4 : 5}/31, link_addresses: [{ dev: eth${b.slaves[0]}, address: ${b.prefix}.${a}/31 }, { dev: eth${b.slaves[1]}, address: ${b.prefix}.${c}/31 }] }`);
    }
  });
  lines.push('      vars:', '        ansible_host: 127.0.0.1', '        ansible_user: root', '        ansible_ssh_private_key_file: /tmp/id', '');
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-dual-'));
  writeFileSync(join(dir, 'inv.yml'), lines.join('\n'));
  const loaded = loadRun(join(dir, 'inv.yml'), HUB_PLAYBOOK, { extraVars });
  const pristine = hubPristine(parseFacts('x', readFileSync('bench/fixtures/a-pristine.txt', 'utf8')));
  const routers = new Map<string, RecordedRouter>();
  for (const host of ends.keys()) {
    const tasks: TaskInstance[] = loaded.plays[0]!.tasks.get(host) ?? [];
    const scopes = scopesOf(host, loaded.bundles);
    const mine = scopes.map((s) => s.bundle);
    const failed = new Set(failing.filter((b) => mine.includes(b)));
    const exclude = (t: TaskInstance) => goesWith(taskBundles(t, scopes), failed, mine);
    const sim: Record<string, string> = { pristine: renderFacts(pristine), converged: renderFacts(planHost(host, tasks, pristine).expected) };
    if (tasks.some((t) => t.persist)) sim.applied = renderFacts(planHost(host, tasks, pristine, { persistence: false }).expected);
    if (failed.size > 0 && failed.size < mine.length) {
      sim.partial = renderFacts(planHost(host, tasks, pristine, { exclude, persistence: false }).expected);
      sim.kept = renderFacts(planHost(host, tasks, pristine, { exclude }).expected);
    }
    routers.set(host, new RecordedRouter('a', sim as any));
  }
  const run = () => runPlay(loaded, {
    runId: 'test-run-1', confirmTimeoutSec: 120, owner: 't@t', check: false, forks: 6, mode: 'silent', log: new RunLog(undefined, []),
    connect: async (h) => routers.get(h)!.connect(h), connectFresh: async (h) => routers.get(h)!.connect(h),
    showPlan: () => undefined, approve: async () => true, interrupted: () => false,
  });
  return { routers, run };
}

describe('a branch with two uplinks to two head offices', () => {
  it('its dead-man firing before its confirmation fails its two bundles only: both hubs keep their other branches, boot files and all (exit 10)', async () => {
    const f = dualHomed(['H1:teql3<->S:teql0', 'S:teql1<->H2:teql1'], ['teql_persist=true']);
    f.routers.get('S')!.overrides.set('confirm', (_s, rec) => ({ ...rec, stdout: '@@teqlctl-confirm too-late reverted decided-by=revert\n', code: 1, state: 'pristine' }));
    // A router whose run is confirmed takes no batch, as a real one answers.
    for (const h of ['H1', 'H2']) {
      const r = f.routers.get(h)!;
      r.overrides.set('apply', (_s, rec) => (r.kinds().includes('confirm') ? { stdout: '@@teqlctl-arm-failed run test-run-1 is no longer pending here: confirmed (decided by confirm); nothing of this phase was applied\n', code: 3 } : rec));
    }
    const r = await f.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
    expect(Object.fromEntries(r.bundles.map((b) => [b.name, b.status]))).toEqual({
      'H1:teql0<->A0:teql0': 'converged',
      'H1:teql1<->A1:teql0': 'converged',
      'H1:teql2<->A2:teql0': 'converged',
      'H1:teql3<->S:teql0': 'rolled back',
      'S:teql1<->H2:teql1': 'rolled back',
      'H2:teql0<->B0:teql0': 'converged',
    });
    expect(f.routers.get('H1')!.state).toBe('kept');
    expect(f.routers.get('H2')!.state).toBe('kept');
    expect(f.routers.get('S')!.state).toBe('pristine');
  });
});

describe('confirmWaves', () => {
  const units: Record<string, string[]> = { A0: ['h1a0'], A1: ['h1a1'], B0: ['h2b0'], S: ['h1s', 'sh2'], H2: ['h2b0', 'sh2'], H1: ['h1a0', 'h1a1', 'h1s'], P: ['pq'], Q: ['pq'] };
  it('the ends of one bundle first, together (a plain pair too); then fewest bundles first, two peers never in one wave', () => {
    expect(confirmWaves(['H1', 'A0', 'A1', 'S', 'H2', 'B0', 'P', 'Q'], (h) => units[h]!)).toEqual([['A0', 'A1', 'B0', 'P', 'Q'], ['S'], ['H2'], ['H1']]);
    // Two hubs of as many bundles that share none confirm together.
    expect(confirmWaves(['X', 'Y'], (h) => ({ X: ['x1', 'x2'], Y: ['y1', 'y2'] })[h]!)).toEqual([['X', 'Y']]);
  });
});
