// `teqlctl play` on a real terminal (tmux), as most operators run it: the run's own connections are
// opened first (to ask for secrets before the progress display), the plan is approved by typing
// "y", and the confirmation still travels over a connection of its own, opened after applying. The
// log shows both connections of each host by their client ports.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resetRouters } from './lab.js';
import { laneCommandPrefix } from './lanes.js';
import { CHAPTER, LAB_INVENTORY, ROOT } from './teqlctl.js';
import { bothStates, sleep } from './wait.js';

const session = `teqlctl-play-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });

afterAll(async () => {
  try { tmux('kill-session', '-t', session); } catch { /* already gone */ }
  await resetRouters('a', 'b');
});

async function screenUntil(pattern: RegExp, ms = 120_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const screen = tmux('capture-pane', '-p', '-J', '-t', session, '-S', '-3000');
    if (pattern.test(screen)) return screen;
    if (Date.now() > end) throw new Error(`timed out waiting for ${pattern}:\n${screen}`);
    await sleep(300);
  }
}

describe('play on a terminal', () => {
  it('asks, applies over the connections it opened first, and confirms over new ones (two connections per changed host)', async () => {
    await resetRouters('a', 'b');
    const work = mkdtempSync(join(tmpdir(), 'teqlctl-tty-'));
    const log = join(work, 'run.log');
    const cli = resolve(ROOT, 'dist/cli/main.js');
    tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '50',
      `cd ${ROOT} && ${laneCommandPrefix()}node ${cli} play -i ${LAB_INVENTORY} ${CHAPTER} --log ${log}; echo PLAY-EXIT=$?; sleep 3600`);
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
});
