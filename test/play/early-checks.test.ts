// Early checks in a run (play/early-checks.ts), against the replayed lab: the pings started with the
// facts verify a play that changes nothing, in its one round trip; in a play that changes something
// they end unused and the checks run after the apply; one that failed is checked again in full.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { CHECK_MARKER } from '../../src/router/markers.js';
import { checkIndices } from '../../bench/fleet/sim-host.js';
import { RunLog } from '../../src/play/run-log.js';
import { replayedLab } from './helpers.js';
import { checksWithoutApply } from '../../src/play/early-checks.js';
import type { RunState } from '../../src/play/run-state.js';
import type { ReplayTransport } from '../helpers/replay-transport.js';

const COLLECT = 'wait $tq_early_0';
const RETRIES = 'while [ $n -lt 3 ]';

describe('early checks in a run against the replayed lab', () => {
  it('a play that changes nothing is read and verified in one round trip per host, each check from one ping', async () => {
    const lab = replayedLab();
    for (const router of Object.values(lab.routers)) router.state = 'converged';
    const own: ReplayTransport[] = [];
    const r = await lab.run({ connect: async (host) => {
      const t = lab.routers[host as 'router_a' | 'router_b'].connect(host);
      own.push(t);
      return t;
    } });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(own.map((t) => t.stats.roundTrips)).toEqual([1, 1]);
    for (const router of Object.values(lab.routers)) {
      expect(router.kinds()).toEqual(['facts', 'verify']);
      const [facts, verify] = router.sent;
      // The pings are started before the facts are read, and collected after: the same shell.
      expect(facts!.script.indexOf('ping -n')).toBeGreaterThan(-1);
      expect(facts!.script.indexOf('ping -n')).toBeLessThan(facts!.script.indexOf('ip -j -d link show'));
      // Only where the equalizer is there already: on a router still to set up, no ping starts.
      expect(facts!.script).toContain('[ -e /sys/class/net/teql0 ] && { tq_early=$(mktemp -d');
      expect(verify!.script).toContain(COLLECT);
      expect(verify!.script).not.toContain(RETRIES);
    }
    for (const h of r.hosts) {
      expect(h.checks.length).toBe(4);
      expect(h.checks.every((c) => c.ok && c.attempts === 1)).toBe(true);
    }
  });

  it('a play that changes something ends them unused: the checks run after both routers applied, with their attempts', async () => {
    const lab = replayedLab();
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    for (const router of Object.values(lab.routers)) {
      expect(router.kinds()).toEqual(['facts', 'apply', 'verify', 'confirm', 'release']);
      expect(router.sent.some((s) => s.script.includes(COLLECT))).toBe(false);
      expect(router.sent.find((s) => s.kind === 'verify')!.script).toContain(RETRIES);
    }
  });

  it('a play that changes something on one router only: the other, unchanged, is not verified by its early pings either', async () => {
    const lab = replayedLab();
    lab.routers.router_b.state = 'converged';
    const r = await lab.run();
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(lab.routers.router_b.kinds()).toEqual(['facts', 'verify']);
    expect(lab.routers.router_b.sent[1]!.script).toContain(RETRIES);
    expect(lab.routers.router_b.sent.some((s) => s.script.includes(COLLECT))).toBe(false);
  });

  it('an early check that failed is checked again, in full, in a round trip of its own; the run says so in its log', async () => {
    const lab = replayedLab();
    for (const router of Object.values(lab.routers)) router.state = 'converged';
    // The first answer to checks on b (the early ones) lost every ping; later ones are recorded as passing.
    let first = true;
    lab.routers.router_b.overrides.set('verify', (script, recorded) => {
      if (!first) return recorded;
      first = false;
      return { ...recorded, stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 1\n`).join('') };
    });
    const notes: string[] = [];
    const log = new RunLog(undefined, []);
    const note = log.note.bind(log);
    log.note = (line: string) => {
      notes.push(line);
      note(line);
    };
    const r = await lab.run({ log });
    expect(r.exitCode, r.summary).toBe(ExitCode.ok);
    expect(lab.routers.router_a.kinds()).toEqual(['facts', 'verify']);
    expect(lab.routers.router_b.kinds()).toEqual(['facts', 'verify', 'verify']);
    expect(lab.routers.router_b.sent[2]!.script).toContain(RETRIES);
    expect(r.hosts.find((h) => h.host === 'router_b')!.checks.every((c) => c.ok)).toBe(true);
    expect(notes.some((n) => /router_b: checks started with the facts did not pass: checking again/.test(n))).toBe(true);
  });

  it('an early check that failed and fails again fails the run as before, with nothing to roll back (exit 5)', async () => {
    const lab = replayedLab();
    for (const router of Object.values(lab.routers)) router.state = 'converged';
    lab.routers.router_b.overrides.set('verify', (script, recorded) => ({
      ...recorded,
      stdout: checkIndices(script).map((i) => `100% packet loss\n${CHECK_MARKER} ${i} 1 3\n`).join(''),
    }));
    const r = await lab.run();
    expect(r.exitCode).toBe(ExitCode.verifyFailed);
    expect(lab.routers.router_b.kinds()).toEqual(['facts', 'verify', 'verify']);
  });

  it('none in check mode, nor with a debug hold at approval or verification (time passes there)', async () => {
    for (const opts of [{ check: true }, { holds: { verifySec: 0 } }, { holds: { approveSec: 0 } }]) {
      const lab = replayedLab();
      for (const router of Object.values(lab.routers)) router.state = 'converged';
      const r = await lab.run(opts);
      expect(r.exitCode, r.summary).toBe(ExitCode.ok);
      for (const router of Object.values(lab.routers)) {
        expect(router.sent[0]!.script).not.toContain('ping -n');
        expect(router.sent.some((s) => s.script.includes(COLLECT))).toBe(false);
      }
    }
  });

  it('stand no more once a router changed after they were sent (a bundle rolled back between two phases): the checks run again', async () => {
    const check = { task: 'ping', to: '10.0.0.1', count: 3, timeout: 2, pos: { file: 'p.yml', line: 1, col: 1 } };
    const again = [{ check, ok: true, attempts: 1, summary: 'again' }];
    let ended = 0;
    const session = { changeRounds: 0, checks: async () => again };
    const run = {
      sessions: new Map([['router_a', session]]),
      early: new Map([['router_a', { results: async () => [{ check, ok: true, attempts: 1, summary: 'early' }], end: async () => void ended++ }]]),
      earlyFrom: 0,
      earlyEnding: [],
      opts: { log: new RunLog(undefined, []) },
    } as unknown as RunState;
    expect((await checksWithoutApply(run, 'router_a', [check]))[0]!.summary).toBe('early');
    session.changeRounds = 1;
    expect((await checksWithoutApply(run, 'router_a', [check]))[0]!.summary).toBe('again');
    expect(ended).toBe(1);
    expect(run.early.size).toBe(0);
  });
});
