// A router that runs a routing daemon (bird, FRR): the daemon adds and removes its routes as its
// neighbours come and go, here one that appears while a run is between its apply and its checks
// (an adjacency formed over the new equalizer). teqlctl never made it and does not undo it: the
// rollback after a failed ping is complete (exit 5, not 6 "rollback incomplete"), the route stays.
// And a daemon's table (a BGP feed, here a few thousand routes) is not read: one of its routes
// that comes or goes while a run waits for approval does not make the run stale.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, playJson, ROOT, TEARDOWN } from './teqlctl.js';
import { eventually } from './wait.js';
import { startPlay } from './fault-matrix/harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'teqlctl-e2e-daemon-'));
// teql0 over router_a's eth1 and eth2, and a ping that cannot succeed: the run is rolled back.
const PLAYBOOK = resolve(ROOT, 'test/e2e/playbooks/a-unreachable-check.yml');
const DAEMON_ROUTE = '198.51.100.0/24 dev eth0 proto bird metric 32';

afterAll(() => resetRouters('a', 'b'));

describe('a routing daemon\'s routes during a run', () => {
  it('one that appears between the apply and the rollback is not the run\'s: the rollback is complete (exit 5), the route stays', async () => {
    await resetRouters('a', 'b');
    const before = await readState('a');
    const run = startPlay(['--debug-hold', 'verify:10'], { inventory: LAB_INVENTORY, playbook: PLAYBOOK });
    // Applied (the equalizer up): the daemon adds its route.
    expect(await eventually(60_000, async () => (await sshRun('a', 'ip -o link show teql0 up')).stdout.includes('teql0'))).toBe(true);
    expect((await sshRun('a', `ip route add ${DAEMON_ROUTE}`)).code).toBe(0);
    const { code, stdout } = await run.done;
    expect(code, stdout + run.stderr()).toBe(5);
    const host = JSON.parse(stdout).hosts.router_a;
    expect(host.status).toBe('rolled back');
    expect(host.rollback).toMatchObject({ ok: true, residual: { missing: [], extra: [] } });
    // Still there (teqlctl did not make it, so it did not undo it); without it, a is as it was.
    expect((await sshRun('a', 'ip route show proto bird')).stdout).toContain('198.51.100.0/24 dev eth0');
    expect((await sshRun('a', `ip route del ${DAEMON_ROUTE}`)).code).toBe(0);
    expect(await readState('a')).toBe(before);
  });
});

describe('a routing daemon\'s table', () => {
  const ROUTES = 3000;
  // 100.64.0.0/10 by /24s, as a feed's routes: each through the management network's gateway.
  const table = Array.from({ length: ROUTES }, (_, i) => `route add 100.${64 + Math.floor(i / 250)}.${i % 250}.0/24 via 10.0.2.2 proto bird`).join('\n') + '\n';

  it('is not read, and its churn while a run waits for approval leaves the plan valid: converged, a rerun changes nothing, the teardown leaves the table', async () => {
    await resetRouters('a', 'b');
    expect((await sshRun('a', 'ip -batch -', { input: table })).code).toBe(0);
    const before = await readState('a');
    const log = join(tmp, 'churn.log');
    const run = startPlay(['--log', log, '--debug-hold', 'approve:8'], { inventory: LAB_INVENTORY, playbook: CHAPTER });
    await run.waitFor(/holding at approve/);
    // The daemon learns a route and loses one meanwhile.
    expect((await sshRun('a', 'ip route add 100.100.0.0/24 via 10.0.2.2 proto bird && ip route del 100.64.0.0/24 proto bird')).code).toBe(0);
    const { code, stdout } = await run.done;
    expect(code, stdout + run.stderr()).toBe(0);
    for (const host of ['router_a', 'router_b']) expect(JSON.parse(stdout).hosts[host].status).toBe('changed');
    // None of the table went over the wire (the run log keeps every answer of the routers).
    expect(readFileSync(log, 'utf8')).not.toContain('"protocol":"bird"');
    const rerun = await playJson(CHAPTER);
    expect(rerun.code, rerun.stderr).toBe(0);
    for (const host of ['router_a', 'router_b']) expect(rerun.json.hosts[host]).toMatchObject({ status: 'ok', changes: [] });
    const teardown = await playJson(TEARDOWN);
    expect(teardown.code, teardown.stderr).toBe(0);
    // The table as the daemon left it, and the rest of a as before the run.
    const bird = (await sshRun('a', 'ip route show proto bird')).stdout;
    expect(bird.trim().split('\n')).toHaveLength(ROUTES);
    expect(bird).toContain('100.100.0.0/24 via 10.0.2.2');
    expect(bird).not.toContain('100.64.0.0/24 ');
    const others = (state: string) => state.split('\n').filter((l) => !l.includes('proto bird')).join('\n');
    expect(others(await readState('a'))).toBe(others(before));
  });

  it('a daemon\'s route that appears at a route task\'s network while the run waits for approval: refused as stale before any change (exit 8), the route stays', async () => {
    await resetRouters('a', 'b');
    const before = await readState('a');
    const run = startPlay(['--debug-hold', 'approve:8'], { inventory: LAB_INVENTORY, playbook: CHAPTER });
    await run.waitFor(/holding at approve/);
    // The chapter routes 198.51.100.0/24 over the bundle on a; the daemon learns it meanwhile.
    expect((await sshRun('a', 'ip route add 198.51.100.0/24 via 10.0.2.2 proto bird')).code).toBe(0);
    const { code, stdout } = await run.done;
    expect(code, stdout + run.stderr()).toBe(8);
    expect(JSON.parse(stdout).hosts.router_a.error).toMatch(/the plan is stale/);
    const others = (state: string) => state.split('\n').filter((l) => !l.includes('proto bird')).join('\n');
    expect(others(await readState('a'))).toBe(others(before));
    expect((await sshRun('a', 'ip route show proto bird')).stdout).toContain('198.51.100.0/24 via 10.0.2.2');
  });
});
