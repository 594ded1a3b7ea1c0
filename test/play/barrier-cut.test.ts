// A fleet of replayed pairs where one router's apply never reaches its barrier (a `sync` stalled
// on failing flash): the run cuts it before the others' dead-man windows close, and rolls it back
// beside the run; the healthy pairs are verified and confirmed. Before the cut, the run waited for
// it until every window closed (every bundle rolled back).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { loadRun } from '../../src/load/index.js';
import { runPlay } from '../../src/play/run-play.js';
import { RunLog } from '../../src/play/run-log.js';
import type { PlayOptions } from '../../src/play/run-state.js';
import type { StagedRun } from '../../src/connect/transport.js';
import { rewriteForPair } from '../../bench/fleet/sim-host.js';
import { renderFleetInventory, simHostName } from '../../bench/fleet/inventory.js';
import { RecordedRouter, recording, type ReplayTransport } from '../helpers/replay-transport.js';
import { CHECK_MARKER } from '../../src/router/markers.js';
import { replayedLab } from './helpers.js';
import { hubHostName, renderHubInventory, SPOKES } from '../../bench/fleet/hub-fleet.js';
import { hubFacts, HUB_PLAYBOOK } from '../../bench/fleet/hub-facts.js';

const ROOT = join(import.meta.dirname, '../..');
/** A window whose cut (reserveSec: 5 s before its end) comes 9 s after the first apply, 10 s after the phase began (MIN_APPLY_SEC). */
const WINDOW_SEC = 14;

function fleet(pairs: number, plays = 1) {
  const hosts = Array.from({ length: pairs * 2 }, (_, i) => ({ ...simHostName(i), port: 40000 + i }));
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-cut-'));
  writeFileSync(join(dir, 'fleet.yml'), renderFleetInventory(hosts, join(dir, 'id')));
  // With `plays` 2, a second play that pings the peer again: read and verified under the first's timers.
  const again = ['- name: ping again', '  hosts: routers', '  tasks:', '    - name: the peer', '      ping: { to: "{{ peer_teql_address }}" }', ''].join('\n');
  writeFileSync(join(dir, 'teql.yml'), readFileSync(join(ROOT, 'playbooks', 'teql.yml'), 'utf8') + (plays > 1 ? `\n${again}` : ''));
  const loaded = loadRun(join(dir, 'fleet.yml'), join(dir, 'teql.yml'));
  const routers = new Map(hosts.map((h) => [h.name, new RecordedRouter(h.router, {
    pristine: rewriteForPair(recording(h.router, 'pristine'), h.pair),
    converged: rewriteForPair(recording(h.router, 'converged'), h.pair),
  })]));
  const logFile = join(dir, 'run.log');
  const run = (opts: Partial<PlayOptions> = {}) => runPlay(loaded, {
    runId: 'test-run-1', confirmTimeoutSec: WINDOW_SEC, owner: 'tester@test', check: false, forks: 6, mode: 'silent',
    log: new RunLog(logFile),
    connect: async (host) => routers.get(host)!.connect(host),
    connectFresh: async (host) => routers.get(host)!.connect(host),
    showPlan: () => undefined, approve: async () => true, interrupted: () => false,
    ...opts,
  });
  return { routers, run, log: () => readFileSync(logFile, 'utf8') };
}

/** Each staged round trip of `router`, over every connection to it, as `change` makes it. */
function onStaged(router: RecordedRouter, change: (label: string, real: StagedRun) => StagedRun): void {
  const connect = router.connect.bind(router);
  router.connect = (h) => {
    const t = connect(h);
    const staged = t.runStaged.bind(t);
    t.runStaged = (l, first, marker): StagedRun => change(l, staged(l, first, marker));
    return t;
  };
}

/**
 * The router runs the round trip labelled `label` (its state changes) but its answer never reaches
 * the barrier, or only after `lateMs`.
 */
const stall = (router: RecordedRouter, label: string, lateMs?: number) => onStaged(router, (l, real) => (l !== label ? real : {
  reached: lateMs === undefined ? new Promise<never>(() => undefined) : real.reached.then((r) => new Promise<typeof r>((res) => setTimeout(() => res(r), lateMs))),
  finish: real.finish,
}));

const stallApply = (router: RecordedRouter, lateMs?: number) => stall(router, 'apply', lateMs);

/** Its apply answers; the pings sent over its waiting shell never do (its link lost after the apply). */
const stallChecks = (router: RecordedRouter) => onStaged(router, (l, real) => (l !== 'apply' ? real : {
  reached: real.reached,
  finish: (rest) => (rest ? new Promise<never>(() => undefined) : real.finish(rest)),
}));

