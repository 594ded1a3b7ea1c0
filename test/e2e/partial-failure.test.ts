// Timeouts and partial failure, with one router's management link cut by the lab (QEMU set_link).
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { resetRouters, sshRun } from './lab.js';
import { eventually } from './wait.js';
import { readState } from './router-state.js';
import { appliedAndPending, quiet } from './run-state.js';
import { CHAPTER, LAB_INVENTORY, ROOT, teqlctl } from './teqlctl.js';


const lab = (...args: string[]) => teqlctl(['lab', ...args]);

describe('partial failure', () => {
  it('a router unreachable at the start: nothing changes on the other one (exit 3)', async () => {
    await resetRouters('a', 'b');
    const before = await readState('a');
    expect((await lab('cut', 'b')).code).toBe(0);
    try {
      const r = await teqlctl(['play', '-i', LAB_INVENTORY, CHAPTER, '--yes']);
      expect(r.code).toBe(3);
      expect(r.stdout + r.stderr).toMatch(/router_b .*unreachable=1/);
      expect(await readState('a')).toBe(before);
    } finally {
      await lab('restore', 'b');
    }
  });

  it('a router lost after applying: the other is rolled back, the lost one reverts by its own timer (exit 6)', async () => {
    await resetRouters('a', 'b');
    const beforeA = await readState('a');
    const beforeB = await readState('b');
    let out = '';
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, CHAPTER, '--yes', '--json', '--confirm-timeout', '30', '--debug-hold-before-confirm', '10'], {
      cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'ignore'],
    });
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number>((done) => child.on('close', (code) => done(code ?? -1)));
    // Applied on both (not only armed): the cut must fall between applying and confirming.
    expect(await eventually(90_000, async () => (await appliedAndPending('a')) && (await appliedAndPending('b')))).toBe(true);
    // b vanishes while teqlctl waits to confirm: its new connection and its old one both fail.
    expect((await lab('cut', 'b')).code).toBe(0);
    try {
      const code = await exited;
      const json = JSON.parse(out);
      expect(code).toBe(6);
      // Lost during verification (the old connection) or at confirmation (the new one): either way b is named.
      expect(json.summary).toMatch(/router_b: (connection lost|.*management access lost)|management access lost .*router_b/);
      expect(json.hosts.router_a.status).toBe('rolled back');
      expect(json.hosts.router_b.status).toBe('rollback failed');
      expect(json.hosts.router_b.rollback.errors.join(' ')).toMatch(/cannot reach router_b .*dead-man timer reverts it by itself within 30 s/);
      expect(await readState('a')).toBe(beforeA);
    } finally {
      await lab('restore', 'b');
    }
    // By now b's own timer has fired (30 s after its first change): it is as it was.
    expect(await eventually(30_000, async () => (await readState('b')) === beforeB)).toBe(true);
    expect(await eventually(10_000, () => quiet('b'))).toBe(true);
    expect((await sshRun('b', 'cat /var/lib/teqlctl/runs/*/state')).stdout.trim()).toBe('reverted');
  });
});
