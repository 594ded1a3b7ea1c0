// A router that others change while teqlctl works on it: a concentrator's subscriber sessions (a
// link with a /32 peer, its route, its rp_filter) come and go by the second. A session that came up
// during a run made a complete rollback read as incomplete (exit 6, "ROLLBACK INCOMPLETE", four
// lines left over, found on the lab 2026-12-07), and a later `teqlctl rollback` refused the run as
// moved. A rollback answers for the run's devices and networks (rollback/run-scope.ts); a change
// on the run's own devices is still said. A session that came up while a run waited for approval
// refused it as stale (exit 8): the host is planned again from what it holds under the lock, and
// the same plan goes on (play/stale-replan.ts).
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, playJson, ROOT, teqlctl } from './teqlctl.js';
import { startPlay } from './fault-matrix/harness.js';

// teql0 over router_a's eth1 and eth2, and a ping that cannot succeed: the run is rolled back.
const FAILING = resolve(ROOT, 'test/e2e/playbooks/a-unreachable-check.yml');
const SESSION_UP = 'ip link add sess0 type dummy && ip link set sess0 up && ip addr add 100.64.9.1 peer 100.64.9.2/32 dev sess0';
const sessionHeld = async () => (await sshRun('a', 'ip -o addr show dev sess0')).stdout;

afterAll(() => resetRouters('a', 'b'));

describe('a subscriber\'s session that comes up during a run', () => {
  it('while it waits for approval, and an operator\'s address on b\'s lan0: each planned again from what it holds, the same plan, converged and confirmed (exit 0), both kept and said; a rerun changes nothing (exit 8 before 2026-12-07)', async () => {
    await resetRouters('a', 'b');
    const run = startPlay(['--debug-hold', 'approve:10']);
    await run.waitFor(/holding at approve/);
    expect((await sshRun('a', SESSION_UP)).code).toBe(0);
    expect((await sshRun('b', 'ip addr add 203.0.113.7/24 dev lan0')).code).toBe(0);
    const ended = await run.done;
    expect(ended.code, ended.stdout + run.stderr()).toBe(0);
    const hosts = JSON.parse(ended.stdout).hosts;
    expect(hosts.router_a.status).toBe('changed');
    const replanned = (h: { warnings: string[] }) => h.warnings.filter((w) => w.startsWith('changed since'));
    expect(replanned(hosts.router_a)).toEqual([expect.stringMatching(/^changed since its facts were read \(now also holds .*sess0.*\), not in what the plan does: planned again from what it held under the run's lock, the same plan, applied as approved$/)]);
    expect(replanned(hosts.router_b)).toEqual([expect.stringMatching(/^changed since its facts were read \(now also holds address 203\.0\.113\.7\/24 .*dev lan0.*\), not in what the plan does/)]);
    expect(await sessionHeld()).toContain('inet 100.64.9.1 peer 100.64.9.2/32');
    expect((await sshRun('b', 'ip -o addr show dev lan0')).stdout).toContain('inet 203.0.113.7/24');
    const again = await playJson(CHAPTER);
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.hosts.router_a.status).toBe('ok');
    expect(again.json.hosts.router_b.status).toBe('ok');
  });

  it('between the apply and the rollback: the rollback is complete (exit 5, nothing left over), the session stays, a as before but for it', async () => {
    await resetRouters('a', 'b');
    const before = await readState('a');
    const run = startPlay(['--debug-hold', 'verify:10'], { inventory: LAB_INVENTORY, playbook: FAILING });
    await run.waitFor(/holding at verify/);
    expect((await sshRun('a', SESSION_UP)).code).toBe(0);
    const ended = await run.done;
    expect(ended.code, ended.stdout + run.stderr()).toBe(5);
    const host = JSON.parse(ended.stdout).hosts.router_a;
    expect(host.status).toBe('rolled back');
    expect(host.rollback).toMatchObject({ ok: true, residual: { missing: [], extra: [] } });
    expect(await sessionHeld()).toContain('inet 100.64.9.1 peer 100.64.9.2/32');
    expect((await sshRun('a', 'ip link del sess0')).code).toBe(0);
    expect(await readState('a')).toBe(before);
  });

  it('after a converged run: `teqlctl rollback` undoes the run, not refused as moved, and leaves the session; a change to the run\'s own link, or a VLAN made on it since, is still refused as moved', async () => {
    await resetRouters('a', 'b');
    const before = { a: await readState('a'), b: await readState('b') };
    const r = await playJson(CHAPTER);
    expect(r.code, r.stderr).toBe(0);
    expect((await sshRun('a', SESSION_UP)).code).toBe(0);
    // The run's own link changed by hand: refused, saying it (the session is not named).
    expect((await sshRun('a', 'ip link set eth2 mtu 1400')).code).toBe(0);
    // And a VLAN made on the run's eth1 since (the run's scope was recorded before it existed).
    expect((await sshRun('a', 'ip link add link eth1 name eth1.100 type vlan id 100 && ip link set eth1.100 up')).code).toBe(0);
    const refused = await teqlctl(['rollback', '-i', LAB_INVENTORY, '--run', r.json.runId]);
    expect(refused.code, refused.stdout + refused.stderr).toBe(8);
    expect(refused.stderr).toContain('router_a: now also holds link eth2 up mtu 1400');
    expect(refused.stderr).toContain('router_a: now also holds link eth1.100 up mtu 1500');
    expect(refused.stderr).not.toContain('sess0');
    expect((await sshRun('a', 'ip link set eth2 mtu 1500 && ip link del eth1.100')).code).toBe(0);
    const undone = await teqlctl(['rollback', '-i', LAB_INVENTORY, '--run', r.json.runId]);
    expect(undone.code, undone.stdout + undone.stderr).toBe(0);
    expect(await sessionHeld()).toContain('inet 100.64.9.1 peer 100.64.9.2/32');
    expect((await sshRun('a', 'ip link del sess0')).code).toBe(0);
    expect(await readState('a')).toBe(before.a);
    expect(await readState('b')).toBe(before.b);
  });
});
