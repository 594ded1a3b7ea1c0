// A fleet of three replayed pairs (each its own bundle): one broken pair never undoes the others.
import { runInBatches } from '../../src/play/run-batches.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { loadRun } from '../../src/load/index.js';
import { runPlay } from '../../src/play/run-play.js';
import { RunLog } from '../../src/play/run-log.js';
import type { PlayOptions } from '../../src/play/run-state.js';
import { CHECK_MARKER } from '../../src/router/markers.js';
import { checkIndices, rewriteForPair } from '../../bench/fleet/sim-host.js';
import { renderFleetInventory, simHostName } from '../../bench/fleet/inventory.js';
import { RecordedRouter, recording } from '../helpers/replay-transport.js';

const ROOT = join(import.meta.dirname, '../..');
const PAIRS = 3;

/** `batching`: play keywords put after `hosts:` of playbooks/teql.yml (serial, max_fail_percentage). */
const baseOptions = (): PlayOptions => ({
  confirmTimeoutSec: 120, owner: 'tester@test', check: false, forks: 6, mode: 'silent', log: new RunLog(undefined, []),
  connect: async () => { throw new Error('not here'); }, connectFresh: async () => { throw new Error('not here'); },
  showPlan: () => undefined, approve: async () => true, interrupted: () => false,
});

function fleet(batching: string[] = []) {
  const hosts = Array.from({ length: PAIRS * 2 }, (_, i) => ({ ...simHostName(i), port: 40000 + i }));
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-domains-'));
  writeFileSync(join(dir, 'fleet.yml'), renderFleetInventory(hosts, join(dir, 'id')));
  const chapter = readFileSync(join(ROOT, 'playbooks', 'teql.yml'), 'utf8').replace('  hosts: routers\n', `  hosts: routers\n${batching.map((l) => `  ${l}\n`).join('')}`);
  writeFileSync(join(dir, 'teql.yml'), chapter);
  const loaded = loadRun(join(dir, 'fleet.yml'), join(dir, 'teql.yml'));
  const routers = new Map(hosts.map((h) => [h.name, new RecordedRouter(h.router, {
    pristine: rewriteForPair(recording(h.router, 'pristine'), h.pair),
    converged: rewriteForPair(recording(h.router, 'converged'), h.pair),
  })]));
  const names = hosts.map((h) => h.name);
  const run = (opts: Partial<PlayOptions> = {}) => runPlay(loaded, {
    runId: 'test-run-1', confirmTimeoutSec: 120, owner: 'tester@test', check: false, forks: 6, mode: 'silent',
    log: new RunLog(undefined, []),
    connect: async (host) => routers.get(host)!.connect(host),
    connectFresh: async (host) => routers.get(host)!.connect(host),
    showPlan: () => undefined, approve: async () => true, interrupted: () => false,
    ...opts,
  });
  return { routers, names, run, loaded };
}

