// teqlctl play against the real lab routers; every assertion reads the routers directly.
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { resetRouters, sshRun } from './lab.js';
import { readState, txPackets } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, ROOT, TEARDOWN, playJson, teqlctl } from './teqlctl.js';

const both = async () => ({ a: await readState('a'), b: await readState('b') });
// IPv6 routes of two tables and an NDP entry on a link and its VLAN, which the kernel flushes with
// the link taken down (the VLAN row below): a gateway of its global address's subnet, a default
// through a link-local router.
const IPV6_ROUTES = 'ip -6 route add 2001:db8:9::/64 via 2001:db8:1::2 dev lan0 && ip -6 route add 2001:db8:8::/64 dev lan0.100 table 201 && ip -6 route add default via fe80::1 dev lan0.100 metric 2000 && ip neigh replace 2001:db8:5::7 lladdr 02:00:00:00:00:05 dev lan0.100 nud permanent';

describe('teqlctl play on the lab', () => {
  beforeAll(async () => {
    await resetRouters('a', 'b');
  });

  it('--check on pristine routers shows the plan and changes nothing', async () => {
    const before = await both();
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, CHAPTER, '--check']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('router_a: 14 change(s)');
    expect(r.stdout).toContain('+ root qdisc of eth1: teql0');
    expect(r.stdout).toContain('~ sysctl net.ipv4.conf.all.rp_filter: 2 -> 0');
    expect(r.stdout).toContain('check mode: nothing was changed');
    expect(await both()).toEqual(before);
  });

  it('cold apply converges both routers and really shares the load', async () => {
    const r = await playJson(CHAPTER);
    expect(r.json.exitCode, r.stderr).toBe(0);
    expect(r.code).toBe(0);
    for (const host of ['router_a', 'router_b']) {
      expect(r.json.hosts[host].status).toBe('changed');
      expect(r.json.hosts[host].verification.every((v: any) => v.ok)).toBe(true);
      expect(r.json.hosts[host].verification).toHaveLength(4);
      // facts, apply+verify (one staged round trip); over the new connection, the confirmation, whose
      // shell frees the lock in the same round trip once both routers are confirmed.
      expect(r.json.hosts[host].transport).toMatchObject({ roundTrips: 3, connections: 2 });
      // The lab's routers do not forward (Debian's default): the route is said to carry their own traffic only.
      expect(r.json.hosts[host].warnings).toEqual([expect.stringMatching(/^net\.ipv4\.ip_forward is 0: the route to (198\.51\.100|192\.0\.2)\.0\/24 carries this router's own traffic only; hosts of the networks behind it will not get through until forwarding is on/)]);
    }
    // The pings ran in the apply's own round trip, after the barrier (no verify round trip of its own).
    const log = readFileSync(r.json.logFile, 'utf8');
    expect(log).not.toMatch(/ verify: exit/);
    for (const host of ['router_a', 'router_b']) {
      const apply = log.split('\n### ').find((block) => block.includes(` ${host} apply: exit 0`))!;
      expect(apply).toMatch(/@@teqlctl-barrier\n(.*\n)*@@teqlctl-check 3 0 \d/);
      // The lock freed by the confirmation's waiting shell, after its barrier: no release round trip.
      const confirm = log.split('\n### ').find((block) => block.includes(` ${host} confirm: exit 0`))!;
      expect(confirm).toMatch(/ ok port=\d+\n@@teqlctl-barrier\n(.*\n)*@@teqlctl-confirm released/);
    }
    expect(log).not.toMatch(/ release: exit/);
    const a = await readState('a');
    expect(a).toMatch(/eth1 teql0\neth2 teql0/);
    expect(a).toContain('eth1 10.0.0.0/31');
    expect(a).toContain('teql0 10.0.0.4/31');
    expect(a).toContain('198.51.100.0/24 via 10.0.0.5 dev teql0');
    expect(a).toContain('/proc/sys/net/ipv4/conf/all/rp_filter 0');
    expect(a).toContain('/proc/sys/net/ipv4/conf/eth0/rp_filter 2');
    const b = await readState('b');
    expect(b).toContain('teql0 10.0.0.5/31');
    expect(b).toContain('192.0.2.0/24 via 10.0.0.4 dev teql0');

    // Read directly: pings both ways over each link and teql0, and network 1 -> network 2.
    for (const to of ['10.0.0.1', '10.0.0.3', '10.0.0.5']) expect((await sshRun('a', `ping -c 2 -W 2 ${to}`)).code).toBe(0);
    for (const to of ['10.0.0.0', '10.0.0.2', '10.0.0.4']) expect((await sshRun('b', `ping -c 2 -W 2 ${to}`)).code).toBe(0);
    expect((await sshRun('a', 'ping -c 2 -W 2 -I 192.0.2.1 198.51.100.1')).code).toBe(0);

    // The load is shared: twenty pings over teql0 leave on both eth1 and eth2.
    const tx1 = await txPackets('a', 'eth1');
    const tx2 = await txPackets('a', 'eth2');
    expect((await sshRun('a', 'ping -c 20 -i 0.2 -W 2 10.0.0.5')).code).toBe(0);
    const d1 = (await txPackets('a', 'eth1')) - tx1;
    const d2 = (await txPackets('a', 'eth2')) - tx2;
    expect(d1).toBeGreaterThanOrEqual(5);
    expect(d2).toBeGreaterThanOrEqual(5);
  });

  it('a rerun reports 0 changed and sends no mutating command', async () => {
    const before = await both();
    const r = await playJson(CHAPTER);
    expect(r.json.exitCode).toBe(0);
    for (const host of ['router_a', 'router_b']) {
      expect(r.json.hosts[host].changes).toEqual([]);
      expect(r.json.hosts[host].status).toBe('ok');
    }
    const log = readFileSync(r.json.logFile, 'utf8');
    expect(log).not.toMatch(/ apply: exit/);
    expect(log).not.toMatch(/ip (addr|route|link) (add|del|set|replace)|tc qdisc (add|del|replace)|modprobe (-r )?sch_teql/);
    // Verified by the pings started with the facts: one round trip, no verify round trip of its own.
    expect(log).not.toMatch(/ verify: exit/);
    for (const host of ['router_a', 'router_b']) {
      expect(r.json.hosts[host].transport).toMatchObject({ roundTrips: 1, connections: 1 });
      expect(r.json.hosts[host].verification).toHaveLength(4);
      expect(r.json.hosts[host].verification.every((v: any) => v.ok && v.attempts === 1)).toBe(true);
      const facts = log.split('\n### ').find((block) => block.includes(` ${host} facts: exit 0`))!;
      expect(facts).toMatch(/@@teqlctl-section end\n@@teqlctl-barrier\n(.*\n)*@@teqlctl-check 3 0 1/);
    }
    expect(await both()).toEqual(before);
  });

  it('a rerun whose early pings fail checks again with every attempt, and fails verification (exit 5) with nothing to undo', async () => {
    // b drops what arrives on eth2: the pings over eth2 fail both ways, early and again.
    const held = await sshRun('b', 'tc qdisc add dev eth2 ingress && tc filter add dev eth2 ingress matchall action drop');
    expect(held.code, held.stderr).toBe(0);
    try {
      const before = await both();
      const r = await playJson(CHAPTER);
      expect(r.code).toBe(5);
      expect(r.json.summary).toMatch(/verification failed/);
      const log = readFileSync(r.json.logFile, 'utf8');
      for (const host of ['router_a', 'router_b']) {
        expect(log).toContain(`${host}: checks started with the facts did not pass: checking again`);
        expect(log).toMatch(new RegExp(` ${host} verify: exit 0`));
        expect(r.json.hosts[host].transport).toMatchObject({ roundTrips: 2, connections: 1 });
        expect(r.json.hosts[host].changes).toEqual([]);
      }
      const eth2 = r.json.hosts.router_a.verification.find((v: any) => v.ping === '10.0.0.3');
      expect(eth2).toMatchObject({ ok: false, attempts: 3 });
      expect(log).not.toMatch(/ (apply|rollback): exit/);
      expect(await both()).toEqual(before);
    } finally {
      await sshRun('b', 'tc qdisc del dev eth2 ingress');
    }
  });
});

describe('partial state, failures and rollback', () => {
  it('applies only the rest when part of the recipe is already there', async () => {
    await resetRouters('a', 'b');
    await sshRun('a', 'ip link set eth1 up && ip addr add 10.0.0.0/31 dev eth1 && modprobe sch_teql');
    const r = await playJson(CHAPTER);
    expect(r.json.exitCode, r.stderr).toBe(0);
    const resources = r.json.hosts.router_a.changes.map((c: any) => c.resource);
    expect(resources).not.toContain('link eth1');
    expect(resources).not.toContain('address 10.0.0.0 on eth1');
    expect(resources).not.toContain('module sch_teql');
    expect(resources).toContain('link eth2');
    expect(r.json.hosts.router_b.changes.map((c: any) => c.resource)).toContain('module sch_teql');
  });

  it("--check of a playbook whose second play routes over the teql0 its first play makes: planned as the run then does it, not refused (exit 8 before 2026-12-08); after the run, nothing to change", async () => {
    await resetRouters('a', 'b');
    const playbook = resolve(ROOT, 'test/e2e/playbooks/route-later-play.yml');
    const before = await both();
    const check = await playJson(playbook, ['--check']);
    expect(check.json.exitCode, check.stdout + check.stderr).toBe(0);
    expect(await both()).toEqual(before);
    const run = await playJson(playbook);
    expect(run.json.exitCode, run.stdout + run.stderr).toBe(0);
    const planned = (r: any, h: string) => r.json.hosts[h].changes.map((c: any) => `${c.resource}: ${c.after}`);
    for (const h of ['router_a', 'router_b']) {
      expect(planned(check, h).filter((c: string) => c.startsWith('route ')), h).toHaveLength(1);
      // What --check said is what the run did.
      expect(planned(check, h)).toEqual(planned(run, h));
    }
    expect((await sshRun('a', 'ip route show 198.51.100.0/24')).stdout).toMatch(/^198\.51\.100\.0\/24 via 10\.0\.0\.5 dev teql0/);
    const again = await playJson(playbook, ['--check']);
    expect(again.json.exitCode).toBe(0);
    for (const h of ['router_a', 'router_b']) expect(again.json.hosts[h].changes).toEqual([]);
  });

  it('a failed verification rolls both routers back to their snapshots (exit 5)', async () => {
    await resetRouters('a', 'b');
    // b silently drops everything that arrives on eth2: the a->b ping over eth2 cannot pass.
    const held = await sshRun('b', 'tc qdisc add dev eth2 ingress && tc filter add dev eth2 ingress matchall action drop');
    expect(held.code, held.stderr).toBe(0);
    // a's eth1 holds the chapter's address with another prefix, a broadcast, a label and a metric:
    // the run replaces it, and the rollback must put back all of it, not a bare 10.0.0.0/24.
    // eth1 is up with routes through it, in main and in a policy table, and a permanent neighbour:
    // deleting its only address before adding the new one flushed them all, for good.
    const old = await sshRun('a', 'ip addr add 10.0.0.0/24 brd 10.0.0.255 label eth1:old metric 77 dev eth1 && ip link set eth1 up && ip route add 198.18.0.0/15 via 10.0.0.9 dev eth1 && ip route add 198.18.0.0/15 via 10.0.0.9 dev eth1 table 200 && ip neigh replace 10.0.0.9 lladdr 02:00:00:00:00:09 dev eth1 nud permanent');
    expect(old.code, old.stderr).toBe(0);
    const policy = async () => (await sshRun('a', 'ip -4 route show table 200; ip neigh show dev eth1 nud permanent')).stdout;
    const policyBefore = await policy();
    expect(policyBefore).toContain('198.18.0.0/15 via 10.0.0.9 dev eth1');
    expect(policyBefore).toContain('10.0.0.9 lladdr 02:00:00:00:00:09 PERMANENT');
    // A VLAN on a's eth2 with an IPv6 address: the run's eth2 up brings the VLAN up with it, and the
    // rollback's eth2 down takes it down, which deletes its IPv6 addresses unless put back.
    // b's eth1 is bare (no IPv4 address) and up, with a device route in main and in a policy table
    // and a static ARP entry: the rollback deletes the /31 the run added, which leaves it without
    // an IPv4 address again, and the kernel flushes all three with it.
    const bare = await sshRun('b', 'ip link set eth1 up && ip route add 192.0.2.0/24 dev eth1 && ip route add 198.51.100.0/24 dev eth1 table 201 && ip neigh replace 192.0.2.7 lladdr 02:00:00:00:00:07 dev eth1 nud permanent');
    expect(bare.code, bare.stderr).toBe(0);
    const bareOnB = async () => (await sshRun('b', 'ip -4 route show table 201; ip -4 route show dev eth1; ip neigh show dev eth1 nud permanent')).stdout;
    const bareBefore = await bareOnB();
    expect(bareBefore).toContain('198.51.100.0/24 dev eth1 scope link');
    expect(bareBefore).toContain('192.0.2.7 lladdr 02:00:00:00:00:07 PERMANENT');
    const vlan = await sshRun('a', 'ip link add link eth2 name eth2.10 type vlan id 10 && ip -6 addr add 2001:db8:10::1/64 dev eth2.10');
    expect(vlan.code, vlan.stderr).toBe(0);
    const vlanV6 = async () => (await sshRun('a', 'ip -6 -o addr show dev eth2.10 scope global')).stdout.replace(/\\.*$/gm, '');
    const vlanBefore = await vlanV6();
    expect(vlanBefore).toContain('2001:db8:10::1/64');
    const before = await both();
    const r = await playJson(CHAPTER);
    expect(r.code).toBe(5);
    expect(r.json.summary).toMatch(/verification failed/);
    expect(r.json.hosts.router_a.changes.find((c: any) => c.resource === 'address 10.0.0.0 on eth1')).toMatchObject({ action: '~', before: '10.0.0.0/24', after: '10.0.0.0/31' });
    expect(r.json.hosts.router_a.rollback.ok).toBe(true);
    expect(r.json.hosts.router_b.rollback.ok).toBe(true);
    expect((await sshRun('a', 'ip -4 -o addr show dev eth1')).stdout).toMatch(/inet 10\.0\.0\.0\/24 metric 77 brd 10\.0\.0\.255 scope global eth1:old/);
    expect(await vlanV6()).toBe(vlanBefore);
    expect(await policy()).toBe(policyBefore);
    expect(await bareOnB()).toBe(bareBefore);
    expect(await both()).toEqual(before);
  });

  it('a run that turns forwarding on and fails verification leaves every interface\'s forwarding and accept_redirects as they were (exit 5)', async () => {
    await resetRouters('a', 'b');
    // A hardened router a (no redirects accepted) whose eth2 forwarded on its own: ip_forward=1
    // sets every interface's forwarding and all.accept_redirects to 0, its undo to 0 and 1.
    const prior = await sshRun('a', 'echo 0 > /proc/sys/net/ipv4/conf/all/accept_redirects && echo 1 > /proc/sys/net/ipv4/conf/eth2/forwarding');
    expect(prior.code, prior.stderr).toBe(0);
    const VALUES = 'grep -H "" /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/*/forwarding /proc/sys/net/ipv4/conf/all/accept_redirects';
    const before = { a: (await sshRun('a', VALUES)).stdout, b: (await sshRun('b', VALUES)).stdout };
    expect(before.a).toContain('/proc/sys/net/ipv4/conf/eth2/forwarding:1');
    expect(before.a).toContain('/proc/sys/net/ipv4/conf/all/accept_redirects:0');
    const r = await playJson(resolve(ROOT, 'test/e2e/playbooks/forwarding.yml'));
    expect(r.code, r.stderr).toBe(5);
    expect(r.json.hosts.router_a.rollback.ok).toBe(true);
    expect(r.json.hosts.router_b.rollback.ok).toBe(true);
    expect({ a: (await sshRun('a', VALUES)).stdout, b: (await sshRun('b', VALUES)).stdout }).toEqual(before);
  });

  it('a link taken down with VLANs on it (8021q takes them down with it and brings them all up with it), failed verification: the rollback puts back a VLAN\'s routes in every table and its ARP entry, a VLAN that was down stays down, and the global IPv6 addresses the down deleted are there, with the IPv6 routes and NDP entry it flushed (exit 5)', async () => {
    await resetRouters('a', 'b');
    const prior = await sshRun('a', [
      'ip link add link lan0 name lan0.100 type vlan id 100 && ip link add link lan0 name lan0.200 type vlan id 200',
      'ip link set lan0.100 up && ip addr add 10.5.0.1/24 dev lan0.100',
      'ip route add 10.55.0.0/16 via 10.5.0.9 dev lan0.100 && ip route add 10.56.0.0/16 dev lan0.100 table 201',
      'ip neigh replace 10.5.0.7 lladdr 02:00:00:00:00:07 dev lan0.100 nud permanent',
      // Global IPv6 addresses, which the kernel deletes when a link goes down: kept by the run's down.
      'ip -6 addr add 2001:db8:1::1/64 dev lan0 && ip -6 addr add 2001:db8:100::1/64 dev lan0.100',
      IPV6_ROUTES,
    ].join(' && '));
    expect(prior.code, prior.stderr).toBe(0);
    // IPv6 routes and an NDP entry, which the kernel flushes with a link taken down (its own left out).
    const STATE = 'ip -br link show type vlan; ip -4 route show table all | grep lan0 | grep -v "^local\\|^broadcast"; ip neigh show dev lan0.100 nud permanent; ip -6 -o addr show scope global | awk \'{print $2, $4}\'; ip -6 route show table all | grep lan0 | grep -v "^local\\|^multicast\\|^anycast\\|proto kernel"';
    const before = (await sshRun('a', STATE)).stdout;
    expect(before).toMatch(/lan0\.200@lan0\s+DOWN/);
    expect(before).toContain('10.56.0.0/16 dev lan0.100 table 201');
    expect(before).toContain('lan0.100 2001:db8:100::1/64');
    expect(before).toContain('default via fe80::1 dev lan0.100 metric 2000');
    expect(before).toContain('2001:db8:5::7 lladdr 02:00:00:00:00:05 PERMANENT');
    // What the kernel does, which the plan's simulation and undo model: down with it, all up with it.
    const kernel = await sshRun('a', 'ip link set lan0 down && ip -br link show type vlan && ip link set lan0 up && ip -br link show type vlan && ip link set lan0.200 down');
    // Up by their flags: their operstate follows the lower link's carrier a moment later (the
    // kernel's link watch; on a loaded emulated router it still said LOWERLAYERDOWN there).
    expect(kernel.stdout).toMatch(/lan0\.100@lan0\s+DOWN[\s\S]*lan0\.100@lan0\s+\S+\s+\S+\s+<[^>]*\bUP\b[\s\S]*lan0\.200@lan0\s+\S+\s+\S+\s+<[^>]*\bUP\b/);
    await sshRun('a', `ip route add 10.55.0.0/16 via 10.5.0.9 dev lan0.100 && ip route add 10.56.0.0/16 dev lan0.100 table 201 && ip neigh replace 10.5.0.7 lladdr 02:00:00:00:00:07 dev lan0.100 nud permanent && ip -6 addr add 2001:db8:1::1/64 dev lan0 && ip -6 addr add 2001:db8:100::1/64 dev lan0.100 && ${IPV6_ROUTES}`);
    expect((await sshRun('a', STATE)).stdout).toBe(before);
    const r = await playJson(resolve(ROOT, 'test/e2e/playbooks/vlan-lower-down.yml'));
    expect(r.code, r.stderr).toBe(5);
    expect(r.json.hosts.router_a.rollback.ok, JSON.stringify(r.json.hosts.router_a.rollback)).toBe(true);
    expect((await sshRun('a', STATE)).stdout).toBe(before);
  });

  it('forwarding turned on and kept, then `state: absent` in a later run: every interface\'s forwarding and accept_redirects as before teqlctl', async () => {
    await resetRouters('a', 'b');
    // The same hardened router a: writing ip_forward back to 0 alone would leave eth2 at 0 and
    // all.accept_redirects at 1 (the kernel's copy), as teqlctl did before it recorded them.
    const prior = await sshRun('a', 'echo 0 > /proc/sys/net/ipv4/conf/all/accept_redirects && echo 1 > /proc/sys/net/ipv4/conf/eth2/forwarding');
    expect(prior.code, prior.stderr).toBe(0);
    const VALUES = 'grep -H "" /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/conf/*/forwarding /proc/sys/net/ipv4/conf/all/accept_redirects';
    const values = async () => ({ a: (await sshRun('a', VALUES)).stdout, b: (await sshRun('b', VALUES)).stdout });
    const before = await values();
    const on = await playJson(resolve(ROOT, 'test/e2e/playbooks/forwarding-on.yml'));
    expect(on.code, on.stderr).toBe(0);
    expect((await values()).a).toContain('/proc/sys/net/ipv4/conf/eth1/forwarding:1');
    const off = await playJson(resolve(ROOT, 'test/e2e/playbooks/forwarding-absent.yml'));
    expect(off.code, off.stderr).toBe(0);
    expect(off.json.hosts.router_a.changes.map((c: any) => c.resource)).toEqual(expect.arrayContaining(['sysctl net.ipv4.ip_forward', 'sysctl net.ipv4.conf.eth2.forwarding', 'sysctl net.ipv4.conf.all.accept_redirects']));
    expect(await values()).toEqual(before);
    // Nothing of it left in the baseline (resetRouters left it empty): a second teardown changes nothing.
    expect((await sshRun('a', 'cat /var/lib/teqlctl/baseline 2>/dev/null; true')).stdout).toBe('');
    const again = await playJson(resolve(ROOT, 'test/e2e/playbooks/forwarding-absent.yml'));
    expect(again.code, again.stderr).toBe(0);
    expect(again.json.hosts.router_a.status).toBe('ok');
    expect(await values()).toEqual(before);
  });

  it("an operator's route to the peer's network, which the chapter moves onto the bundle, is put back exactly by the teardown (removed until 2026-12-07), and nothing of it left in the baseline", async () => {
    await resetRouters('a', 'b');
    await sshRun('a', 'ip route add 198.51.100.0/24 via 10.0.2.2 dev eth0 proto static');
    const before = await both();
    const up = await playJson(CHAPTER);
    expect(up.code, up.stderr).toBe(0);
    expect((await sshRun('a', 'ip route show 198.51.100.0/24')).stdout.trim()).toMatch(/^198\.51\.100\.0\/24 via 10\.0\.0\.5 dev teql0/);
    const down = await playJson(TEARDOWN);
    expect(down.code, down.stderr).toBe(0);
    expect(down.json.hosts.router_a.changes.find((c: any) => c.resource === 'route 198.51.100.0/24')).toMatchObject({ action: '~', after: '198.51.100.0/24 via 10.0.2.2 dev eth0 (as before teqlctl)' });
    expect((await sshRun('a', 'ip route show 198.51.100.0/24')).stdout.trim()).toBe('198.51.100.0/24 via 10.0.2.2 dev eth0 proto static');
    expect(await both()).toEqual(before);
    expect((await sshRun('a', 'cat /var/lib/teqlctl/baseline 2>/dev/null; true')).stdout).toBe('');
  });

  it("router_a holding router_b's end of a link (the ends swapped by hand): refused before any change, naming it (exit 8); on the code before, router_a's check of it passed over lo, and the run changed both routers to fail at router_b's ping (exit 5)", async () => {
    await resetRouters('a', 'b');
    expect((await sshRun('a', 'ip link set eth1 up && ip addr add 10.0.0.1/31 dev eth1')).code).toBe(0);
    const before = await both();
    const r = await playJson(CHAPTER);
    expect(r.code, r.stdout + r.stderr).toBe(8);
    expect(r.json.hosts.router_a.error).toMatch(/ping 10\.0\.0\.1: 10\.0\.0\.1 is this router's own address \(10\.0\.0\.1\/31 on eth1\), which the router answers itself over lo: the check would pass without crossing any link/);
    expect(await both()).toEqual(before);
  });

  it("two routers in no bundle (a sysctl play): router_b's failed check rolls back router_b alone, router_a keeps its change, confirmed (exit 10); on the code before, both were rolled back (exit 5)", async () => {
    await resetRouters('a', 'b');
    // The lab's routers with their connection settings only: nothing makes a bundle of them.
    const inv = parse(readFileSync(LAB_INVENTORY, 'utf8'));
    for (const host of Object.values(inv.all.children.routers.hosts) as Array<Record<string, unknown>>) {
      for (const key of Object.keys(host)) if (!key.startsWith('ansible_') && key !== 'lab_router') delete host[key];
    }
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-loose-'));
    writeFileSync(join(dir, 'inventory.yml'), JSON.stringify(inv));
    writeFileSync(join(dir, 'play.yml'), [
      '- hosts: routers',
      '  tasks:',
      '    - sysctl: { name: net.ipv4.tcp_reordering, value: 11 }',
      "    - ping: { to: 192.0.2.123, count: 1, timeout: 1 }",
      "      when: inventory_hostname == 'router_b'",
      '',
    ].join('\n'));
    const before = (await sshRun('b', 'cat /proc/sys/net/ipv4/tcp_reordering')).stdout;
    const r = await teqlctl(['play', '-i', join(dir, 'inventory.yml'), join(dir, 'play.yml'), '--yes', '--json']);
    const json = JSON.parse(r.stdout);
    expect(r.code, r.stdout + r.stderr).toBe(10);
    expect(json.bundles.map((b: any) => [b.name, b.status])).toEqual([['hosts without a bundle: router_a', 'converged'], ['hosts without a bundle: router_b', 'rolled back']]);
    expect((await sshRun('a', 'cat /proc/sys/net/ipv4/tcp_reordering')).stdout).toBe('11\n');
    expect((await sshRun('b', 'cat /proc/sys/net/ipv4/tcp_reordering')).stdout).toBe(before);
  });

  it("an operator's link-local address on teql0 (the kernel makes none there): the teardown, which would unload sch_teql with it, is refused before any change (exit 8); on the code before it went without a word", async () => {
    await resetRouters('a', 'b');
    expect((await playJson(CHAPTER)).code).toBe(0);
    expect((await sshRun('a', 'ip -6 addr add fe80::4/64 dev teql0')).code).toBe(0);
    const before = await both();
    const r = await playJson(TEARDOWN);
    expect(r.code, r.stdout + r.stderr).toBe(8);
    expect(r.json.hosts.router_a.error).toContain('unloading sch_teql removes teql0 with its IPv6 addresses, which teqlctl does not put back');
    expect(await both()).toEqual(before);
    expect((await sshRun('a', 'ip -6 addr show dev teql0')).stdout).toContain('fe80::4/64');
  });

  it('a failure while applying on one router rolls both back (exit 4)', async () => {
    await resetRouters('a', 'b');
    // modinfo still finds sch_teql on b, but loading it fails: only applying can discover that.
    await sshRun('b', 'echo "install sch_teql /bin/false" > /etc/modprobe.d/teqlctl-test.conf');
    const before = await both();
    const r = await playJson(CHAPTER);
    expect(r.code).toBe(4);
    expect(r.json.hosts.router_b.error).toMatch(/modprobe sch_teql/);
    expect(r.json.hosts.router_a.rollback.ok).toBe(true);
    expect(r.json.hosts.router_b.rollback.ok).toBe(true);
    expect(await both()).toEqual(before);
  });

  it('a conflicting root qdisc is refused before any change (exit 8)', async () => {
    await resetRouters('a', 'b');
    await sshRun('b', 'tc qdisc add dev eth2 root sfq');
    const before = await both();
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, CHAPTER, '--yes']);
    expect(r.code).toBe(8);
    expect(r.stdout + r.stderr).toMatch(/router_b: .*teql\.yml:\d+:\d+: task "equalize over the links": eth2 already has the root qdisc sfq/);
    expect(await both()).toEqual(before);
  });
});
