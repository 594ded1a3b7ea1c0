// A router whose teqlctl folder sits on a file system that may commit a rename before the renamed
// file's data (an overlay, as OpenWrt's flash; XFS, f2fs, UBIFS): every rewrite of the baseline is
// flushed before its rename there, not on ext4 (the lab's root). The probe reads the router's own
// /proc/mounts; the run and its rollback go through the flushed path and end as they must.
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, playJson, teqlctl } from './teqlctl.js';
import { renameSafeProbe } from '../../src/router/rename-flush.js';

const probe = async (router: 'a' | 'b') => (await sshRun(router, `${renameSafeProbe('/var/lib/teqlctl', 'teqlctl_rs')}\necho "rs=$teqlctl_rs"`)).stdout.trim();

afterAll(() => resetRouters('a', 'b'));

describe('the baseline on a file system that may commit renames first', () => {
  it('router a with /var/lib/teqlctl on an overlay: flushes asked there, not on b\'s ext4; a cold apply converges, its baseline written through the overlay, and a rollback forgets it', async () => {
    await resetRouters('a', 'b');
    const before = { a: await readState('a'), b: await readState('b') };
    const overlay = 'mkdir -p /var/lib/teqlctl /run/ov && mount -t tmpfs tmpfs /run/ov && mkdir /run/ov/u /run/ov/w && mount -t overlay overlay -o lowerdir=/var/lib/teqlctl,upperdir=/run/ov/u,workdir=/run/ov/w /var/lib/teqlctl';
    const mounted = await sshRun('a', overlay);
    expect(mounted.code, mounted.stderr).toBe(0);
    expect(await probe('a')).toBe('rs=0');
    expect(await probe('b')).toBe('rs=1');

    const run = await playJson(CHAPTER);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.json.hosts.router_a.status).toBe('changed');
    // The entries live in the overlay's upper layer: written, flushed and renamed there.
    const baseline = (await sshRun('a', 'cat /run/ov/u/baseline')).stdout;
    expect(baseline).toMatch(/^sysctl:net\.ipv4\.conf\.eth1\.rp_filter\t/m);

    const rollback = await teqlctl(['rollback', '-i', LAB_INVENTORY, '--run', run.json.runId]);
    expect(rollback.code, rollback.stdout + rollback.stderr).toBe(0);
    expect(await readState('a')).toBe(before.a);
    expect(await readState('b')).toBe(before.b);
    expect((await sshRun('a', 'cat /var/lib/teqlctl/baseline 2>/dev/null; true')).stdout).toBe('');
  });
});
