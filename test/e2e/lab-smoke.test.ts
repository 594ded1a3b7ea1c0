// The lab is what the playbook engine expects: two stock-looking routers, reachable only with the right host key.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { knownHostsLine } from '../../src/lab/known-hosts.js';
import { labPaths } from '../../src/lab/paths.js';
import { runningPid } from '../../src/lab/pidfile.js';
import { currentSshPort } from '../../src/lab/router.js';
import { runSsh } from '../../src/lab/run-ssh.js';
import { ROUTERS } from '../../src/lab/topology.js';
import { operatorSudoPassword, REBOOT_TEST_TIMEOUT_MS, rebootRouters, resetRouters, routerFacts, sshRun } from './lab.js';

describe('lab smoke', () => {
  // Later e2e files must start from pristine routers.
  afterAll(() => resetRouters('a', 'b'));

  it.each(ROUTERS)('router %s accepts root with strict host key checking', async (r) => {
    const res = await sshRun(r, 'hostname');
    expect(res).toMatchObject({ code: 0, stdout: `router-${r}\n` });
  });

  it('refuses a router whose host key is not the one in known_hosts', async () => {
    // Router a's port, listed with router b's key: OpenSSH must refuse, or strict checking proves nothing.
    const p = labPaths();
    const wrong = join(mkdtempSync(join(tmpdir(), 'teqllab-')), 'known_hosts');
    writeFileSync(wrong, knownHostsLine('127.0.0.1', currentSshPort(p, 'a'), readFileSync(p.hostKeyPub('b'), 'utf8')) + '\n');
    const res = await runSsh({ port: currentSshPort(p, 'a'), key: p.key, knownHosts: wrong }, ['true']);
    expect(res.code).toBe(255);
    expect(res.stderr).toMatch(/host key verification failed/i);
  });

  it.each(ROUTERS)('router %s boots stock: no sch_teql, rp_filter 2, eth1/eth2 down without addresses', async (r) => {
    const facts = await routerFacts(r);
    expect(facts.teqlLoaded).toBe(false);
    expect(facts.rpFilter).toEqual({ all: 2, default: 2 });
    for (const dev of ['eth1', 'eth2']) expect(facts.links[dev]).toEqual({ up: false, addresses: [] });
    expect(facts.links.eth0?.addresses).toEqual(['10.0.2.15/24']);
    expect(facts.links.lan0).toEqual({ up: true, addresses: [r === 'a' ? '192.0.2.1/24' : '198.51.100.1/24'] });
  });

  it('eth1 links a to b: ping over addresses set by hand', async () => {
    for (const [r, addr] of [['a', '10.0.0.0/31'], ['b', '10.0.0.1/31']] as const) {
      const res = await sshRun(r, `ip link set eth1 up && ip addr add ${addr} dev eth1`);
      expect(res, res.stderr).toMatchObject({ code: 0 });
    }
    const ping = await sshRun('a', 'ping -c 3 -W 2 -I eth1 10.0.0.1');
    expect(ping.code, ping.stdout + ping.stderr).toBe(0);
    expect(ping.stdout).toMatch(/3 packets transmitted, 3 received/);
  });

  it.each(ROUTERS)('router %s: modprobe sch_teql creates teql0 and eth1 takes teql0 as root qdisc', async (r) => {
    const res = await sshRun(r, 'modprobe sch_teql && tc qdisc add dev eth1 root teql0 && tc -j qdisc show dev eth1 && ip -j link show teql0');
    expect(res.code, res.stderr).toBe(0);
    const [qdisc] = JSON.parse(res.stdout.split('\n')[0]!) as { kind: string; root?: boolean }[];
    expect(qdisc).toMatchObject({ kind: 'teql0', root: true });
  });

  it.each(ROUTERS)('router %s: operator logs in with the lab key', async (r) => {
    const res = await sshRun(r, 'id -un; id -Gn', { user: 'operator' });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n')[0]).toBe('operator');
    expect(res.stdout.split('\n')[1]).toMatch(/\bsudo\b/);
  });

  it('sudo: NOPASSWD on b, a password on a', async () => {
    expect((await sshRun('b', 'sudo -n true', { user: 'operator' })).code).toBe(0);
    const noPassword = await sshRun('a', 'sudo -n true', { user: 'operator' });
    expect(noPassword.code).not.toBe(0);
    expect(noPassword.stderr).toMatch(/password is required/);
    const withPassword = await sshRun('a', 'sudo -S -p "" id -u', { user: 'operator', input: operatorSudoPassword() + '\n' });
    expect(withPassword, withPassword.stderr).toMatchObject({ code: 0, stdout: '0\n' });
  });

  it('lab reboot restarts the OS in place: a file in /etc survives, runtime state and the boot id do not', async () => {
    const marker = `reboot-test-${Date.now()}`;
    const bootId = 'cat /proc/sys/kernel/random/boot_id';
    const before = await sshRun('a', `echo ${marker} > /etc/teqllab-reboot-marker && ip link set eth2 up && ${bootId}`);
    expect(before.code, before.stderr).toBe(0);
    const qemu = runningPid(labPaths().pidfile('a'));
    expect(qemu).toBeDefined();

    await rebootRouters('a');

    const after = await sshRun('a', `cat /etc/teqllab-reboot-marker && ${bootId} && hostname`);
    expect(after.code, after.stderr).toBe(0);
    const [kept, newId, hostname] = after.stdout.trim().split('\n');
    expect(kept).toBe(marker);
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId).not.toBe(before.stdout.trim());
    expect(hostname).toBe('router-a');
    expect((await routerFacts('a')).links.eth2).toEqual({ up: false, addresses: [] });
    // The same QEMU process: the guest rebooted, the lab did not boot a new router.
    expect(runningPid(labPaths().pidfile('a'))).toBe(qemu);
  }, REBOOT_TEST_TIMEOUT_MS);
});
