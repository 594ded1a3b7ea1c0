// What else on a router decides the state a run counts on (a review of routers' own managers and
// of undo fidelity), on the lab's real kernel: a slave's qdisc from an earlier
// net.core.default_qdisc, which the undo could not give back, is refused before any change; a check
// planned over teql0 that the kernel routes over another link fails instead of passing there; so
// does one over teql0 whose next hop one slave never resolves (teql then sends nothing over it).
import { afterAll, describe, expect, it } from 'vitest';
import { resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, playJson, teqlctl } from './teqlctl.js';

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