const lossy = (script: string) => ({ stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 3\n`).join('') });

describe('failure domains: one broken pair of a fleet', () => {
  it('has a bundle per pair', () => {
    expect(fleet().loaded.bundles.map((b) => b.name)).toEqual(['pair0000_a:teql0<->pair0000_b:teql0', 'pair0001_a:teql0<->pair0001_b:teql0', 'pair0002_a:teql0<->pair0002_b:teql0']);
  });

  it('a failed ping rolls back its pair only, on both ends; the other pairs are confirmed (exit 10)', async () => {
    const f = fleet();
    f.routers.get('pair0001_b')!.overrides.set('verify', (script, recorded) => ({ ...recorded, ...lossy(script) }));
    const r = await f.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
    expect(r.summary).toMatch(/^2 of 3 bundles converged and verified; 1 failed \(1 rolled back on both ends\): pair0001_a:teql0<->pair0001_b:teql0: verification failed: pair0001_b: ping /);
    expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', 'converged']);
    for (const h of ['pair0000_a', 'pair0000_b', 'pair0002_a', 'pair0002_b']) {
      expect(f.routers.get(h)!.state).toBe('converged');
      expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
    }
    for (const h of ['pair0001_a', 'pair0001_b']) {
      expect(f.routers.get(h)!.state).toBe('pristine');
      expect(f.routers.get(h)!.kinds()).not.toContain('confirm');
      expect(f.routers.get(h)!.kinds().at(-1)).toBe('rollback');
    }
    expect(r.hosts.map((h) => h.status)).toEqual(['changed', 'changed', 'rolled back', 'rolled back', 'changed', 'changed']);
  });

  it('an unreachable router ends its pair before anything changes there; its peer is not even read', async () => {
    const f = fleet();
    const r = await f.run({ connect: async (host) => {
      if (host === 'pair0002_a') throw new Error('connection refused');
      return f.routers.get(host)!.connect(host);
    } });
    expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
    expect(r.bundles.map((b) => [b.status, b.error ?? ''])).toEqual([['converged', ''], ['converged', ''], ['failed', 'unreachable: pair0002_a: connection refused']]);
    expect(f.routers.get('pair0002_b')!.kinds()).toEqual([]);
    expect(f.routers.get('pair0000_a')!.state).toBe('converged');
  });

  it('a failed confirmation rolls back its pair, the end that confirmed included, and no other', async () => {
    const f = fleet();
    f.routers.get('pair0000_b')!.overrides.set('confirm', (_s, recorded) => ({ ...recorded, stdout: '@@teqlctl-confirm too-late reverted decided-by=revert\n', code: 1 }));
    const r = await f.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
    expect(r.bundles.map((b) => b.status)).toEqual(['rolled back', 'converged', 'converged']);
    expect(f.routers.get('pair0000_a')!.kinds().slice(-2)).toEqual(['confirm', 'rollback']);
    expect(f.routers.get('pair0001_a')!.kinds().at(-1)).toBe('release');
  });

  it('when every pair fails, the run fails as before bundles: the stage\'s exit code, everything rolled back', async () => {
    const f = fleet();
    for (const h of f.names) f.routers.get(h)!.overrides.set('verify', (script, recorded) => ({ ...recorded, ...lossy(script) }));
    const r = await f.run();
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    expect(r.summary).toMatch(/; every host was rolled back to its state before the run$/);
    expect(r.bundles.every((b) => b.status === 'rolled back')).toBe(true);
    for (const h of f.names) expect(f.routers.get(h)!.state).toBe('pristine');
  });

  it('--check reads every pair, and an unreachable one does not hide the others\' plans', async () => {
    const f = fleet();
    const r = await f.run({ check: true, connect: async (host) => {
      if (host === 'pair0001_b') throw new Error('no route to host');
      return f.routers.get(host)!.connect(host);
    } });
    expect(r.exitCode).toBe(ExitCode.someBundlesFailed);
    expect(r.bundles.map((b) => b.status)).toEqual(['checked', 'failed', 'checked']);
    expect(r.hosts.find((h) => h.host === 'pair0002_a')!.planned.length).toBeGreaterThan(0);
  });
});

describe('--check beside another run', () => {
  it("in a batch of serial: another run's lock on one router makes the whole check exit 8, not 0 (a review)", async () => {
    const f = fleet(['serial: 1']);
    const held = 'run=20261207T101010-other\nowner=alice@ops\nstarted=2026-12-07T10:10:10Z\npid=42\nalive=1\n';
    f.routers.get('pair0001_a')!.overrides.set('facts', (_, rec) => ({ ...rec, stdout: rec.stdout.replace('@@teqlctl-section lock\n', `@@teqlctl-section lock\n${held}`) }));
    const r = await f.run({ check: true });
    expect(r.exitCode, r.summary).toBe(ExitCode.refused);
    expect(r.summary.split('\n')[1]).toMatch(/^batch 2\/3: check mode: nothing was changed; another run is under way on pair0001_a/);
  });
});

describe('serial and max_fail_percentage: batches of sites', () => {
  it('serial: 1 takes one pair at a time to confirmed before touching the next', async () => {
    const f = fleet(['serial: 1']);
    const order: string[] = [];
    const r = await f.run({ connect: async (host) => {
      order.push(host);
      return f.routers.get(host)!.connect(host);
    } });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    // Each pair's routers are connected only once the pair before is confirmed and released.
    expect(order).toEqual(f.names);
    expect(f.routers.get('pair0000_a')!.kinds().at(-1)).toBe('release');
    expect(r.summary.split('\n')).toEqual(['batch 1/3: converged and verified', 'batch 2/3: converged and verified', 'batch 3/3: converged and verified']);
    expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'converged', 'converged']);
  });

  it('a failed batch does not stop the next ones without max_fail_percentage (its bundles are rolled back)', async () => {
    const f = fleet(['serial: "34%"']);
    f.routers.get('pair0000_a')!.overrides.set('verify', (script, recorded) => ({ ...recorded, ...lossy(script) }));
    const r = await f.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
    expect(r.bundles.map((b) => b.status)).toEqual(['rolled back', 'converged', 'converged']);
  });

  it('every batch failed, the first unreachable and the next rolled back: exit 5, the furthest stage any batch reached (not the first batch\'s 3, "nothing changed")', async () => {
    const f = fleet(['serial: 1']);
    for (const h of ['pair0001_a', 'pair0002_a']) f.routers.get(h)!.overrides.set('verify', (script, recorded) => ({ ...recorded, ...lossy(script) }));
    const r = await f.run({ connect: async (host) => {
      if (host === 'pair0000_b') throw new Error('no route to host');
      return f.routers.get(host)!.connect(host);
    } });
    expect(r.bundles.map((b) => b.status)).toEqual(['failed', 'rolled back', 'rolled back']);
    expect(r.exitCode, r.summary).toBe(ExitCode.verifyFailed);
  });

  it('a later batch whose plan the operator declined: exit 8 as any plan not approved (was 10, "some bundles failed"), the batches before it confirmed, said', async () => {
    const f = fleet(['serial: 1']);
    let asked = 0;
    const r = await f.run({ approve: async () => ++asked === 1 });
    expect(asked).toBe(2);
    expect(r.exitCode, r.summary).toBe(ExitCode.refused);
    expect(r.bundles.map((b) => b.status)).toEqual(['converged', expect.not.stringMatching(/converged|rolled back/), 'not run']);
    for (const h of ['pair0000_a', 'pair0000_b']) expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
    for (const h of ['pair0001_a', 'pair0002_b']) expect(f.routers.get(h)!.kinds()).not.toContain('apply');
    expect(r.summary).toMatch(/^batch 1\/3: converged and verified/);
    expect(r.summary.split('\n').at(-1)).toBe('batches 3 to 3 not started (1 bundle(s), as they were): its plan was not approved');
  });

  it('a later batch declined after an earlier batch\'s failure: that failure\'s code, not 8 (a review)', async () => {
    const f = fleet(['serial: 1']);
    // pair0000's bundle fails its pings (rolled back), pair0001's converges, the third batch is declined.
    f.routers.get('pair0000_b')!.overrides.set('verify', (script, recorded) => ({ ...recorded, ...lossy(script) }));
    let asked = 0;
    const r = await f.run({ approve: async () => ++asked <= 2 });
    expect(asked).toBe(3);
    expect(r.bundles.map((b) => b.status)).toEqual(['rolled back', 'converged', expect.not.stringMatching(/converged|rolled back/)]);
    expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
    // Every batch that ran failed: the furthest stage's code (5: rolled back after the pings).
    const g = fleet(['serial: 1']);
    g.routers.get('pair0000_b')!.overrides.set('verify', (script, recorded) => ({ ...recorded, ...lossy(script) }));
    let asked2 = 0;
    expect((await g.run({ approve: async () => ++asked2 === 1 })).exitCode).toBe(ExitCode.verifyFailed);
  });

  it('each batch says how many batches were confirmed before it, for what a signal then promises (a review: "rolling back every router" with batch 1 staying)', async () => {
    const f = fleet(['serial: 1']);
    const phases: string[] = [];
    const r = await f.run({ onPhase: (decided, _waiting, before) => void phases.push(`${decided ? 'decided' : 'running'} ${before}`) });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(phases).toEqual(['running 0', 'decided 0', 'running 1', 'decided 1', 'running 2', 'decided 2']);
  });

  it('a bug in a batch (exit 1) stops the batches after it and keeps its code, not 10 (a review found later batches run)', async () => {
    const f = fleet(['serial: 1']);
    let started = 0;
    // Batch 2's routers are changed, then teqlctl fails (before its checks): rolled back, exit 1.
    const r = await f.run({ onPhase: (decided) => void (decided || ++started), holds: { verifySec: 1 }, onHold: () => { if (started === 2) throw new TypeError('boom'); } });
    expect(started).toBe(2);
    expect(r.exitCode, r.summary).toBe(ExitCode.internal);
    expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', 'not run']);
    for (const h of ['pair0002_a', 'pair0002_b']) expect(f.routers.get(h)!.kinds()).toEqual([]);
    expect(r.summary.split('\n').at(-1)).toBe('batches 3 to 3 not started (1 bundle(s), as they were): teqlctl met an internal error (a bug)');
  });

  it('a bug in a batch whose rollback was incomplete (exit 6) stops the batches after it too (a review)', async () => {
    const f = fleet(['serial: 1']);
    let ran = 0;
    const r = await runInBatches(f.loaded, { ...baseOptions(), runId: 'test-run-1' }, async () => {
      ran++;
      return { runId: 'test-run-1', exitCode: ExitCode.rollbackIncomplete, check: false, hosts: [], bundles: [], summary: 'internal error (a bug in teqlctl, its stack in the run log): boom; ROLLBACK INCOMPLETE, see the residual differences above' };
    });
    expect(ran).toBe(1);
    expect(r.exitCode).toBe(ExitCode.rollbackIncomplete);
    expect(r.summary.split('\n').at(-1)).toBe('batches 2 to 3 not started (2 bundle(s), as they were): teqlctl met an internal error (a bug)');
  });

  it('the last batch declined: exit 8 too, the batches before it confirmed', async () => {
    const f = fleet(['serial: 2']);
    let asked = 0;
    const r = await f.run({ approve: async () => ++asked === 1 });
    expect(asked).toBe(2);
    expect(r.exitCode, r.summary).toBe(ExitCode.refused);
    expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'converged', expect.not.stringMatching(/converged|rolled back/)]);
    expect(r.summary.split('\n')).toHaveLength(2);
  });

  it("a batch whose later play's question went unanswered before the timers stops the batches after it, as a no does", async () => {
    const f = fleet(['serial: 1']);
    const ran: string[][] = [];
    const late = 'not applied: no answer by 02:00:00, 10 s before the earlier plays\' dead-man timers fire (02:00:10, --confirm-timeout); every host was rolled back to its state before the run';
    const r = await runInBatches(f.loaded, { ...baseOptions(), runId: 'test-run-1' }, async (l) => {
      ran.push(l.plays.flatMap((p) => p.hosts));
      return { runId: 'test-run-1', exitCode: ExitCode.refused, check: false, hosts: [], bundles: [], summary: late };
    });
    expect(ran).toEqual([['pair0000_a', 'pair0000_b']]);
    expect(r.summary.split('\n').at(-1)).toBe('batches 2 to 3 not started (2 bundle(s), as they were): its plan was not approved in time');
  });

  it('max_fail_percentage stops the batches after one that failed more: they never start, and say why', async () => {
    const f = fleet(['serial: 1', 'max_fail_percentage: 0']);
    f.routers.get('pair0000_b')!.overrides.set('verify', (script, recorded) => ({ ...recorded, ...lossy(script) }));
    const r = await f.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.verifyFailed);
    expect(r.bundles.map((b) => b.status)).toEqual(['rolled back', 'not run', 'not run']);
    expect(r.summary.split('\n').at(-1)).toBe('batches 2 to 3 not started (2 bundle(s), as they were): batch 1 failed 1 of its 1 bundles (100%), more than max_fail_percentage 0');
    for (const h of ['pair0001_a', 'pair0001_b', 'pair0002_a', 'pair0002_b']) expect(f.routers.get(h)!.kinds()).toEqual([]);
    expect(r.hosts.filter((h) => h.status === 'not run').map((h) => h.host)).toEqual(['pair0001_a', 'pair0001_b', 'pair0002_a', 'pair0002_b']);
  });

  it('a name in a later batch that leads to a router of an earlier batch is refused there; the earlier batch stays converged (exit 10)', async () => {
    const f = fleet(['serial: 1']);
    const withBoot = (stdout: string, boot: string) => stdout.replace('@@teqlctl-section end', `@@teqlctl-section identity\nboot=${boot}\n@@teqlctl-section end`);
    for (const [i, router] of [...f.routers.values()].entries()) router.overrides.set('facts', (_s, rec) => ({ ...rec, stdout: withBoot(rec.stdout, `boot-${i}`) }));
    const shared = f.routers.get('pair0000_a')!;
    const to = (h: string) => (h === 'pair0001_a' ? shared : f.routers.get(h)!);
    const r = await f.run({ connect: async (h) => to(h).connect(h), connectFresh: async (h) => to(h).connect(h) });
    expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
    expect(r.summary.split('\n').slice(1, 3).join('\n')).toBe('batch 2/3: pair0001_a and pair0000_a are one router (one kernel boot and the same links answered both names): refused, so that it is not planned and changed twice at once; ' +
      'pair0000_a ran in an earlier batch and stays as that batch ended\n  hint: give each router one name in the inventory: fix the address, port or ssh_config alias of the name that was meant for another router, or leave all but one of them out with -l; nothing was changed');
    expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'failed', 'converged']);
    // Its facts read twice (once per name), changed once, by its own batch.
    expect(shared.kinds()).toEqual(['facts', 'apply', 'verify', 'confirm', 'release', 'facts']);
    expect(shared.state).toBe('converged');
  });
});
