import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { RunLog } from '../../src/play/run-log.js';
import { ConnectError, ExitCode, RunFailure } from '../../src/errors.js';
import { ABANDONED_MARKER, LOCK_TAKEN_MARKER, REVERT_OWNS_MARKER, CHECK_MARKER, CONFIRM_MARKER, STALE_MARKER, STEP_MARKER } from '../../src/router/markers.js';
import { checkIndices, stepIndices } from '../../bench/fleet/sim-host.js';
import { labRun, replayedLab } from './helpers.js';
import { recording, type ReplayTransport } from '../helpers/replay-transport.js';

describe('a run against the replayed lab', () => {
  it('converges both routers: facts, apply, verify, then confirms over a new connection', async () => {
    const lab = replayedLab();
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(r.summary).toBe('converged and verified');
    for (const router of Object.values(lab.routers)) {
      // The lock is freed only once every host confirmed ('release').
      expect(router.kinds()).toEqual(['facts', 'apply', 'verify', 'confirm', 'release']);
      // The confirmation's connection is the proof that management access survived.
      expect(router.connections).toBe(2);
      expect(router.state).toBe('converged');
    }
    expect(r.hosts.map((h) => [h.host, h.status])).toEqual([['router_a', 'changed'], ['router_b', 'changed']]);
    expect(r.hosts.every((h) => (h.journal?.length ?? 0) > 0 && h.journal!.every((e) => e.code === 0))).toBe(true);
  });

  it('confirms over a connection opened for it, never over one opened earlier (as a terminal run opens them first)', async () => {
    const lab = replayedLab();
    const early = new Map(Object.entries(lab.routers).map(([h, router]) => [h, router.connect(h)]));
    const fresh: string[] = [];
    const r = await lab.run({
      connect: async (host) => early.get(host)!,
      connectFresh: async (host) => {
        fresh.push(host);
        return lab.routers[host as 'router_a' | 'router_b'].connect(host);
      },
    });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(fresh.sort()).toEqual(['router_a', 'router_b']);
    for (const router of Object.values(lab.routers)) expect(router.connections).toBe(2);
    for (const h of r.hosts) expect(h.stats?.connections).toBe(2);
  });

  it('applies and verifies each host in one round trip, and no ping runs before every host applied (the barrier)', async () => {
    const lab = replayedLab();
    const events: string[] = [];
    const run: ReplayTransport[] = [];
    const r = await lab.run({
      connect: async (host) => {
        const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
        run.push(t);
        const staged = t.runStaged.bind(t);
        // router_b applies slowly: router_a waits at its barrier, its pings unsent, until b is there too.
        t.runStaged = (label: string, first: string, marker: string) => {
          const s = staged(label, first, marker);
          if (label !== 'apply') return s; // the facts' early checks: another test's
          const reached = s.reached.then(async (x) => {
            await new Promise((done) => setTimeout(done, host === 'router_b' ? 200 : 0));
            events.push(`${host} applied`);
            return x;
          });
          return { reached, finish: (rest: string) => (events.push(`${host} ${rest ? 'pings' : 'ends'}`), s.finish(rest)) };
        };
        return t;
      },
    });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(events.slice(0, 2)).toEqual(['router_a applied', 'router_b applied']);
    expect(events.slice(2).sort()).toEqual(['router_a pings', 'router_b pings']);
    // The run's own connection: the facts, then apply and verify as one round trip.
    expect(run.map((t) => t.stats.roundTrips)).toEqual([2, 2]);
    for (const router of Object.values(lab.routers)) expect(router.kinds()).toEqual(['facts', 'apply', 'verify', 'confirm', 'release']);
  });

  it('a staged shell may wait at its barrier for the whole dead-man window (later --forks groups may still be applying)', async () => {
    const lab = replayedLab();
    const limits: number[] = [];
    const r = await lab.run({
      confirmTimeoutSec: 600,
      forks: 1,
      connect: async (host) => {
        const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
        const staged = t.runStaged.bind(t);
        t.runStaged = (label: string, first: string, marker: string, timeoutSec?: number) => {
          if (label === 'apply') limits.push(timeoutSec ?? 0);
          return staged(label, first, marker);
        };
        return t;
      },
    });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(limits).toHaveLength(2);
    for (const limit of limits) expect(limit).toBeGreaterThan(600);
  });

  it('a failed apply ends the other host\'s waiting shell without a ping, and rolls both back', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('apply', (script, recorded) => ({ ...recorded, stdout: `${STEP_MARKER} 0 1\n`, code: 1 }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.applyFailed);
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'apply', 'rollback']);
    expect(lab.routers.router_b.kinds()).toEqual(['facts', 'apply', 'rollback']);
  });

  it('in check mode reads the facts and sends nothing else', async () => {
    const lab = replayedLab();
    const r = await lab.run({ check: true });
    expect(r.exitCode).toBe(ExitCode.ok);
    expect(r.summary).toBe('check mode: nothing was changed');
    expect(lab.routers.router_a.kinds()).toEqual(['facts']);
    expect(lab.routers.router_b.kinds()).toEqual(['facts']);
  });

  it("in check mode a later play is planned on what the earlier plays would leave: its route over the equalizer they make is planned, not refused (a review)", async () => {
    const lab = replayedLab();
    const loaded = labRun();
    const [play] = loaded.plays;
    // The chapter cut in two plays before its route: the second play's route goes over the
    // equalizer, which only the first play makes.
    const cut = (keep: (i: number, at: number) => boolean) => new Map([...play!.tasks].map(([h, ts]) => {
      const at = ts.findIndex((t) => t.module === 'route');
      // Named by its device, which exists only once sch_teql is loaded.
      return [h, ts.filter((_, i) => keep(i, at)).map((t) => (t.module === 'route' ? { ...t, args: { ...t.args, dev: 'teql0' } } : t))];
    }));
    const split = { ...loaded, plays: [{ ...play!, tasks: cut((i, at) => i < at) }, { ...play!, tasks: cut((i, at) => i >= at) }] };
    const r = await lab.run({ check: true }, split);
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(r.summary).toBe('check mode: nothing was changed');
    for (const h of r.hosts) {
      expect(h.status).toBe('checked');
      // Each change planned once: the second play does not plan the first play's again.
      const resources = h.planned.map((c) => c.resource);
      expect(resources.filter((x) => x.startsWith('route ')), h.host).toHaveLength(1);
      expect(new Set(resources).size).toBe(resources.length);
    }
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'facts']);
  });

  it("in check mode, another run's lock on a router is said in the recap and --json, and the check is not 'as wanted' (exit 8; a review)", async () => {
    const held = 'run=20261207T101010-other\nowner=alice@ops\nstarted=2026-12-07T10:10:10Z\npid=42\nalive=1\n';
    const lab = replayedLab();
    for (const router of Object.values(lab.routers)) router.state = 'converged';
    lab.routers.router_a.overrides.set('facts', (_, rec) => ({ ...rec, stdout: rec.stdout.replace('@@teqlctl-section lock\n', `@@teqlctl-section lock\n${held}`) }));
    const r = await lab.run({ check: true });
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.summary).toBe('check mode: nothing was changed; another run is under way on router_a: what was read may still change (see the warnings)');
    expect(r.hosts.find((h) => h.host === 'router_a')!.warnings).toEqual([expect.stringMatching(/^another run is under way here \(router_a is locked by run 20261207T101010-other of alice@ops, started .*\): what this check read may still change, and a run now would be refused$/)]);
    expect(r.hosts.find((h) => h.host === 'router_b')!.warnings ?? []).toEqual([]);
    expect(lab.routers.router_a.kinds()).toEqual(['facts']);
  });

  it('in check mode a signal while the facts are read stops the check: exit 130, not changes pending (a review)', async () => {
    const lab = replayedLab();
    const stop = new AbortController();
    let interrupted = false;
    const r = await lab.run({
      check: true,
      stop: stop.signal,
      interrupted: () => interrupted,
      connect: async (host) => {
        const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
        const run = t.run.bind(t);
        t.run = async (label: string, script: string) => {
          if (label === 'facts' && !interrupted) {
            interrupted = true;
            stop.abort();
          }
          return run(label, script);
        };
        return t;
      },
    });
    expect(r.exitCode).toBe(ExitCode.interrupted);
    expect(r.summary).toBe('interrupted (check mode: nothing was changed)');
    expect(lab.routers.router_a.kinds()).toEqual(['facts']);
  });

  it('a converged lab plans nothing, so nothing is applied or confirmed', async () => {
    const lab = replayedLab();
    for (const router of Object.values(lab.routers)) router.state = 'converged';
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'verify']);
    expect(r.hosts.every((h) => h.planned.length === 0)).toBe(true);
  });

  it('a failed ping rolls both routers back to their snapshot (exit 5)', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('verify', (script, recorded) => ({
      ...recorded,
      stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 3\n`).join(''),
    }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    expect(r.summary).toMatch(/^verification failed: router_b: .*; every host was rolled back to its state before the run$/);
    for (const router of Object.values(lab.routers)) {
      expect(router.kinds()).not.toContain('confirm');
      expect(router.kinds().at(-1)).toBe('rollback');
      expect(router.state).toBe('pristine');
    }
    expect(r.hosts.map((h) => h.status)).toEqual(['rolled back', 'rolled back']);
  });

  it('a router locked by another run is refused before anything changes (exit 8)', async () => {
    const lab = replayedLab();
    const held = 'run=other-run\nowner=someone@elsewhere\nstarted=2026-01-01T00:00:00Z\npid=42\nalive=1\n';
    lab.routers.router_a.overrides.set('facts', (_, recorded) => ({ ...recorded, stdout: recorded.stdout.replace('@@teqlctl-section lock\n', `@@teqlctl-section lock\n${held}`) }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.summary).toContain('router_a is locked by run other-run of someone@elsewhere');
    expect(r.summary).toContain('nothing was changed');
    expect(lab.routers.router_a.kinds()).toEqual(['facts']);
    expect(lab.routers.router_b.kinds()).toEqual(['facts']);
  });

  it('an unreachable router stops the run before any facts are read (exit 3)', async () => {
    const lab = replayedLab();
    const r = await lab.run({ connect: async (host) => { if (host === 'router_b') throw new Error('connection refused'); return lab.routers.router_a.connect(host); } });
    expect(r.exitCode).toBe(ExitCode.unreachable);
    expect(r.summary).toContain('router_b: connection refused');
    expect(lab.routers.router_a.sent).toEqual([]);
  });

  it('a plan that is not approved changes nothing (exit 8)', async () => {
    const lab = replayedLab();
    const r = await lab.run({ approve: async () => false });
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.summary).toContain('the plan was not approved');
    expect(lab.routers.router_a.kinds()).toEqual(['facts']);
  });

  it('Ctrl-C at the approval question (askApproval throws an interruption) ends the run as interrupted (exit 130), nothing changed', async () => {
    const lab = replayedLab();
    const r = await lab.run({ approve: async () => { throw new RunFailure('interrupted', 'interrupted at the approval question'); } });
    expect(r.exitCode).toBe(130);
    expect(r.summary).toBe('interrupted at the approval question; nothing was changed');
    expect(lab.routers.router_a.kinds()).toEqual(['facts']);
  });

  it('a bug that throws after the apply (an output that fails, a full disk under a redirected stdout) still rolls both routers back, and says so (exit 1; before: an internal error alone, the routers left to their dead-men, a review)', async () => {
    const lab = replayedLab();
    const r = await lab.run({ holds: { verifySec: 1 }, onHold: () => { throw new TypeError('write ENOSPC'); } });
    expect(r.exitCode).toBe(ExitCode.internal);
    expect(r.summary).toBe('internal error (a bug in teqlctl, its stack in the run log): write ENOSPC; every host was rolled back to its state before the run');
    for (const router of Object.values(lab.routers)) {
      expect(router.kinds()).not.toContain('confirm');
      expect(router.kinds().at(-1)).toBe('rollback');
      expect(router.state).toBe('pristine');
    }
    expect(r.hosts.map((h) => h.status)).toEqual(['rolled back', 'rolled back']);
  });

  it('the run is said decided once both routers are confirmed, before their locks are freed: a signal during the release said "rolling back" and nothing was (a review)', async () => {
    const lab = replayedLab();
    const seen: string[] = [];
    const r = await lab.run({ onPhase: (decided) => void (decided && seen.push(`${lab.routers.router_a.kinds().at(-1)} ${lab.routers.router_b.kinds().at(-1)}`)) });
    expect(r.exitCode).toBe(ExitCode.ok);
    expect(seen).toEqual(['confirm confirm']);
    for (const router of Object.values(lab.routers)) expect(router.kinds().slice(-2)).toEqual(['confirm', 'release']);
  });

  it('a bug once the run is decided (both routers confirmed, their locks freed) undoes nothing: exit 1, each router as the recap says (a review found them rolled back without their locks)', async () => {
    const lab = replayedLab();
    const r = await lab.run({ onPhase: (decided) => { if (decided) throw new TypeError('report failed'); } });
    expect(r.exitCode).toBe(ExitCode.internal);
    expect(r.summary).toBe('internal error (a bug in teqlctl, its stack in the run log): report failed; it came after the run was decided: nothing more was undone, each router stays as the recap says');
    for (const router of Object.values(lab.routers)) {
      expect(router.kinds().slice(-2)).toEqual(['confirm', 'release']);
      expect(router.state).toBe('converged');
    }
    expect(r.hosts.map((h) => h.status)).toEqual(['changed', 'changed']);
  });

  it('a failed step stops the apply and rolls back what ran, on both routers (exit 4)', async () => {
    const lab = replayedLab();
    // Step 0 runs, step 1 fails: the script stops there, the router keeps step 0 only.
    lab.routers.router_a.overrides.set('apply', (script) => {
      const [first, second] = stepIndices(script);
      return { stdout: `${STEP_MARKER} ${first} 0\nRTNETLINK answers: No such device\n${STEP_MARKER} ${second} 2\n`, code: 2, state: 'pristine' };
    });
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.applyFailed);
    expect(r.summary).toContain('RTNETLINK answers: No such device');
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.status).toBe('rolled back');
    expect(a.applied).toBe(1);
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'apply', 'rollback']);
  });

  it('a signal while a confirmation is in flight, on a host then unreachable: said as sent and never answered, not as reverting by itself (a review)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const lab = replayedLab();
      lab.routers.router_b.byLabel.set('rollback', () => { throw new ConnectError('router_b', 'connection lost: Keepalive timeout'); });
      const stop = new AbortController();
      let interrupted = false;
      const run = lab.run({
        stop: stop.signal,
        interrupted: () => interrupted,
        connectFresh: async (host) => {
          const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
          if (host === 'router_b') {
            const staged = t.runStaged.bind(t);
            t.runStaged = (label: string, first: string, marker: string) => {
              if (label !== 'confirm') return staged(label, first, marker);
              // Sent; Ctrl-C now; whether it lands there is not known to the controller.
              interrupted = true;
              stop.abort();
              return { reached: new Promise(() => undefined), finish: () => new Promise(() => undefined) };
            };
          }
          return t;
        },
      });
      await vi.advanceTimersByTimeAsync(200_000);
      const r = await run;
      const errors = r.hosts.find((h) => h.host === 'router_b')!.rollback!.errors.join(' ');
      expect(errors).toMatch(/its confirmation was sent and never answered: it may have been confirmed there \(its dead-man off: it STAYS CHANGED\) or not/);
      expect(errors).not.toMatch(/unless the rollback sent there claimed the run first/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a confirmation never answered, on a host then unreachable: the report says it may be confirmed there (timer off), not that it reverts by itself', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const lab = replayedLab();
      // router_b's rollback cannot reach it either (its link went down after the confirmation was sent).
      lab.routers.router_b.byLabel.set('rollback', () => { throw new ConnectError('router_b', 'connection lost: Keepalive timeout'); });
      const run = lab.run({
        connectFresh: async (host) => {
          const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
          if (host === 'router_b') t.runStaged = () => ({ reached: new Promise(() => undefined), finish: () => new Promise(() => undefined) });
          return t;
        },
      });
      await vi.advanceTimersByTimeAsync(200_000);
      const r = await run;
      const errors = r.hosts.find((h) => h.host === 'router_b')!.rollback!.errors.join(' ');
      expect(errors).toMatch(/its confirmation was sent and never answered: it may have been confirmed there \(its dead-man off: it STAYS CHANGED\) or not/);
      expect(errors).toMatch(/or not \(then its dead-man timer reverts it by itself within \d+ s of the first change\)/);
      expect(errors).toMatch(/`teqlctl status` says which/);
      expect(lab.routers.router_a.state).toBe('pristine');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a confirmation whose new connection is lost once opened names the host and the loss, once; both roll back (exit 5)', async () => {
    const lab = replayedLab();
    const r = await lab.run({
      connectFresh: async (host) => {
        const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
        if (host === 'router_b') t.run = async () => { throw new ConnectError('router_b', 'connection lost: Keepalive timeout'); };
        return t;
      },
    });
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    expect(r.summary).toBe('confirmation failed: router_b: connection lost: Keepalive timeout; every host was rolled back to its state before the run');
  });

  it('confirms and frees the lock in one round trip on the new connection: facts, apply+verify, confirm+release', async () => {
    const lab = replayedLab();
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    for (const h of r.hosts) {
      expect(h.stats).toMatchObject({ roundTrips: 3, connections: 2 });
      expect(h.warnings ?? []).toEqual([]);
    }
    // The release is the rest of the confirmation's script, sent to its waiting shell.
    const sent = lab.routers.router_a.sent;
    expect(sent.map((s) => s.kind).slice(-2)).toEqual(['confirm', 'release']);
    expect(sent.at(-2)!.script).toMatch(/@@teqlctl-barrier'\n$/);
  });

  it('a confirmation whose shell ended at its barrier frees the lock in a round trip of its own', async () => {
    const lab = replayedLab();
    const r = await lab.run({
      connectFresh: async (host) => {
        const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
        const staged = t.runStaged.bind(t);
        // The shell's bound passed while it waited: the rest is never read, its output ends at the barrier.
        t.runStaged = (label: string, first: string, marker: string) => {
          const s = staged(label, first, marker);
          return { reached: s.reached, finish: () => s.finish('').then((head) => ({ ...head, code: 124 })) };
        };
        return t;
      },
    });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    for (const h of r.hosts) expect(h.warnings ?? []).toEqual([]);
    for (const router of Object.values(lab.routers)) expect(router.labels().at(-1)).toBe('release');
  });

  it('a lock the new connection cannot free is said as a warning, and the run stays confirmed', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('release', () => ({ stdout: '', stderr: 'rm: cannot remove', code: 1 }));
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    const b = r.hosts.find((h) => h.host === 'router_b')!;
    expect(b.warnings).toEqual(['confirmed, but its lock could not be freed (rm: cannot remove): `teqlctl unlock` frees it']);
    // Tried twice: in the confirmation's round trip, then in one of its own.
    expect(lab.routers.router_b.kinds().slice(-3)).toEqual(['confirm', 'release', 'release']);
  });

  it('a confirmation that does not answer is bounded as its own round trip was: the run fails and rolls back (exit 5)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const lab = replayedLab();
      const run = lab.run({
        connectFresh: async (host) => {
          const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
          // router_b's confirmation hangs (a stuck systemctl stop or sync): no answer, no end.
          if (host === 'router_b') t.runStaged = () => ({ reached: new Promise(() => undefined), finish: () => new Promise(() => undefined) });
          return t;
        },
      });
      await vi.advanceTimersByTimeAsync(200_000);
      const r = await run;
      expect(r.exitCode).toBe(ExitCode.verifyFailed);
      expect(r.summary).toMatch(/^confirmation failed: router_b: no answer to the confirmation within 150 s; /);
      expect(lab.routers.router_a.state).toBe('pristine');
    } finally {
      vi.useRealTimers();
    }
  });

  it('a confirmation that ended before its barrier is logged whole: its script when sent, its output when it ended', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-log-'));
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('confirm', () => ({ stdout: `${CONFIRM_MARKER} too-late reverted\n`, code: 1 }));
    const r = await lab.run({ log: new RunLog(join(dir, 'run.log')) });
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    const blocks = readFileSync(join(dir, 'run.log'), 'utf8').split('\n### ');
    const sent = blocks.findIndex((b) => b.includes(' router_b confirm: sent, its shell waits at its barrier'));
    expect(sent).toBeGreaterThan(-1);
    expect(blocks[sent]).toMatch(/--- script\n(.*\n)*.*mkdir .*decided/);
    const ended = blocks.findIndex((b) => b.includes(' router_b confirm: exit 1'));
    expect(ended).toBeGreaterThan(sent);
    expect(blocks[ended]).toContain('too-late reverted');
  });

  it('a first apply refuses to plan from facts without a fingerprint (a re-read): nothing applied anywhere', async () => {
    const lab = replayedLab();
    lab.routers.router_a.overrides.set('facts', (_script, recorded) => ({ ...recorded, stdout: recorded.stdout.replace(/@@teqlctl-section fingerprint\n[^@]*/, '') }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.applyFailed);
    expect(r.summary).toContain('router_a: internal: a first apply planned from facts without a fingerprint');
    expect(lab.routers.router_a.kinds()).toEqual(['facts']);
    expect(lab.routers.router_a.state).toBe('pristine');
  });

  it('a confirmation that comes after the dead-man fired fails the run and says why (exit 5)', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('confirm', () => ({ stdout: `${CONFIRM_MARKER} too-late reverted\n`, code: 1 }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    expect(r.summary).toContain('the dead-man had already fired (run state: reverted); raise --confirm-timeout');
  });

  it('a partial confirmation (a confirmed, b too late) rolls a back too, and frees no lock before that', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('confirm', () => ({ stdout: `${CONFIRM_MARKER} too-late reverted decided-by=revert\n`, code: 1 }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'apply', 'verify', 'confirm', 'rollback']);
    expect(lab.routers.router_a.state).toBe('pristine');
    expect(r.hosts.find((h) => h.host === 'router_a')!.status).toBe('rolled back');
  });

  it('a partial confirmation whose confirmed host\'s lock another run took meanwhile: nothing undone beneath it, said STAYS CHANGED with the command to undo it (exit 6)', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('confirm', () => ({ stdout: `${CONFIRM_MARKER} too-late reverted decided-by=revert\n`, code: 1 }));
    lab.routers.router_a.overrides.set('rollback', () => ({ stdout: `${LOCK_TAKEN_MARKER} 20261206T090000-x\n${recording('a', 'converged')}`, state: 'converged' }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.rollbackIncomplete);
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.status).toBe('rollback failed');
    expect(a.rollback!.errors).toEqual(['run test-run-1 was confirmed there and its lock was taken meanwhile by run 20261206T090000-x (teqlctl unlock, while this run waited for its peers): it was not undone beneath that run and STAYS CHANGED; `teqlctl rollback --run test-run-1` undoes it once that run ends']);
  });

  it('a router changed since its facts were read is refused as stale before any change (exit 8); the other is rolled back', async () => {
    const lab = replayedLab();
    lab.routers.router_a.overrides.set('apply', () => ({ stdout: `${STALE_MARKER} 0123abcd\n`, code: 3, state: 'pristine' }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.summary).toContain('router_a: the router changed since its facts were read');
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'apply']);
    expect(lab.routers.router_b.kinds().at(-1)).toBe('rollback');
    expect(lab.routers.router_b.state).toBe('pristine');
  });

  // What a stale check prints (deadman/stale-check.ts): its marker with the new fingerprint, then the facts under the lock.
  const staleAnswer = (facts: string) => ({ stdout: `${STALE_MARKER} 0123abcd\n${facts}`, code: 3, state: 'pristine' as const });
  // Router a's pristine facts with an operator's address on lan0, a link no task of the chapter names.
  const withLanAddress = () => recording('a', 'pristine').replace(/("ifname":"lan0".*?"addr_info":\[)/, '$1{"family":"inet","local":"203.0.113.7","prefixlen":24,"scope":"global","label":"lan0","valid_life_time":4294967295,"preferred_life_time":4294967295},');

  it('a router changed since its facts were read elsewhere than the plan: planned again from what it holds, the same plan sent again with the new fingerprint, converged, and said (2026-12-07)', async () => {
    const lab = replayedLab();
    expect(withLanAddress()).toContain('203.0.113.7');
    let applies = 0;
    lab.routers.router_a.overrides.set('apply', () => (applies++ === 0 ? staleAnswer(withLanAddress()) : undefined));
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'apply', 'apply', 'verify', 'confirm', 'release']);
    const [first, second] = lab.routers.router_a.sent.filter((s) => s.kind === 'apply').map((s) => s.script);
    expect(first).not.toContain("!= '0123abcd'");
    expect(second).toContain("!= '0123abcd'");
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.status).toBe('changed');
    expect(a.warnings).toEqual([expect.stringMatching(/^changed since its facts were read \(now also holds address 203\.0\.113\.7\/24 dev lan0.*\), not in what the plan does: planned again from what it held under the run's lock, the same plan, applied as approved$/)]);
    expect(lab.routers.router_a.state).toBe('converged');
  });

  it('a router changed in what the plan does (another controller converged it): refused as stale before any change, naming what changed (exit 8); the other rolled back', async () => {
    const lab = replayedLab();
    lab.routers.router_a.overrides.set('apply', () => staleAnswer(recording('a', 'converged')));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.summary).toMatch(/router_a: the router changed since its facts were read \(another run or an operator, while this run waited: now also holds .*\): the plan is stale, nothing was applied here/);
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'apply']);
    expect(lab.routers.router_b.kinds().at(-1)).toBe('rollback');
    expect(lab.routers.router_b.state).toBe('pristine');
  });

  it('a router that changes again each time the same plan is sent again is refused as stale after three re-sends (exit 8), none said as applied', async () => {
    const lab = replayedLab();
    let n = 0;
    // Each answer with the fingerprint of another state: the router moved again under every re-send.
    lab.routers.router_a.overrides.set('apply', () => ({ ...staleAnswer(withLanAddress()), stdout: `${STALE_MARKER} 0123abc${n++}\n${withLanAddress()}` }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.refused);
    const applies = lab.routers.router_a.sent.filter((x) => x.kind === 'apply').map((x) => x.script);
    expect(applies).toHaveLength(4);
    // Each re-send checks the fingerprint the last stale answer gave.
    expect(applies.slice(1).map((x) => /!= '(0123abc\d)'/.exec(x)?.[1])).toEqual(['0123abc0', '0123abc1', '0123abc2']);
    expect(r.summary).toMatch(/router_a: the router changed since its facts were read \(another run or an operator, while this run waited, and again each of the 3 times the same plan was sent again: in what teqlctl reads beyond the links, addresses, routes, qdiscs, sysctls and files it lists\): the plan is stale/);
    expect(r.hosts.find((h) => h.host === 'router_a')!.warnings ?? []).toEqual([]);
    expect(lab.routers.router_b.state).toBe('pristine');
  });

  it('a re-send that finds the plan changed says the change elsewhere it was sent again on, and what changed since (a review)', async () => {
    const lab = replayedLab();
    let n = 0;
    lab.routers.router_a.overrides.set('apply', () => (n++ === 0 ? staleAnswer(withLanAddress()) : { ...staleAnswer(recording('a', 'converged')), stdout: `${STALE_MARKER} 0123abce\n${recording('a', 'converged')}` }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.refused);
    expect(r.hosts.find((h) => h.host === 'router_a')!.error).toMatch(/^the router changed since its facts were read \(another run or an operator, while this run waited: .*; planned again, not the same plan \(approved, not planned so now: .*\) \(sent again 1 time\(s\) before it, on changes elsewhere than the plan: now also holds address 203\.0\.113\.7\/24 .*\)\): the plan is stale/);
  });

  it('a re-send that finds another run\'s lock (freed by the stale answer, taken meanwhile) is refused as locked, saying it was sent again, and not said as applied (a review)', async () => {
    const lab = replayedLab();
    let n = 0;
    lab.routers.router_a.overrides.set('apply', () => (n++ === 0 ? staleAnswer(withLanAddress()) : { stdout: '@@teqlctl-lock held\nrun=other-run\nowner=someone@elsewhere\n', code: 3, state: 'pristine' }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.refused);
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.error).toMatch(/^locked by another run: run=other-run owner=someone@elsewhere \(when sent again: it had changed since its facts were read, elsewhere than the plan: now also holds address 203\.0\.113\.7\/24 /);
    expect(a.warnings ?? []).toEqual([]);
    expect(lab.routers.router_b.state).toBe('pristine');
  });

  it('the stale answer is in the run log, with the facts the re-send was planned from (a review found it left out)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-log-'));
    const lab = replayedLab();
    let n = 0;
    lab.routers.router_a.overrides.set('apply', () => (n++ === 0 ? staleAnswer(withLanAddress()) : undefined));
    const r = await lab.run({ log: new RunLog(join(dir, 'run.log')) });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    const log = readFileSync(join(dir, 'run.log'), 'utf8');
    expect(log).toContain(`${STALE_MARKER} 0123abcd`);
    expect(log).toMatch(/router_a: changed since its facts were read \(now also holds address 203\.0\.113\.7\/24 .*\); planned again from what it holds now, the same plan: sent again/);
  });

  it('an operator\'s address on the run\'s own link, the same plan: the re-send\'s facts are the snapshot, so a failed check\'s rollback is complete with the address kept (exit 5; with the older snapshot, exit 6: a review)', async () => {
    const lab = replayedLab();
    const onEth1 = '{"ifindex":3,"ifname":"eth1","flags":["BROADCAST","MULTICAST"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","group":"default","txqlen":1000,"addr_info":[{"family":"inet","local":"192.0.2.9","prefixlen":24,"scope":"global","label":"eth1","valid_life_time":4294967295,"preferred_life_time":4294967295}]},';
    // The address stays on router a for the rest of the run: in every later answer's address listing (before lan0's).
    const withEth1 = (out: string) => out.replace(/(\{"ifindex":\d+,"ifname":"lan0","flags":\[[^\]]*\],"mtu":\d+,"qdisc":"\w+","operstate":"\w+","group":"default","txqlen":\d+,"addr_info":\[)/, `${onEth1}$1`);
    expect(withEth1(recording('a', 'pristine'))).toContain('192.0.2.9');
    let n = 0;
    lab.routers.router_a.overrides.set('apply', (_, rec) => (n++ === 0 ? staleAnswer(withEth1(recording('a', 'pristine'))) : { ...rec, stdout: withEth1(rec.stdout) }));
    lab.routers.router_a.overrides.set('rollback', (_, rec) => ({ ...rec, stdout: withEth1(rec.stdout) }));
    lab.routers.router_b.overrides.set('verify', (script, rec) => ({ ...rec, stdout: checkIndices(script).map((k) => `100% packet loss\n${CHECK_MARKER} ${k} 1 3\n`).join('') }));
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.verifyFailed);
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.status).toBe('rolled back');
    expect(a.rollback).toMatchObject({ ok: true, residual: { missing: [], extra: [] } });
    expect(a.warnings).toEqual([expect.stringMatching(/^changed since its facts were read \(now also holds address 192\.0\.2\.9\/24 .*dev eth1/)]);
  });

  it('a first apply armed but unable to journal its first step (a disk that filled after the arm) is rolled back there too: the rollback stops its timer and frees its lock (a review)', async () => {
    const lab = replayedLab();
    lab.routers.router_a.overrides.set('apply', () => ({ stdout: '@@teqlctl-arm-failed step 0 not started: the run was decided meanwhile (its dead-man fired or a rollback claimed it), or its journal cannot be written\n', code: 3, state: 'pristine' }));
    const r = await lab.run();
    expect(r.summary).toContain('router_a: step 0 not started');
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'apply', 'rollback']);
    expect(lab.routers.router_b.kinds().at(-1)).toBe('rollback');
    expect(lab.routers.router_b.state).toBe('pristine');
    // A dead-man that could not be armed at all: nothing to claim there.
    const unarmed = replayedLab();
    unarmed.routers.router_a.overrides.set('apply', () => ({ stdout: '@@teqlctl-arm-failed cannot write /var/lib/teqlctl/runs/r1/meta\n', code: 3, state: 'pristine' }));
    await unarmed.run();
    expect(unarmed.routers.router_a.kinds()).toEqual(['facts', 'apply']);
  });

  it('a signal while an apply is in flight does not wait for it: both routers are rolled back from their own journals (exit 130)', async () => {
    const lab = replayedLab();
    const stop = new AbortController();
    const r = await lab.run({
      stop: stop.signal,
      connect: async (host) => {
        const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
        const run = t.run.bind(t);
        // The apply never answers (held up on the router) until the rollback stops it.
        t.run = async (label, script) => {
          if (label === 'apply') {
            await run(label, script);
            stop.abort();
            return new Promise(() => undefined);
          }
          return run(label, script);
        };
        return t;
      },
    });
    expect(r.exitCode).toBe(ExitCode.interrupted);
    for (const router of Object.values(lab.routers)) {
      expect(router.kinds()).toEqual(['facts', 'apply', 'rollback']);
      expect(router.state).toBe('pristine');
    }
  });

  it('opens the confirmation connections after the last apply, while verification runs, and closes them if the run fails', async () => {
    const lab = replayedLab();
    const events: string[] = [];
    const opened: Array<{ closed: boolean }> = [];
    lab.routers.router_b.overrides.set('verify', (script, recorded) => {
      events.push('verify');
      return { ...recorded, stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 3\n`).join('') };
    });
    const r = await lab.run({
      connectFresh: async (host) => {
        events.push(`fresh ${host} after ${lab.routers[host as 'router_a' | 'router_b'].kinds().join(',')}`);
        const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
        opened.push(t);
        return t;
      },
    });
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    // Both opened after their apply and before b's verification answered: the handshake overlaps it.
    expect(events.slice(0, 2).sort()).toEqual(['fresh router_a after facts,apply', 'fresh router_b after facts,apply']);
    expect(events[2]).toBe('verify');
    expect(opened.map((t) => t.closed)).toEqual([true, true]);
  });

  it('a confirmed host that cannot be reached for the rollback of a partial confirmation is said to stay changed, not to revert by itself', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('confirm', () => ({ stdout: `${CONFIRM_MARKER} too-late reverted decided-by=revert\n`, code: 1 }));
    // router_a's rollback trip fails: its run's connection is gone.
    lab.routers.router_a.overrides.set('rollback', () => { throw new Error('connection lost'); });
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.rollbackIncomplete);
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.rollback!.errors.join(' ')).toMatch(/it was confirmed, so its dead-man is off and it STAYS CHANGED: `teqlctl rollback --run test-run-1`/);
    expect(a.rollback!.errors.join(' ')).not.toMatch(/reverts it by itself/);
  });

  it('a rollback that finds its run abandoned at a restart undoes nothing there, and says so against the snapshot (exit 6)', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('verify', (script, recorded) => ({
      ...recorded,
      stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 3\n`).join(''),
    }));
    // router_a restarted meanwhile and a later run configured it: its boot script decided the run abandoned.
    lab.routers.router_a.overrides.set('rollback', () => ({ stdout: `${ABANDONED_MARKER}\n${recording('a', 'converged')}`, state: 'converged' }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.rollbackIncomplete);
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.status).toBe('rollback failed');
    expect(a.rollback!.errors).toEqual(['run test-run-1 was recorded as abandoned there (the router restarted during it and a later run was made after it): nothing of it was undone, the later run\'s configuration stays']);
    expect(a.rollback!.residual.extra.length).toBeGreaterThan(0);
    expect(r.hosts.find((h) => h.host === 'router_b')!.status).toBe('rolled back');
  });

  it('a rollback that finds the run decided by its revert, not ended, undoes nothing beside it and says so (exit 6)', async () => {
    const lab = replayedLab();
    lab.routers.router_b.overrides.set('verify', (script, recorded) => ({
      ...recorded,
      stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 3\n`).join(''),
    }));
    lab.routers.router_a.overrides.set('rollback', () => ({ stdout: `${REVERT_OWNS_MARKER} state=reverting\n${recording('a', 'converged')}`, state: 'converged' }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.rollbackIncomplete);
    const a = r.hosts.find((h) => h.host === 'router_a')!;
    expect(a.rollback!.errors).toEqual(["run test-run-1 is decided there by its own dead-man's revert, not ended (state reverting): teqlctl did not undo it a second time beside it; see teqlctl status"]);
  });
});
