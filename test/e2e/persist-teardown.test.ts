// Issue 7 on real routers: persist the chapter, reboot both routers and find them converged and
// passing the checks with no teqlctl run in between; then the teardown playbook returns both to the
// snapshot taken before the first run, boot files included, and a second teardown changes nothing.
// A router that restarts (or loses its power) mid-run comes back as it was: the boot script reverts
// a pending run, and finishes an undo that the power cut interrupted.
import { beforeAll, describe, expect, it } from 'vitest';
import { labCli, REBOOT_TEST_TIMEOUT_MS, rebootRouters, resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, playJson, ROOT, TEARDOWN } from './teqlctl.js';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Router } from '../../src/lab/topology.js';
import { RETIRING_MARK } from '../../src/router/markers.js';

const ROUTERS: Router[] = ['a', 'b'];
const HOST: Record<Router, string> = { a: 'router_a', b: 'router_b' };
const PEER: Record<Router, { links: string[]; teql: string; lan: string; myLan: string }> = {
  a: { links: ['10.0.0.1', '10.0.0.3'], teql: '10.0.0.5', lan: '198.51.100.1', myLan: '192.0.2.1' },
  b: { links: ['10.0.0.0', '10.0.0.2'], teql: '10.0.0.4', lan: '192.0.2.1', myLan: '198.51.100.1' },
};

// Everything teqlctl may leave on a router besides the kernel state readState shows.
const LEFTOVERS = 'ls -d /etc/teqlctl /etc/systemd/system/teqlctl-boot.service /etc/systemd/system/multi-user.target.wants/teqlctl-boot.service /etc/modules-load.d/teqlctl.conf /etc/modprobe.d/teqlctl.conf /etc/sysctl.d/99-teqlctl.conf /etc/network/if-up.d/teqlctl /var/lib/teqlctl/baseline 2>/dev/null; true';

async function snapshot(): Promise<Record<Router, string>> {
  const [a, b] = await Promise.all(ROUTERS.map(async (r) => (await readState(r)) + '## teqlctl files\n' + (await sshRun(r, LEFTOVERS)).stdout));
  return { a: a!, b: b! };
}

// The reordering option rides along: set at run time, persisted, restored by teardown.
const PERSIST = ['-e', 'teql_persist=true', '-e', 'teql_tcp_reordering=30'];
const tcpReordering = async (r: Router) => (await sshRun(r, 'cat /proc/sys/net/ipv4/tcp_reordering')).stdout.trim();

const changeCount = (json: any) => Object.values(json.hosts).reduce((n: number, h: any) => n + h.changes.length, 0);

