// `teqlctl play` on a real terminal (tmux), as most operators run it: the run's own connections are
// opened first (to ask for secrets before the progress display), the plan is approved by typing
// "y", and the confirmation still travels over a connection of its own, opened after applying. The
// log shows both connections of each host by their client ports. A later play's question runs
// under the earlier play's dead-man timers: unanswered, it ends before they fire, and the run rolls back.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resetRouters } from './lab.js';
import { laneCommandPrefix } from './lanes.js';
import { CHAPTER, LAB_INVENTORY, ROOT, teqlctl } from './teqlctl.js';
import { screenUntil as screenOf, tmux } from '../helpers/tmux.js';
import { bothStates } from './wait.js';

const session = `teqlctl-play-${process.pid}`;

afterAll(async () => {
  try { tmux('kill-session', '-t', session); } catch { /* already gone */ }
  await resetRouters('a', 'b');
});

const cli = resolve(ROOT, 'dist/cli/main.js');
const startOnTerminal = (args: string) =>
  tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50', `cd ${ROOT} && ${laneCommandPrefix()}node ${cli} ${args}; echo PLAY-EXIT=$?; sleep 3600`);

const screenUntil = (pattern: RegExp, ms?: number) => screenOf(session, pattern, ms);

describe('play on a terminal', () => {
  it('--json without --yes: refused before any change (exit 8), not asked about a plan it never showed', async () => {
    await resetRouters('a', 'b');
    const before = await bothStates();
    try {
      startOnTerminal(`play -i ${LAB_INVENTORY} ${CHAPTER} --json`);
      const screen = await screenUntil(/PLAY-EXIT=\d+/);
      expect(screen).toMatch(/PLAY-EXIT=8/);
      expect(screen).toContain('refusing to change routers without --yes under --json');
      expect(screen).not.toContain('Apply these changes?');
      expect(screen).toMatch(/"exitCode": ?8/);
      expect(await bothStates()).toEqual(before);
    } finally {
      try { tmux('kill-session', '-t', session); } catch { /* already gone */ }
    }
  });

  it('asks, applies over the connections it opened first, and confirms over new ones (two connections per changed host)', async () => {
    await resetRouters('a', 'b');
    const work = mkdtempSync(join(tmpdir(), 'teqlctl-tty-'));
    const log = join(work, 'run.log');
    startOnTerminal(`play -i ${LAB_INVENTORY} ${CHAPTER} --log ${log}`);
    await screenUntil(/Apply these changes\?/);
    tmux('send-keys', '-t', session, '-l', 'y');
    tmux('send-keys', '-t', session, 'Enter');
    const screen = await screenUntil(/PLAY-EXIT=\d+/);
    expect(screen).toMatch(/PLAY-EXIT=0/);
    expect(screen).toMatch(/router_a\s+: ok=\d+\s+changed=\d+/);
    expect(existsSync(log)).toBe(true);
    const text = readFileSync(log, 'utf8');
    for (const host of ['router_a', 'router_b']) {
      const m = new RegExp(`${host}: confirmed over a new connection \\(client port (\\d+)\\), not over the run's own \\(client port (\\d+)\\)`).exec(text);
      expect(m, text.slice(-3000)).not.toBeNull();
      expect(m![1]).not.toBe(m![2]);
    }
    const routers = await bothStates();
    expect(routers.a).toContain('teql0 10.0.0.4/31');
    expect(routers.b).toContain('teql0 10.0.0.5/31');
  });

  it('a later play\'s question says when the earlier play\'s timers fire; unanswered, it counts as no before they do, and the run rolls back (exit 8)', async () => {
    await resetRouters('a', 'b');
    try { tmux('kill-session', '-t', session); } catch { /* the first test's */ }
    const before = await bothStates();
    startOnTerminal(`play -i ${LAB_INVENTORY} ${resolve(ROOT, 'test/e2e/playbooks/two-plays.yml')} --confirm-timeout 25`);
    await screenUntil(/Apply these changes\?/);
    tmux('send-keys', '-t', session, '-l', 'y');
    tmux('send-keys', '-t', session, 'Enter');
    // The second play's question, asked once the first play is applied and verified.
    const asked = await screenUntil(/revert by themselves at/);
    const m = /the earlier plays' router_a, router_b revert by themselves at (\d\d:\d\d:\d\d) unless this run confirms them: no answer by (\d\d:\d\d:\d\d) counts as no/.exec(asked);
    expect(m, asked).not.toBeNull();
    // No answer: the run gives up 10 s before the timers, and rolls back both routers itself.
    const screen = await screenUntil(/PLAY-EXIT=\d+/, 60_000);
    expect(screen).toMatch(/PLAY-EXIT=8/);
    expect(screen).toContain(`not applied: no answer by ${m![2]}, 10 s before the earlier plays' dead-man timers fire (${m![1]}, --confirm-timeout)`);
    expect(screen).toMatch(/every host was rolled back to its state before the run/);
    expect(await bothStates()).toEqual(before);
    // Rolled back by the run, not reverted by the dead-man.
    const status = (await teqlctl(['status', '-i', LAB_INVENTORY])).stdout;
    for (const h of ['router_a', 'router_b']) expect(status).toMatch(new RegExp(`^${h}: no timer armed; not locked\\n  run \\S+ +started \\S+ +rolled-back$`, 'm'));
    expect(status).not.toMatch(/reverted by the dead-man/);
  });
});
