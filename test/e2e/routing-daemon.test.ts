// A router that runs a routing daemon (bird, FRR): the daemon adds and removes its routes as its
// neighbours come and go, here one that appears while a run is between its apply and its checks
// (an adjacency formed over the new equalizer). teqlctl never made it and does not undo it: the
// rollback after a failed ping is complete (exit 5, not 6 "rollback incomplete"), the route stays.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { LAB_INVENTORY, ROOT } from './teqlctl.js';
import { eventually } from './wait.js';

const tmp = mkdtempSync(join(tmpdir(), 'teqlctl-e2e-daemon-'));
// teql0 over router_a's eth1 and eth2, and a ping that cannot succeed: the run is rolled back.
const PLAYBOOK = join(tmp, 'daemon.yml');
writeFileSync(PLAYBOOK, `- hosts: router_a
  tasks:
    - link: { dev: "{{ item }}", state: up }
      loop: [eth1, eth2]
    - teql: { device: teql0, slaves: [eth1, eth2] }
    - ping: { to: 203.0.113.77, count: 1, timeout: 1 }
`);
const DAEMON_ROUTE = '198.51.100.0/24 dev eth0 proto bird metric 32';

afterAll(() => resetRouters('a', 'b'));

describe('a routing daemon\'s routes during a run', () => {
  it('one that appears between the apply and the rollback is not the run\'s: the rollback is complete (exit 5), the route stays', async () => {
    await resetRouters('a', 'b');
    const before = await readState('a');
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, PLAYBOOK, '--yes', '--json', '--debug-hold', 'verify:10'], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const ended = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
    // Applied (the equalizer up): the daemon adds its route.
    expect(await eventually(60_000, async () => (await sshRun('a', 'ip -o link show teql0 up')).stdout.includes('teql0'))).toBe(true);
    expect((await sshRun('a', `ip route add ${DAEMON_ROUTE}`)).code).toBe(0);
    const code = await ended;
    expect(code, stdout + stderr).toBe(5);
    const host = JSON.parse(stdout).hosts.router_a;
    expect(host.status).toBe('rolled back');
    expect(host.rollback).toMatchObject({ ok: true, residual: { missing: [], extra: [] } });
    // Still there (teqlctl did not make it, so it did not undo it); without it, a is as it was.
    expect((await sshRun('a', 'ip route show proto bird')).stdout).toContain('198.51.100.0/24 dev eth0');
    expect((await sshRun('a', `ip route del ${DAEMON_ROUTE}`)).code).toBe(0);
    expect(await readState('a')).toBe(before);
  });
});