describe('persist, reboot, teardown', () => {
  let pristine: Record<Router, string>;
  beforeAll(async () => {
    await resetRouters('a', 'b');
    pristine = await snapshot();
  });

  it('writes the boot configuration once verified; a second run changes nothing', async () => {
    const r = await playJson(CHAPTER, PERSIST);
    expect(r.code, r.stderr).toBe(0);
    for (const router of ROUTERS) {
      const boot = r.json.hosts[HOST[router]].changes.filter((c: any) => c.resource.startsWith('boot file'));
      expect(boot.map((c: any) => c.resource)).toContain('boot file /etc/teqlctl/boot.sh');
      // The module and sysctls are the script's own, after its revert: nothing in modules-load.d or sysctl.d.
      const enabled = await sshRun(router, 'systemctl is-enabled teqlctl-boot.service; grep -x "run modprobe sch_teql" /etc/teqlctl/boot.sh; ls /etc/modules-load.d/teqlctl.conf /etc/sysctl.d/99-teqlctl.conf 2>&1');
      expect(enabled.stdout).toContain('enabled');
      expect(enabled.stdout).toContain('\nrun modprobe sch_teql\n');
      expect(enabled.stdout).toMatch(/teqlctl\.conf.*No such file[\s\S]*99-teqlctl\.conf.*No such file/);
      expect(await tcpReordering(router)).toBe('30');
    }
    const again = await playJson(CHAPTER, PERSIST);
    expect(again.code, again.stderr).toBe(0);
    expect(changeCount(again.json)).toBe(0);
  });

  it('comes back converged after a reboot of both routers, and passes the checks without teqlctl', async () => {
    const before = { a: await readState('a'), b: await readState('b') };
    await rebootRouters('a', 'b');
    for (const router of ROUTERS) {
      expect(await readState(router)).toBe(before[router]);
      const unit = await sshRun(router, 'systemctl is-active teqlctl-boot.service');
      expect(unit.stdout.trim()).toBe('active');
      expect(await tcpReordering(router)).toBe('30');
      const p = PEER[router];
      const pings = [...p.links, p.teql].map((to) => `ping -c 2 -W 2 ${to} >/dev/null && echo ok ${to}`).join('; ');
      const res = await sshRun(router, `${pings}; ping -c 2 -W 2 -I ${p.myLan} ${p.lan} >/dev/null && echo ok lan`);
      expect(res.stdout.split('\n').filter((l) => l.startsWith('ok ')).sort()).toEqual([...p.links, p.teql].map((t) => `ok ${t}`).concat('ok lan').sort());
    }
    const check = await playJson(CHAPTER, [...PERSIST, '--check']);
    expect(check.code, check.stderr).toBe(0);
    expect(changeCount(check.json)).toBe(0);
  }, REBOOT_TEST_TIMEOUT_MS);

  it('a teardown cut by a restart before it is confirmed: the router comes back converged, boot files and all, the teardown reverted (its peer by its dead-man)', async () => {
    // Converged with persist by the tests before (and restarted since): no reset, no run of its own.
    const before = await snapshot();
    // Held before confirming: the teardown has applied, its boot script is the retiring one. a
    // restarts; b's dead-man reverts it meanwhile (60 s from its first change), starters included.
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, TEARDOWN, '--yes', '--confirm-timeout', '60', '--debug-hold-before-confirm', '600'], {
      cwd: ROOT, env: process.env, stdio: 'ignore',
    });
    const retiring = (r: Router) => async () => (await sshRun(r, `grep -qx '${RETIRING_MARK}' /etc/teqlctl/boot.sh && grep -lx pending /var/lib/teqlctl/runs/*/state`)).code === 0;
    try {
      expect(await waitFor(retiring('a'), 120_000)).toBe(true);
      expect(await waitFor(retiring('b'), 60_000)).toBe(true);
      // Torn down at run time: no equalizer until the restart.
      expect((await sshRun('a', 'ip link show teql0')).code).not.toBe(0);
      await rebootRouters('a');
    } finally {
      child.kill('SIGKILL');
    }
    // The first run confirmed, the teardown reverted (b's revert writes its state just after the
    // state it restores).
    await expectBackConverged(before, 'confirmed reverted');
  }, REBOOT_TEST_TIMEOUT_MS);

  it('`teqlctl rollback` of the persisted chapter cut by a power cut before its confirmation: the router comes back with the chapter, boot files and all (its peer by its dead-man)', async () => {
    // Converged with persist (the chapter's run, the latest confirmed). The rollback undoes it on
    // both routers, then holds before confirming; a loses its power. Until 2026-12-04 the undo had
    // removed the boot script: nothing ran the rollback's dead-man at boot, a came back without the
    // chapter, recorded neither rolled back nor redone, while b's dead-man redid it.
    const before = await snapshot();
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'rollback', '-i', LAB_INVENTORY, '--confirm-timeout', '60', '--debug-hold-before-confirm', '600'], {
      cwd: ROOT, env: process.env, stdio: 'ignore',
    });
    const undone = (r: Router) => async () => (await sshRun(r, `grep -qx '${RETIRING_MARK}' /etc/teqlctl/boot.sh && grep -lx rolled-back /var/lib/teqlctl/runs/*/state`)).code === 0;
    try {
      expect(await waitFor(undone('a'), 120_000)).toBe(true);
      expect(await waitFor(undone('b'), 60_000)).toBe(true);
      expect((await sshRun('a', 'ip link show teql0')).code, 'undone at run time: no equalizer until the power cut').not.toBe(0);
      await labCli(['reboot', '--power-cut', 'a']);
    } finally {
      child.kill('SIGKILL');
    }
    // The chapter's run confirmed again, the rollback's run reverted (its dead-man's redo), and the
    // teardown of the test before still reverted.
    await expectBackConverged(before, 'confirmed reverted reverted');
  }, REBOOT_TEST_TIMEOUT_MS);

  it('teardown returns both routers to the snapshot taken before the first run; twice changes nothing', async () => {
    const r = await playJson(TEARDOWN);
    expect(r.code, r.stderr).toBe(0);
    expect(changeCount(r.json)).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(pristine);
    expect(await tcpReordering('a')).toBe('3');
    const again = await playJson(TEARDOWN);
    expect(again.code, again.stderr).toBe(0);
    expect(changeCount(again.json)).toBe(0);
  });

  it('stays torn down across a reboot: nothing of teqlctl starts at boot', async () => {
    await rebootRouters('a');
    const now = await snapshot();
    expect(now.a).toBe(pristine.a);
  }, REBOOT_TEST_TIMEOUT_MS);
});

// The boot files exist (the last phase ran) while the run is still pending.
/**
 * Both routers back to `before` (b by its dead-man, up to 180 s), their runs' states sorted equal to
 * `states` (up to 30 s more: a revert writes its state just after what it restores), and the bundle
 * working: the converged state, not only its files.
 */
async function expectBackConverged(before: Record<Router, string>, states: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  while ((await snapshot()).b !== before.b && Date.now() < deadline) await new Promise((r) => setTimeout(r, 3000));
  expect(await snapshot()).toEqual(before);
  for (const router of ROUTERS) {
    const now = async () => (await sshRun(router, 'cat /var/lib/teqlctl/runs/*/state')).stdout.trim().split('\n').sort().join(' ');
    const until = Date.now() + 30_000;
    while ((await now()) !== states && Date.now() < until) await new Promise((r) => setTimeout(r, 1000));
    expect(await now()).toBe(states);
  }
  const ping = await sshRun('a', `ping -c 2 -W 2 ${PEER.a.teql} >/dev/null && echo ok`);
  expect(ping.stdout.trim()).toBe('ok');
}

