// Issue 18 on real routers without systemd: the lab's busybox flavour (BusyBox applets, dash as
// /bin/sh, iproute2 in /usr/sbin, OpenSSH, a plain /init). The core scenarios, read on the routers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { labCli, resetRouters, sshRun } from './lab.js';
import { bothStates, eventually } from './wait.js';
import { readState } from './router-state.js';
import { appliedAndPending, bothQuiet } from './run-state.js';
import { CHAPTER, LAB_INVENTORY, ROOT, playJson, teqlctl } from './teqlctl.js';
import { userlandLine } from '../../src/gather/script.js';

const both = bothStates;

// Pending and applied: `pending` alone is written before the first change.
const pendingOn = appliedAndPending;

describe('BusyBox routers without systemd', () => {
  beforeAll(async () => {
    await labCli(['down']);
    await labCli(['up', '--flavor', 'busybox']);
  });
  afterAll(async () => {
    // The default lab, which the other e2e files expect.
    await labCli(['down']);
    await labCli(['up']);
  });

  it('is the userland it claims: BusyBox applets, dash as /bin/sh, iproute2 by path, no systemd', async () => {
    const r = await sshRun('a', 'readlink /bin/sh; readlink /bin/timeout; ls /usr/sbin/ip /usr/sbin/tc; [ -d /run/systemd/system ] && echo systemd || echo no-systemd; command -v systemctl || echo no-systemctl');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['dash', 'busybox', '/usr/sbin/ip', '/usr/sbin/tc', 'no-systemd', 'no-systemctl', '']);
    // And the facts script's own test says so.
    expect((await sshRun('a', userlandLine())).stdout).toBe('userland\tbusybox\n');
  });

  it('cold apply converges both routers and verifies; a rerun changes nothing', async () => {
    const r = await playJson(CHAPTER);
    expect(r.json.exitCode, r.stderr + JSON.stringify(r.json.hosts?.router_a?.error ?? r.json.summary)).toBe(0);
    for (const host of ['router_a', 'router_b']) {
      expect(r.json.hosts[host].status).toBe('changed');
      expect(r.json.hosts[host].verification.every((v: any) => v.ok)).toBe(true);
    }
    const a = await readState('a');
    expect(a).toMatch(/eth1 teql0\neth2 teql0/);
    expect(a).toContain('teql0 10.0.0.4/31');
    expect((await sshRun('a', 'ping -c 2 -W 2 10.0.0.5')).code).toBe(0);

    const before = await both();
    const again = await playJson(CHAPTER);
    expect(again.json.exitCode).toBe(0);
    for (const host of ['router_a', 'router_b']) expect(again.json.hosts[host].changes).toEqual([]);
    expect(await both()).toEqual(before);
  });

  it('a failed verification rolls both routers back to their snapshots (exit 5)', async () => {
    await resetRouters('a', 'b');
    const held = await sshRun('b', 'tc qdisc add dev eth2 ingress && tc filter add dev eth2 ingress matchall action drop');
    expect(held.code, held.stderr).toBe(0);
    const before = await both();
    const r = await playJson(CHAPTER);
    expect(r.code).toBe(5);
    expect(r.json.hosts.router_a.rollback.ok).toBe(true);
    expect(r.json.hosts.router_b.rollback.ok).toBe(true);
    expect(await both()).toEqual(before);
  });

  it.each([
    ['with setsid', ''],
    // OpenWrt's default BusyBox is built without setsid: start-stop-daemon detaches the timer there.
    ['without setsid, as on OpenWrt (start-stop-daemon starts the timer)', 'rm /bin/setsid'],
  ])('a controller killed before confirming: both routers revert by themselves, without systemd, %s', async (_how, prepare) => {
    await resetRouters('a', 'b');
    if (prepare) for (const r of ['a', 'b'] as const) expect((await sshRun(r, `${prepare} && ! command -v setsid && command -v start-stop-daemon`)).code).toBe(0);
    const before = await both();
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, CHAPTER, '--yes', '--confirm-timeout', '20', '--debug-hold-before-confirm', '600'], {
      cwd: ROOT,
      env: process.env,
      stdio: 'ignore',
    });
    expect(await eventually(90_000, async () => (await pendingOn('a')) && (await pendingOn('b')))).toBe(true);
    expect(await readState('a')).toContain('teql0 10.0.0.4/31');
    const timer = await sshRun('a', 'cat /var/lib/teqlctl/runs/*/timer');
    expect(timer.stdout).toMatch(/^pid \d+/);
    child.kill('SIGKILL');
    expect(await eventually(40_000, async () => JSON.stringify(await both()) === JSON.stringify(before))).toBe(true);
    expect(await eventually(10_000, bothQuiet)).toBe(true);
    const status = await teqlctl(['status', '-i', LAB_INVENTORY]);
    expect(status.stdout).toMatch(/router_a:[\s\S]*reverted, reverted by the dead-man at /);
    expect(status.stdout).toMatch(/router_b:[\s\S]*reverted, reverted by the dead-man at /);
  });

  it('persist is refused before any change: nothing on this router would run a boot script', async () => {
    await resetRouters('a', 'b');
    const before = await both();
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, CHAPTER, '--yes', '-e', 'teql_persist=true']);
    expect(r.code, r.stdout + r.stderr).toBe(8);
    // This flavour runs from its initramfs (rootfs): a reboot empties it, and nothing runs at boot either; both are said.
    expect(r.stdout + r.stderr).toMatch(/router_a: .*teql\.yml:\d+:\d+: task ".*": persist: \/var\/lib\/teqlctl\/runs is on rootfs.*, which a reboot empties: .*; and the router runs neither systemd nor OpenRC, and ifupdown brings up none of .* at boot \(an iface stanza named by an auto line in \/etc\/network\/interfaces\)/);
    expect(r.stdout + r.stderr).toMatch(/leave persist off/);
    expect(await both()).toEqual(before);
    expect((await sshRun('a', 'ls /etc/teqlctl 2>&1; ls /var/lib/teqlctl/runs 2>/dev/null | wc -l')).stdout).toMatch(/No such file or directory\n0\n/);
  });
});
