// A full /var/lib/teqlctl on one router (a small tmpfs, filled): the dead-man cannot be armed there,
// so the run is refused on it before its first change, the other router is rolled back, and both
// end exactly as they were, with no lock left behind.
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { bothStates } from './wait.js';
import { CHAPTER, playJson } from './teqlctl.js';

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
});
