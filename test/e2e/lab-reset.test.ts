// `lab reset a` undoes everything done on a, and only on a, by restoring the state saved after a's
// first boot; a warm `lab up` resumes that saved state too.
import { afterAll, describe, expect, it } from 'vitest';
import { labCli, resetRouters, routerFacts, sshRun } from './lab.js';

const BOOT_ID = 'cat /proc/sys/kernel/random/boot_id';

async function bootId(router: 'a' | 'b'): Promise<string> {
  const r = await sshRun(router, BOOT_ID);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

/** The router's clock minus the host's, in seconds (the SSH round trip is inside the bounds). */
async function clockSkew(router: 'a' | 'b'): Promise<number> {
  const before = Date.now() / 1000;
  const r = await sshRun(router, 'date +%s');
  const after = Date.now() / 1000;
  expect(r.code, r.stderr).toBe(0);
  const guest = Number(r.stdout.trim());
  return guest < before - 1 ? guest - before : guest > after + 1 ? guest - after : 0;
}

/** Seconds since the router's kernel booted: its monotonic clock. */
async function uptime(router: 'a' | 'b'): Promise<number> {
  const r = await sshRun(router, 'cut -d" " -f1 /proc/uptime');
  expect(r.code, r.stderr).toBe(0);
  return Number(r.stdout.trim());
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lab reset', () => {
  afterAll(async () => {
    await sshRun('b', 'rm -f /root/marker-b');
  });

  it('brings router a back to pristine and leaves b alone', async () => {
    const change = await sshRun('a', 'modprobe sch_teql && ip link set eth1 up && touch /root/marker');
    expect(change.code, change.stderr).toBe(0);
    expect((await sshRun('b', 'touch /root/marker-b')).code).toBe(0);
    const changed = await routerFacts('a');
    expect(changed.teqlLoaded).toBe(true);
    expect(changed.links.eth1?.up).toBe(true);

    await resetRouters('a');

    const after = await routerFacts('a');
    expect(after.hostname).toBe('router-a');
    expect(after.teqlLoaded).toBe(false);
    expect(after.links.eth1).toEqual({ up: false, addresses: [] });
    expect(after.rpFilter).toEqual({ all: 2, default: 2 });
    expect((await sshRun('a', 'test -e /root/marker')).code).toBe(1);
    expect((await sshRun('b', 'test -e /root/marker-b')).code).toBe(0);
  });

  it('restores the saved boot rather than rebooting, with the clock set to the host\'s', async () => {
    await resetRouters('a');
    const first = await bootId('a');
    const firstUptime = await uptime('a');
    // A wrong clock and a change: both undone by the restore.
    expect((await sshRun('a', 'date -u -s @1000000000 >/dev/null && touch /root/marker')).code).toBe(0);
    await sleep(8000);
    await resetRouters('a');
    expect(await bootId('a')).toBe(first);
    // The monotonic clock goes back with the RAM, as after the first restore (each read a few
    // seconds after its `cont`). A guest timed by the TSC leapt forward by the time QEMU had run,
    // then stalled its RCU grace periods and hung at its next reboot.
    expect(Math.abs((await uptime('a')) - firstUptime)).toBeLessThan(5);
    expect(Math.abs(await clockSkew('a'))).toBeLessThanOrEqual(2);
    expect((await sshRun('a', 'test -e /root/marker')).code).toBe(1);
  });

  it('plugs the management link back in after `lab cut`', async () => {
    await labCli(['cut', 'a']);
    const cut = await sshRun('a', 'true');
    expect(cut.code).toBe(255);
    await resetRouters('a');
    expect((await sshRun('a', 'true')).code).toBe(0);
  });

  it('a warm `lab up` after `lab down` resumes both saved routers, pristine and on time', async () => {
    const saved = { a: await bootId('a'), b: await bootId('b') };
    expect((await sshRun('b', 'modprobe sch_teql')).code).toBe(0);
    await labCli(['down']);
    await labCli(['up']);
    expect(await bootId('a')).toBe(saved.a);
    expect(await bootId('b')).toBe(saved.b);
    for (const r of ['a', 'b'] as const) {
      const facts = await routerFacts(r);
      expect(facts.teqlLoaded).toBe(false);
      expect(facts.rpFilter).toEqual({ all: 2, default: 2 });
      expect(Math.abs(await clockSkew(r))).toBeLessThanOrEqual(2);
    }
    expect((await sshRun('b', 'test -e /root/marker-b')).code).toBe(1);
  });
});