/** Each plain round trip of `router` (its rollback, its confirmation), over every connection to it, as `change` makes it. */
function onRun(router: RecordedRouter, change: (label: string, real: () => ReturnType<ReplayTransport['run']>) => ReturnType<ReplayTransport['run']>): void {
  const connect = router.connect.bind(router);
  router.connect = (h) => {
    const t = connect(h);
    const run = t.run.bind(t);
    t.run = (l, script) => change(l, () => run(l, script));
    return t;
  };
}

// Each test waits for a cut (10 s): all side by side, each with its own routers.
describe.concurrent('the cut', () => {
  describe('a router that never reaches its apply\'s barrier', () => {
    it('is cut before the others\' windows close: its pair rolled back on both ends, the others confirmed (exit 10)', async () => {
      const f = fleet(3);
      stallApply(f.routers.get('pair0001_b')!);
      const started = Date.now();
      const r = await f.run();
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', 'converged']);
      expect(r.summary).toContain('pair0001_b: did not reach its barrier in time (its apply still running)');
      expect(r.summary).toContain('had the run waited longer for pair0001_b');
      // Inside the window: the healthy pairs' dead-men had not fired.
      expect(Date.now() - started).toBeLessThan(WINDOW_SEC * 1000);
      for (const h of ['pair0000_a', 'pair0000_b', 'pair0002_a', 'pair0002_b']) {
        expect(f.routers.get(h)!.state).toBe('converged');
        expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
      }
      // The stalled router's rollback (which stops its apply there first) was sent and answered.
      for (const h of ['pair0001_a', 'pair0001_b']) {
        expect(f.routers.get(h)!.state).toBe('pristine');
        expect(f.routers.get(h)!.kinds()).not.toContain('confirm');
        expect(f.routers.get(h)!.kinds().at(-1)).toBe('rollback');
      }
      expect(r.hosts.find((h) => h.host === 'pair0001_b')).toMatchObject({ status: 'rolled back', error: expect.stringMatching(/^did not reach its barrier in time/) });
      expect(f.log()).toMatch(/cut at the barrier: pair0001_b not there/);
    }, 20_000);

    it('fails the routers still queued behind --forks without starting them', async () => {
      const f = fleet(3);
      // Two at a time: pair0000 applies; pair0001 hangs in both slots; pair0002 waits its turn.
      stallApply(f.routers.get('pair0001_a')!);
      stallApply(f.routers.get('pair0001_b')!);
      const r = await f.run({ forks: 2 });
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', expect.not.stringMatching(/converged|rolled back/)]);
      for (const h of ['pair0002_a', 'pair0002_b']) {
        expect(f.routers.get(h)!.kinds()).not.toContain('apply');
        expect(f.routers.get(h)!.state).toBe('pristine');
      }
      expect(r.hosts.find((h) => h.host === 'pair0002_a')!.error).toMatch(/^not applied: the routers already applied/);
      expect(r.summary).toMatch(/pair0002_a: not applied: the routers already applied would have had under 5 s of their dead-man windows \(14 s\) left/);
      expect(f.routers.get('pair0000_a')!.kinds().slice(-2)).toEqual(['confirm', 'release']);
    }, 20_000);

    it('is waited for when failing it saves no bundle (a lone pair): a late answer still converges', async () => {
      const lab = replayedLab();
      // Answered past the cut's time (10 s): nothing to save, so the run waited.
      stallApply(lab.routers.router_b, 11_000);
      const r = await lab.run({ confirmTimeoutSec: WINDOW_SEC });
      expect(r.exitCode, r.summary).toBe(ExitCode.ok);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged']);
    }, 20_000);

    it('on a hub\'s spoke: that bundle undone on the hub alone, the hub and its other spokes confirmed', async () => {
      const { routers, run } = hubSite(['hub000_spoke2']);
      stallApply(routers.get('hub000_spoke2')!);
      const r = await run();
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'converged', 'rolled back', 'converged', 'converged']);
      expect(r.summary).toContain('hub000_spoke2: did not reach its barrier in time');
      expect(routers.get('hub000')!.kinds()).toContain('partial-rollback');
      expect(routers.get('hub000')!.kinds().slice(-2)).toEqual(['confirm', 'release']);
      expect(routers.get('hub000_spoke2')!.kinds().at(-1)).toBe('rollback');
    }, 20_000);
  });

  describe('a router whose checks never end (its link lost after the apply)', () => {
    it('is cut as at the barrier: its pair rolled back on both ends, the others confirmed (exit 10)', async () => {
      const f = fleet(3);
      stallChecks(f.routers.get('pair0001_b')!);
      const r = await f.run();
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', 'converged']);
      expect(r.summary).toContain('verification failed: pair0001_b: its checks did not end in time (its pings, or its connection, still hanging): the routers already applied would have had under 3 s of their dead-man windows (14 s) left for 2 bundle(s)');
      expect(r.hosts.find((h) => h.host === 'pair0001_b')).toMatchObject({ status: 'rolled back', error: expect.stringMatching(/^its checks did not end in time/) });
      for (const h of ['pair0000_a', 'pair0002_b']) expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
      for (const h of ['pair0001_a', 'pair0001_b']) expect(f.routers.get(h)!.kinds().at(-1)).toBe('rollback');
    }, 20_000);
  });

  describe('a router whose ping failed, its rollback slow (its link lost after its failure)', () => {
    it('is rolled back beside the run: the others confirmed inside their windows, not after its rollback (exit 10)', async () => {
      const f = fleet(3);
      const router = f.routers.get('pair0001_b')!;
      router.overrides.set('verify', (_script, rec) => ({ ...rec, stdout: rec.stdout.replace(new RegExp(`${CHECK_MARKER} 0 0 1`), `${CHECK_MARKER} 0 1 3`) }));
      // Its rollback answers after the others' windows (14 s) would have closed.
      onRun(router, (l, real) => (l === 'rollback' ? new Promise((res) => setTimeout(res, 16_000)).then(real) : real()));
      const confirmedAt = new Map<string, number>();
      for (const h of ['pair0000_a', 'pair0002_b']) onRun(f.routers.get(h)!, (l, real) => (l === 'confirm' && confirmedAt.set(h, Date.now()), real()));
      const started = Date.now();
      // The run is decided (a signal now has nothing left to roll back) while that rollback still runs.
      const decided: Array<{ waiting: boolean; rolledBack: boolean }> = [];
      const r = await f.run({ onPhase: (now, waiting = false) => void (now && decided.push({ waiting, rolledBack: router.kinds().at(-1) === 'rollback' })) });
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', 'converged']);
      expect(decided).toEqual([{ waiting: true, rolledBack: false }]);
      for (const h of ['pair0000_a', 'pair0002_b']) {
        expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
        expect(confirmedAt.get(h)! - started).toBeLessThan(WINDOW_SEC * 1000);
      }
      // Its rollback was awaited before the run reported, and said.
      expect(router.kinds().at(-1)).toBe('rollback');
      expect(r.hosts.find((h) => h.host === 'pair0001_b')).toMatchObject({ status: 'rolled back' });
      expect(f.log()).toMatch(/rolling back pair0001_a, pair0001_b beside the run \(the others' windows run on\)/);
    }, 30_000);
  });

  describe('a bug once the run is decided, a failed router\'s rollback still running beside it', () => {
    it('waits for that rollback before the connections close; the others stay confirmed (exit 1, a review)', async () => {
      const f = fleet(3);
      const router = f.routers.get('pair0001_b')!;
      router.overrides.set('verify', (_script, rec) => ({ ...rec, stdout: rec.stdout.replace(new RegExp(`${CHECK_MARKER} 0 0 1`), `${CHECK_MARKER} 0 1 3`) }));
      onRun(router, (l, real) => (l === 'rollback' ? new Promise((res) => setTimeout(res, 3000)).then(real) : real()));
      const r = await f.run({ onPhase: (decided) => { if (decided) throw new TypeError('report failed'); } });
      expect(r.exitCode, r.summary).toBe(ExitCode.internal);
      expect(r.summary).toBe('internal error (a bug in teqlctl, its stack in the run log): report failed; it came after the run was decided: nothing more was undone, each router stays as the recap says');
      expect(router.kinds().at(-1)).toBe('rollback');
      expect(r.hosts.find((h) => h.host === 'pair0001_b')).toMatchObject({ status: 'rolled back' });
      for (const h of ['pair0000_a', 'pair0002_b']) expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
    }, 30_000);
  });

  describe('a router whose new connection for its confirmation never opens (SYNs dropped)', () => {
    it('is cut: management access lost, its pair rolled back on both ends, the others confirmed (exit 10)', async () => {
      const f = fleet(3);
      const router = f.routers.get('pair0001_b')!;
      const f2 = { ...f, run: (opts: Partial<PlayOptions> = {}) => f.run({ connectFresh: async (h) => (h === 'pair0001_b' ? new Promise<never>(() => undefined) : f.routers.get(h)!.connect(h)), ...opts }) };
      const r = await f2.run();
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', 'converged']);
      expect(r.summary).toContain('management access lost after applying (a new SSH connection failed): pair0001_b: its new connection did not open in time: the routers already applied would have had under 3 s of their dead-man windows (14 s) left for 2 bundle(s)');
      expect(router.kinds().at(-1)).toBe('rollback');
      for (const h of ['pair0000_a', 'pair0002_b']) expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
    }, 20_000);
  });

  describe('a router whose facts never come in a later play (its link lost between plays)', () => {
    it('is cut under the first play\'s timers: its pair rolled back on both ends, the others confirmed (exit 10)', async () => {
      const f = fleet(3, 2);
      const router = f.routers.get('pair0001_b')!;
      // Its second read (the second play's) never answers.
      let reads = 0;
      onStaged(router, (l, real) => (l === 'facts' && ++reads === 2 ? { reached: new Promise<never>(() => undefined), finish: real.finish } : real));
      const r = await f.run();
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'rolled back', 'converged']);
      expect(r.summary).toContain('pair0001_b: its facts did not come in time (its read still running)');
      expect(router.kinds().at(-1)).toBe('rollback');
      expect(f.routers.get('pair0001_a')!.state).toBe('pristine');
      for (const h of ['pair0000_a', 'pair0002_b']) expect(f.routers.get(h)!.kinds().slice(-2)).toEqual(['confirm', 'release']);
    }, 20_000);
  });

  describe('a spoke whose confirmation never answers', () => {
    it('a hub whose ping for one spoke failed still saves its other bundles when another spoke\'s checks hang', async () => {
      const { routers, run } = hubSite(['hub000_spoke0', 'hub000_spoke4']);
      // The hub's first check (spoke0's bundle) fails; spoke4's checks never end.
      routers.get('hub000')!.overrides.set('verify', (script, rec) => ({ ...rec, stdout: rec.stdout.replace(new RegExp(`${CHECK_MARKER} 0 0 1`), `${CHECK_MARKER} 0 1 3`) }));
      stallChecks(routers.get('hub000_spoke4')!);
      const r = await run();
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['rolled back', 'converged', 'converged', 'converged', 'rolled back']);
      expect(r.summary).toContain('hub000_spoke4: its checks did not end in time (its pings, or its connection, still hanging): the routers already applied would have had under 3 s of their dead-man windows (14 s) left for 3 bundle(s)');
      expect(routers.get('hub000')!.kinds().slice(-2)).toEqual(['confirm', 'release']);
    }, 20_000);

    it('holds the hub\'s wave no longer than the hub\'s cut: that bundle undone on both ends, the hub confirmed with the rest', async () => {
      const { routers, run } = hubSite(['hub000_spoke2']);
      stall(routers.get('hub000_spoke2')!, 'confirm');
      const started = Date.now();
      const r = await run();
      expect(r.exitCode, r.summary).toBe(ExitCode.someBundlesFailed);
      expect(r.bundles.map((b) => b.status)).toEqual(['converged', 'converged', 'rolled back', 'converged', 'converged']);
      // The hub's cut (9 s after its apply) came before the spokes confirmed: the least bound, 10 s.
      expect(r.summary).toMatch(/confirmation failed: hub000_spoke2: no answer to the confirmation within 10 s: hub000, confirming after it, could wait no longer \(their dead-man windows close in 1[34] s\)/);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(routers.get('hub000')!.kinds()).toContain('partial-rollback');
      expect(routers.get('hub000')!.kinds().slice(-2)).toEqual(['confirm', 'release']);
      expect(routers.get('hub000_spoke2')!.kinds().at(-1)).toBe('rollback');
    }, 30_000);
  });
});

/** A hub and its spokes, replayed; `failing`: the spokes whose bundle the hub's partial rollback undoes. */
function hubSite(failing: string[]) {
  const hosts = Array.from({ length: SPOKES + 1 }, (_, i) => ({ ...hubHostName(i), port: 40000 + i }));
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-cut-hub-'));
  writeFileSync(join(dir, 'hub.yml'), renderHubInventory(hosts, join(dir, 'id')));
  const loaded = loadRun(join(dir, 'hub.yml'), HUB_PLAYBOOK);
  const facts = hubFacts(join(dir, 'hub.yml'), hosts, [], HUB_PLAYBOOK);
  const routers = new Map(hosts.map((h) => [h.name, new RecordedRouter('a', facts.facts(h.name, failing))]));
  const run = () => runPlay(loaded, {
    runId: 'test-run-1', confirmTimeoutSec: WINDOW_SEC, owner: 't@t', check: false, forks: 6, mode: 'silent', log: new RunLog(undefined),
    connect: async (h) => routers.get(h)!.connect(h), connectFresh: async (h) => routers.get(h)!.connect(h),
    showPlan: () => undefined, approve: async () => true, interrupted: () => false,
  });
  return { routers, run };
}
