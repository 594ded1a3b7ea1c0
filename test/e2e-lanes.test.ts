// The e2e suite's lanes and file order (test/e2e/lanes.ts, file-order.ts): pure parts, no lab.
import { describe, expect, it, onTestFinished } from 'vitest';
import { expectedSeconds } from './e2e/file-order.js';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { claimFile, claimLane, laneCommandPrefix, laneCount, laneEnv } from './e2e/lanes.js';

describe('e2e lanes', () => {
  it('one lane per 2 cores by default (1 to 4); TEQLCTL_E2E_LANES picks 1 to 4 and refuses anything else', () => {
    expect([1, 2, 3, 4, 5, 8, 64].map((cores) => laneCount({}, cores))).toEqual([1, 1, 1, 2, 2, 4, 4]);
    expect(laneCount({ TEQLCTL_E2E_LANES: '2' }, 2)).toBe(2);
    expect(laneCount({ TEQLCTL_E2E_LANES: '1' })).toBe(1);
    for (const bad of ['0', '5', 'two', '1.5']) expect(() => laneCount({ TEQLCTL_E2E_LANES: bad })).toThrow(/from 1 to 4/);
  });

  it('one lane: lane 1 with no claim file', async () => {
    const env = { TEQLCTL_LAB_DIR: join(mkdtempSync(join(tmpdir(), 'teqlctl-lanes-')), 'lab'), TEQLCTL_E2E_LANES: '1' };
    expect(await claimLane(env, process.ppid)).toBe(1);
    expect(() => readFileSync(claimFile(1, env))).toThrow(/ENOENT/);
  });

  it('a tmux command gets the lane on its line (tmux runs it with its server\'s environment)', () => {
    expect(laneCommandPrefix({ PATH: '/bin' })).toBe('');
    const lane2 = { ...laneEnv(2, { XDG_CACHE_HOME: '/c' }), TEQLCTL_E2E_LANE: '2', PATH: '/bin' };
    expect(laneCommandPrefix(lane2)).toBe("env TEQLCTL_LAB_DIR='/c/teqlctl/lab-lane2' TEQLCTL_LAB_INVENTORY='/c/teqlctl/lab-lane2/lab.yml' TEQLCTL_LAB_LINK_PORT_BASE='40100' XDG_STATE_HOME='/c/teqlctl/lab-lane2/state' TEQLCTL_LAB_SSH_PORT_A='2211' TEQLCTL_LAB_SSH_PORT_B='2212' TEQLCTL_LAB_SSH_PORT_H='2213' TEQLCTL_E2E_LANE='2' ");
    expect(laneCommandPrefix({ TEQLCTL_LAB_DIR: "/it's" })).toBe(`env TEQLCTL_LAB_DIR='/it'\\''s' `);
  });

  it('a worker claims the first lane no living worker holds; a dead worker\'s claim is taken over', async () => {
    const env = { TEQLCTL_LAB_DIR: join(mkdtempSync(join(tmpdir(), 'teqlctl-lanes-')), 'lab'), TEQLCTL_E2E_LANES: '2' };
    expect(await claimLane(env, process.pid)).toBe(1);
    expect(await claimLane(env, process.pid)).toBe(1); // the same worker again: its own lane
    expect(await claimLane(env, process.ppid)).toBe(2); // lane 1 is held by a living process
    expect(readFileSync(claimFile(2, env), 'utf8')).toBe(String(process.ppid));
    const dead = spawnSync('true').pid!;
    writeFileSync(claimFile(1, env), String(dead));
    expect(await claimLane(env, 4242424)).toBe(1);
    expect(readFileSync(claimFile(1, env), 'utf8')).toBe('4242424');
  });

  it('lane 1 is the lab as configured; lane 2 moves its folder, inventory, journals, SSH and link ports', () => {
    const env = { XDG_CACHE_HOME: '/cache' };
    expect(laneEnv(1, env)).toEqual({});
    expect(laneEnv(2, env)).toEqual({
      TEQLCTL_LAB_DIR: '/cache/teqlctl/lab-lane2',
      TEQLCTL_LAB_INVENTORY: '/cache/teqlctl/lab-lane2/lab.yml',
      TEQLCTL_LAB_LINK_PORT_BASE: '40100',
      XDG_STATE_HOME: '/cache/teqlctl/lab-lane2/state',
      TEQLCTL_LAB_SSH_PORT_A: '2211',
      TEQLCTL_LAB_SSH_PORT_B: '2212',
      TEQLCTL_LAB_SSH_PORT_H: '2213',
    });
    // Moved from where the operator put lane 1, not from the defaults.
    const moved = laneEnv(3, { TEQLCTL_LAB_DIR: '/labs/x', TEQLCTL_LAB_SSH_PORT_A: '3000', TEQLCTL_LAB_LINK_PORT_BASE: '50000' });
    expect(moved).toMatchObject({ TEQLCTL_LAB_DIR: '/labs/x-lane3', TEQLCTL_LAB_SSH_PORT_A: '3020', TEQLCTL_LAB_SSH_PORT_B: '2222', TEQLCTL_LAB_LINK_PORT_BASE: '50200' });
  });
});

