// A full /var/lib/teqlctl on one router (a small tmpfs, filled): the dead-man cannot be armed there,
// so the run is refused on it before its first change, the other router is rolled back, and both
// end exactly as they were, with no lock left behind. A disk that fills AFTER arming (the run's
// reserve, decision.ts): the dead-man still decides and reverts, and a confirmation still confirms.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { bothStates, eventually } from './wait.js';
import { appliedAndPending, bothQuiet } from './run-state.js';
import { CHAPTER, LAB_INVENTORY, ROOT, playJson, teqlctl } from './teqlctl.js';

/** /var/lib/teqlctl on router a as a tmpfs of `kb` KiB. */
const smallDisk = (kb: number) => sshRun('a', `mkdir -p /var/lib/teqlctl && mount -t tmpfs -o size=${kb}k tmpfs /var/lib/teqlctl`);
/** Fills it to the last page: a big file, then empty files until even one byte does not fit. */
const fill = () => sshRun('a', 'cd /var/lib/teqlctl && { dd if=/dev/zero of=fill bs=4k count=1000 2>/dev/null; i=0; while echo x > fill-$i 2>/dev/null; do i=$((i+1)); done; echo x > probe; }');
/** A play held (`--debug-hold confirm:S`) between its verification and its confirmation, its dead-man at `timeout` s. */
const heldPlay = (sec: number, timeout: number) =>
  spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, CHAPTER, '--yes', '--json', '--confirm-timeout', String(timeout), '--debug-hold', `confirm:${sec}`], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });

describe('arming the dead-man on a full disk', () => {
  afterAll(async () => {
    await sshRun('a', 'umount /var/lib/teqlctl 2>/dev/null; true');
    await resetRouters('a', 'b');
  });

  it('refuses the run on that router before any change (exit 8); both routers end as they were', async () => {
    await resetRouters('a', 'b');
    const full = await sshRun('a', 'mkdir -p /var/lib/teqlctl && mount -t tmpfs -o size=16k tmpfs /var/lib/teqlctl && (dd if=/dev/zero of=/var/lib/teqlctl/fill bs=1k count=64 2>/dev/null; true) && df -k /var/lib/teqlctl | tail -1');
    expect(full.code, full.stderr).toBe(0);
    const before = await bothStates();
    const r = await playJson(CHAPTER);
    expect(r.code, r.stderr).toBe(8);
    expect(r.json.hosts.router_a.error).toMatch(/cannot arm the dead-man: .* \(is \/var\/lib\/teqlctl full or read-only\?\)/);
    expect(await bothStates()).toEqual(before);
    // No lock left on either router: a could not arm, b was rolled back and its run closed.
    for (const router of ['a', 'b'] as const) expect((await sshRun(router, 'test -e /run/teqlctl.lock')).code, router).toBe(1);
    // Nothing of the run on a: no run folder was left in the full filesystem.
    expect((await sshRun('a', 'ls /var/lib/teqlctl/runs 2>/dev/null | wc -l')).stdout.trim()).toBe('0');
  });

  it('a disk that fills after arming, the controller killed: the dead-man still reverts both routers', async () => {
    await resetRouters('a', 'b');
    expect((await smallDisk(160)).code).toBe(0);
    const before = await bothStates();
    const child = heldPlay(600, 15);
    expect(await eventually(90_000, async () => (await appliedAndPending('a')) && (await appliedAndPending('b')))).toBe(true);
    const full = await fill();
    expect(full.stderr).toMatch(/No space left on device/);
    child.kill('SIGKILL');
    // Full before anyone decided: the dead-man has the full disk to deal with, not a disk with room.
    expect((await sshRun('a', 'cat /var/lib/teqlctl/runs/*/state; ls /var/lib/teqlctl/runs/*/')).stdout).toMatch(/^pending\n(?![\s\S]*decided)/);
    // The dead-man (15 s) decides on the full disk: it frees the run's reserve to record it.
    expect(await eventually(60_000, async () => JSON.stringify(await bothStates()) === JSON.stringify(before))).toBe(true);
    expect(await eventually(20_000, bothQuiet)).toBe(true);
    expect((await sshRun('a', 'cat /var/lib/teqlctl/runs/*/state /var/lib/teqlctl/runs/*/decided/by; ls /var/lib/teqlctl/runs/*/')).stdout).toMatch(/^reverted\nrevert\n(?![\s\S]*reserve)/);
    const status = await teqlctl(['status', '-i', LAB_INVENTORY]);
    expect(status.stdout).toMatch(/router_a:[\s\S]*reverted, reverted by the dead-man at /);
  });

  it('a disk that fills after arming, the controller going on: both routers confirmed, converged', async () => {
    await resetRouters('a', 'b');
    expect((await smallDisk(160)).code).toBe(0);
    // The dead-man (armed before the first change) must not fire during the apply, the pings and the hold.
    const child = heldPlay(8, 40);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    const ended = new Promise<number | null>((done) => child.on('close', done));
    expect(await eventually(90_000, async () => (await appliedAndPending('a')) && (await appliedAndPending('b')))).toBe(true);
    expect((await fill()).stderr).toMatch(/No space left on device/);
    // Full before the confirmation (held 8 s after the checks) decided anything.
    expect((await sshRun('a', 'cat /var/lib/teqlctl/runs/*/state; ls /var/lib/teqlctl/runs/*/')).stdout).toMatch(/^pending\n(?![\s\S]*decided)/);
    expect(await ended).toBe(0);
    const json = JSON.parse(out);
    expect(json.hosts.router_a.status).toBe('changed');
    expect(await eventually(10_000, bothQuiet)).toBe(true);
    expect((await sshRun('a', 'cat /var/lib/teqlctl/runs/*/state /var/lib/teqlctl/runs/*/decided/by /var/lib/teqlctl/runs/*/after-state')).stdout).toMatch(/^confirmed\nconfirm\n.*teql0/s);
    // Converged: a check plans nothing on either router.
    const check = await teqlctl(['play', '-i', LAB_INVENTORY, CHAPTER, '--check', '--detailed-exitcode']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
  });
});
