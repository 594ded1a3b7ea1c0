// What else on a router decides the state a run counts on (a review of routers' own managers and
// of undo fidelity), on the lab's real kernel: a slave's qdisc from an earlier
// net.core.default_qdisc, which the undo could not give back, is refused before any change; a check
// planned over teql0 that the kernel routes over another link fails instead of passing there; so
// does one over teql0 whose next hop one slave never resolves (teql then sends nothing over it).
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { resolve } from 'node:path';
import { CHAPTER, LAB_INVENTORY, ROOT, playJson, teqlctl } from './teqlctl.js';

afterAll(() => resetRouters('a', 'b'));

describe('other owners of the state a run counts on, on the lab', () => {
  it('a slave up with the qdisc of an earlier net.core.default_qdisc: refused before any change, naming both (exit 8)', async () => {
    await resetRouters('a', 'b');
    const now = (await sshRun('a', 'cat /proc/sys/net/core/default_qdisc')).stdout.trim();
    const other = now === 'pfifo_fast' ? 'fq_codel' : 'pfifo_fast';
    // eth2 comes up with today's default, then the sysctl changes (sysctl -p after a BBR guide's line).
    const setup = await sshRun('a', `ip link set eth2 up && sysctl -qw net.core.default_qdisc=${other} && tc qdisc show dev eth2 root`);
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stdout).toMatch(new RegExp(`^qdisc ${now} 0: root`));
    const states = [await readState('a'), await readState('b')];
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, CHAPTER, '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(8);
    expect(r.stdout + r.stderr).toContain(`eth2's qdisc ${now} is not the one the kernel attaches now (net.core.default_qdisc is ${other}): the undo (tc qdisc del root) would give eth2 ${other}, not what it has`);
    expect([await readState('a'), await readState('b')]).toEqual(states);
    expect((await sshRun('a', 'tc qdisc show dev eth2 root')).stdout).toBe(setup.stdout);
  });

  it("a firewall's reverse-path match loaded in router a's kernel (nftables' fib expression): the plan warns, naming the slaves, and changes nothing on --check; router b, without it, is not warned", async () => {
    await resetRouters('a', 'b');
    expect((await sshRun('a', 'modprobe nft_fib_ipv4 && test -d /sys/module/nft_fib_ipv4')).code).toBe(0);
    const states = [await readState('a'), await readState('b')];
    const r = await playJson(CHAPTER, ['--check']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const firewall = (host: string) => (r.json.hosts[host].warnings as string[]).filter((w) => w.includes('reverse-path rule of the firewall'));
    expect(firewall('router_a')).toEqual([expect.stringMatching(/^nftables' fib expression \(nft_fib_ipv4\) is loaded: .* exempt eth1, eth2 from it$/)]);
    expect(firewall('router_b')).toEqual([]);
    expect([await readState('a'), await readState('b')]).toEqual(states);
  });

  it("router a's ifupdown declares `iface eth2 inet dhcp`: persisted, refused before any change naming the stanza (exit 8); not persisted, the plan warns that its next ifup flushes eth2's addresses", async () => {
    await resetRouters('a', 'b');
    // ifupdown as the facts see it: an ifup, and the Debian installer's stanza for a second NIC.
    const setup = await sshRun('a', "printf '#!/bin/sh\\nexit 0\\n' > /sbin/ifup && chmod 755 /sbin/ifup && mkdir -p /etc/network && printf 'auto eth1\\niface eth1 inet manual\\nallow-hotplug eth2\\niface eth2 inet dhcp\\n' > /etc/network/interfaces");
    expect(setup.code, setup.stderr).toBe(0);
    const states = [await readState('a'), await readState('b')];
    const persisted = await playJson(CHAPTER, ['-e', 'teql_persist=true']);
    expect(persisted.code, persisted.stdout + persisted.stderr).toBe(8);
    expect(persisted.json.hosts.router_a.error).toMatch(/\/etc\/network\/interfaces declares `iface eth2 inet dhcp`, and the boot script sets its address: at boot the DHCP client ifup starts there flushes the interface's addresses/);
    expect([await readState('a'), await readState('b')]).toEqual(states);
    const check = await playJson(CHAPTER, ['--check']);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.json.hosts.router_a.warnings).toContain("/etc/network/interfaces declares `iface eth2 inet dhcp`: its next ifup (a reboot, `ifup eth2`, a restart of networking) starts a DHCP client that flushes eth2's addresses, this run's with them; declare it `inet manual`");
    expect((check.json.hosts.router_b.warnings ?? []).filter((w: string) => w.includes('/etc/network/interfaces'))).toEqual([]);
  });

  it('the LAN check routed over eth1 by a more specific route: it fails naming eth1, both routers rolled back (exit 5); on the code before, it passed over eth1', async () => {
    await resetRouters('a', 'b');
    // router_a reaches router_b's LAN address over eth1 itself, not over the equalizer.
    const setup = await sshRun('a', 'ip link set eth1 up && ip route add 198.51.100.1/32 via 10.0.0.1 dev eth1 onlink');
    expect(setup.code, setup.stderr).toBe(0);
    const states = [await readState('a'), await readState('b')];
    const r = await playJson(CHAPTER);
    expect(r.code, r.stdout + r.stderr).toBe(5);
    const checks = r.json.hosts.router_a.verification as Array<{ ping: string; ok: boolean; summary: string }>;
    const lan = checks.find((c) => c.ping.startsWith('198.51.100.1'))!;
    expect(lan.ok).toBe(false);
    expect(lan.summary).toMatch(/^the kernel routes it over eth1, not teql0, the bundle's \(a more specific route or a policy rule takes it there\): ip route get: 198\.51\.100\.1 from 192\.0\.2\.1 via 10\.0\.0\.1 dev eth1 /);
    // Over teql0 as planned, the other checks passed.
    expect(checks.filter((c) => c !== lan).every((c) => c.ok)).toBe(true);
    expect([r.json.hosts.router_a.status, r.json.hosts.router_b.status]).toEqual(['rolled back', 'rolled back']);
    expect([await readState('a'), await readState('b')]).toEqual(states);
  });

  it("router_a's eth2 without carrier (the lab unplugs it): teql never sends over it, so its check over teql0 fails naming eth2 and both roll back (exit 5); on the code before, it passed over eth1 alone", async () => {
    await resetRouters('a', 'b');
    const playbook = resolve(ROOT, 'test/e2e/playbooks/equalizer-check-on-a.yml');
    const states = [await readState('a'), await readState('b')];
    expect((await teqlctl(['lab', 'cut', 'a', '--link', '2'])).code).toBe(0);
    try {
      const r = await playJson(playbook);
      expect(r.code, r.stdout + r.stderr).toBe(5);
      const checks = r.json.hosts.router_a.verification as Array<{ ping: string; ok: boolean; summary: string }>;
      expect(checks.map((c) => [c.ping, c.ok])).toEqual([['10.0.0.5', false]]);
      expect(checks[0]!.summary).toMatch(/^teql0's next hop 10\.0\.0\.5 did not resolve on eth2, so teql0 sends nothing over it \(no entry there: teql never sent over that link, down or without carrier/);
      expect([r.json.hosts.router_a.status, r.json.hosts.router_b.status]).toEqual(['rolled back', 'rolled back']);
    } finally {
      expect((await teqlctl(['lab', 'restore', 'a', '--link', '2'])).code).toBe(0);
    }
    expect([await readState('a'), await readState('b')]).toEqual(states);
  });

  it("router_b not answering ARP for its teql address on eth2 (arp_ignore there): router_a's teql0 sends nothing over eth2, its checks over teql0 fail naming eth2, both rolled back (exit 5); on the code before, it passed", async () => {
    await resetRouters('a', 'b');
    // b answers ARP on eth2 only for eth2's own address: a's teql0 never resolves 10.0.0.5 there.
    const setup = await sshRun('b', 'sysctl -qw net.ipv4.conf.eth2.arp_ignore=1');
    expect(setup.code, setup.stderr).toBe(0);
    const states = [await readState('a'), await readState('b')];
    const r = await playJson(CHAPTER);
    expect(r.code, r.stdout + r.stderr).toBe(5);
    const checks = r.json.hosts.router_a.verification as Array<{ ping: string; ok: boolean; summary: string }>;
    // The per-link checks pass (b answers for eth2's own address); both over teql0 fail on eth2.
    expect(checks.map((c) => [c.ping, c.ok])).toEqual([['10.0.0.1', true], ['10.0.0.3', true], ['10.0.0.5', false], ['198.51.100.1', false]]);
    for (const c of checks.filter((x) => !x.ok)) expect(c.summary).toMatch(/^teql0's next hop 10\.0\.0\.5 did not resolve on eth2, so teql0 sends nothing over it .*ip neigh: .*10\.0\.0\.5 dev eth1 lladdr /);
    expect([r.json.hosts.router_a.status, r.json.hosts.router_b.status]).toEqual(['rolled back', 'rolled back']);
    expect([await readState('a'), await readState('b')]).toEqual(states);
  });
});