// Every boot file written: the enabling link is the last (the script first, then its unit, then
// the link that has systemd start it: a cut before it leaves files nothing starts at boot).
const written = async () => (await sshRun('a', 'test -f /etc/teqlctl/boot.sh && test -L /etc/systemd/system/multi-user.target.wants/teqlctl-boot.service && grep -lx pending /var/lib/teqlctl/runs/*/state')).code === 0;

async function waitFor(cond: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!(await cond()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1000));
  return cond();
}

describe('a router that restarts before the run is confirmed', () => {
  it('comes back as it was before the run: the boot script reverts the unconfirmed run, files included', async () => {
    await resetRouters('a', 'b');
    const before = await snapshot();
    // Holds before confirming, long enough for a reboot of a; b's dead-man reverts b by itself.
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, CHAPTER, '--yes', ...PERSIST, '--confirm-timeout', '60', '--debug-hold-before-confirm', '600'], {
      cwd: ROOT, env: process.env, stdio: 'ignore',
    });
    try {
      expect(await waitFor(written, 120_000)).toBe(true);
      await rebootRouters('a');
    } finally {
      child.kill('SIGKILL');
    }
    const after = await snapshot();
    expect(after.a).toBe(before.a);
    expect((await sshRun('a', 'cat /var/lib/teqlctl/runs/*/state')).stdout.trim().split('\n')).toContain('reverted');
    // b reverts itself when its timer runs out (60 s from its first change).
    const deadline = Date.now() + 180_000;
    while ((await snapshot()).b !== before.b && Date.now() < deadline) await new Promise((r) => setTimeout(r, 3000));
    expect((await snapshot()).b).toBe(before.b);
  }, REBOOT_TEST_TIMEOUT_MS);

  it('a run that only writes the boot files (the chapter applied before without them) cut by a reboot: nothing it wrote is set at boot', async () => {
    await resetRouters('a', 'b');
    const pristine = await readState('a');
    const first = await playJson(CHAPTER, []);
    expect(first.code, first.stderr).toBe(0);
    // The same chapter, persisted: its only changes are the boot files (module and sysctls in them).
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, CHAPTER, '--yes', '-e', 'teql_persist=true', '--confirm-timeout', '60', '--debug-hold-before-confirm', '600'], {
      cwd: ROOT, env: process.env, stdio: 'ignore',
    });
    try {
      expect(await waitFor(written, 120_000)).toBe(true);
      await rebootRouters('a');
    } finally {
      child.kill('SIGKILL');
    }
    // A reboot without the run brings back what the boot held before it: nothing of the chapter,
    // which was never persisted. Before boot.sh set the module and sysctls itself, systemd loaded
    // sch_teql and set rp_filter 0 from the run's files before boot.sh reverted the run.
    // The kernel's state only: run 1's baseline file stays, as it does after any confirmed run.
    expect(await readState('a')).toBe(pristine);
    expect((await sshRun('a', 'cat /var/lib/teqlctl/runs/*/state; ls /etc/teqlctl 2>&1')).stdout).toMatch(/reverted[\s\S]*No such file/);
  }, REBOOT_TEST_TIMEOUT_MS);

  it('a rollback cut by a power cut is finished at boot: the router comes back exactly as it was, boot files gone', async () => {
    await resetRouters('a', 'b');
    const before = await snapshot();
    // Held before confirming; then SIGTERM: teqlctl rolls back, and each router's rollback holds
    // 300 s once it claimed the run (state rolling-back), where a loses its power.
    const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', LAB_INVENTORY, CHAPTER, '--yes', ...PERSIST, '--debug-hold-before-confirm', '600', '--debug-hold', 'rollback:300'], {
      cwd: ROOT, env: process.env, stdio: 'ignore',
    });
    try {
      expect(await waitFor(written, 120_000)).toBe(true);
      child.kill('SIGTERM');
      expect(await waitFor(async () => (await sshRun('a', 'grep -lx rolling-back /var/lib/teqlctl/runs/*/state')).code === 0, 60_000)).toBe(true);
      expect((await sshRun('a', 'test -f /etc/teqlctl/boot.sh')).code, 'the boot files are still there when the power goes').toBe(0);
      await labCli(['reboot', '--power-cut', 'a']);
    } finally {
      child.kill('SIGKILL');
    }
    expect((await snapshot()).a).toBe(before.a);
    const run = await sshRun('a', 'cat /var/lib/teqlctl/runs/*/state /var/lib/teqlctl/runs/*/rollback.log');
    expect(run.stdout.split('\n')[0]).toBe('rolled-back');
    expect(run.stdout).toContain('resumed at boot: the undo of a rolling-back run, cut off');
    // b's rollback is still holding on the router: the next file finds b pristine all the same.
    await resetRouters('b');
  }, REBOOT_TEST_TIMEOUT_MS);
});