describe('e2e file order', () => {
  it('e2e files by their measured time, unknown ones at 60 s, anything outside test/e2e at 0', () => {
    expect(expectedSeconds('/w/test/e2e/fault-matrix.test.ts')).toBe(650);
    expect(expectedSeconds('/w/test/e2e/new-thing.test.ts')).toBe(60);
    expect(expectedSeconds('/w/test/play/run-play.test.ts')).toBe(0);
  });
});

describe('e2e lanes: claims raced by separate processes', () => {
  // Each child says it is ready, claims a lane, says which, and holds it until its stdin closes.
  const CHILD = `
    import { claimLane } from ${JSON.stringify(fileURLToPath(new URL('./e2e/lanes.ts', import.meta.url)))};
    process.stdout.write('ready\\n');
    const lane = await claimLane();
    process.stdout.write(lane + '\\n');
    process.stdin.resume();
    process.stdin.on('end', () => process.exit(0));
  `;

  function claimer(env: Record<string, string>) {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'], timeout: 60_000, killSignal: 'SIGKILL',
    });
    onTestFinished(() => void child.kill('SIGKILL')); // runs after a timeout too: no claimer outlives its test
    const lines = createInterface({ input: child.stdout });
    const said = (pred: (l: string) => boolean) => new Promise<string>((resolve, reject) => {
      lines.on('line', (l) => pred(l) && resolve(l));
      child.once('exit', (code) => reject(new Error(`claimer exited ${code} before it said that`)));
    });
    const ready = said((l) => l === 'ready');
    const lane = said((l) => /^\d+$/.test(l)).then(Number);
    ready.catch(() => undefined);
    lane.catch(() => undefined);
    return { ready, lane, release: () => new Promise((r) => { child.once('exit', r); child.stdin.end(); }) };
  }

  it('three at once get three lanes; a fourth waits, then takes the lane the first gives back', async () => {
    const env = { TEQLCTL_LAB_DIR: join(mkdtempSync(join(tmpdir(), 'teqlctl-lanes-race-')), 'lab'), TEQLCTL_E2E_LANES: '3' };
    const three = [claimer(env), claimer(env), claimer(env)];
    const lanes = await Promise.all(three.map((c) => c.lane));
    expect([...lanes].sort()).toEqual([1, 2, 3]);
    const fourth = claimer(env);
    await fourth.ready;
    // Every lane held: from its first attempt on, the fourth must wait (claims are retried every 0.5 s).
    const early = await Promise.race([fourth.lane, new Promise((r) => setTimeout(() => r('waiting'), 2000))]);
    expect(early).toBe('waiting');
    await three[0]!.release();
    expect(await fourth.lane).toBe(lanes[0]);
  }, 60_000);
});
