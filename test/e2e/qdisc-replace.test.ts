// `teql … replace: true` on the lab: a replaced root qdisc comes back exactly after a rollback
// (handle, kind, every option, as `tc -d qdisc show` prints it), and one that cannot be put back
// exactly is refused before any change.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resetRouters, sshRun } from './lab.js';
import { readState } from './router-state.js';
import { CHAPTER, LAB_INVENTORY, playJson, TEARDOWN, teqlctl } from './teqlctl.js';
import { startPlay } from './fault-matrix/harness.js';

const tmp = mkdtempSync(join(tmpdir(), 'teqlctl-e2e-qdisc-'));
// teql0 over eth1 and eth2 of router_a, replacing eth2's root qdisc; the ping cannot succeed, so the
// run is rolled back (exit 5) and the old qdisc must be back.
const PLAYBOOK = join(tmp, 'replace.yml');
writeFileSync(PLAYBOOK, `- hosts: router_a
  tasks:
    - link: { dev: "{{ item }}", state: up }
      loop: [eth1, eth2]
    - teql: { device: teql0, slaves: [eth1, eth2], replace: true }
    - ping: { to: 203.0.113.77, count: 1, timeout: 1 }
`);

// The same without the failing ping (it converges), and its teardown: the equalizer off the slaves,
// sch_teql unloaded, the links as before.
const CONVERGE = join(tmp, 'converge.yml');
writeFileSync(CONVERGE, `- hosts: router_a
  tasks:
    - link: { dev: "{{ item }}", state: up }
      loop: [eth1, eth2]
    - teql: { device: teql0, slaves: [eth1, eth2], replace: true }
`);
const TEAR = join(tmp, 'teardown.yml');
writeFileSync(TEAR, `- hosts: router_a
  tasks:
    - teql: { device: teql0, slaves: [eth1, eth2], state: absent }
    - link: { dev: "{{ item }}", state: absent }
      loop: [eth1, eth2]
`);

// refcnt and htb's direct_packets_stat are counters, not settings: a packet sent while the link is
// up (an IPv6 router solicitation, say) raises the latter, and no restore can or should put a
// counter back (the facts leave both out for the same reason). Every setting is still compared.
const qdiscOf = async (dev: string) => (await sshRun('a', `tc -d qdisc show dev ${dev} | sed -e 's/ refcnt [0-9]*//' -e 's/ direct_packets_stat [0-9]*//'; tc -d class show dev ${dev}`)).stdout;

afterAll(() => resetRouters('a', 'b'));

describe('replace: true on the lab', () => {
  it.each([
    ['fq_codel with non-default parameters', 'handle 5: fq_codel limit 2000 flows 512 quantum 1400 target 7ms interval 150ms memory_limit 16Mb noecn'],
    ['tbf', 'handle 2: tbf rate 20mbit burst 64kb latency 70ms'],
    ['a class-less htb', 'handle 1: htb default 30 r2q 7'],
  ])('%s: replaced, then restored exactly by the rollback', async (_name, spec) => {
    await resetRouters('a', 'b');
    expect((await sshRun('a', `tc qdisc del dev eth2 root 2>/dev/null; tc qdisc add dev eth2 root ${spec}`)).code).toBe(0);
    const before = await qdiscOf('eth2');
    const state = await readState('a');
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, PLAYBOOK, '--yes', '--json']);
    expect(r.code, r.stderr).toBe(5);
    expect(JSON.parse(r.stdout).hosts.router_a.status).toBe('rolled back');
    expect(await qdiscOf('eth2')).toBe(before);
    expect(await readState('a')).toBe(state);
  });

  it('tbf replaced by a run that converges, then the teardown: rebuilt exactly from the baseline (the kernel default until 2026-12-07), router a as before, no record left; a second teardown changes nothing', async () => {
    await resetRouters('a', 'b');
    expect((await sshRun('a', 'tc qdisc add dev eth2 root handle 2: tbf rate 20mbit burst 64kb latency 70ms')).code).toBe(0);
    const before = await qdiscOf('eth2');
    const state = await readState('a');
    const up = await teqlctl(['play', '-i', LAB_INVENTORY, CONVERGE, '--yes']);
    expect(up.code, up.stdout + up.stderr).toBe(0);
    expect(await qdiscOf('eth2')).toMatch(/^qdisc teql0 /);
    const down = await teqlctl(['play', '-i', LAB_INVENTORY, TEAR, '--yes', '--json']);
    expect(down.code, down.stdout + down.stderr).toBe(0);
    expect(JSON.parse(down.stdout).hosts.router_a.changes.find((c: any) => c.resource === 'root qdisc of eth2')).toMatchObject({ action: '~', after: 'tbf (as before teqlctl)' });
    expect(await qdiscOf('eth2')).toBe(before);
    expect(await readState('a')).toBe(state);
    expect((await sshRun('a', 'cat /var/lib/teqlctl/baseline 2>/dev/null; true')).stdout).not.toMatch(/^qdisc:/m);
    const again = await teqlctl(['play', '-i', LAB_INVENTORY, TEAR, '--yes', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).hosts.router_a.changes).toEqual([]);
  });

  it('htb with classes and filters: refused before any change, saying why (exit 8)', async () => {
    await resetRouters('a', 'b');
    // A pristine link has the kernel's default root (handle 0:), which `tc qdisc del` refuses: add over it.
    const setup = [
      'tc qdisc add dev eth2 root handle 1: htb default 20',
      'tc class add dev eth2 parent 1: classid 1:10 htb rate 5mbit ceil 10mbit',
      'tc filter add dev eth2 parent 1: protocol ip prio 1 u32 match ip dport 22 0xffff flowid 1:10',
    ].join(' && ');
    expect((await sshRun('a', setup)).code).toBe(0);
    const before = await qdiscOf('eth2');
    const state = await readState('a');
    const r = await teqlctl(['play', '-i', LAB_INVENTORY, PLAYBOOK, '--yes']);
    expect(r.code, r.stdout + r.stderr).toBe(8);
    expect(r.stdout + r.stderr).toMatch(/eth2's root qdisc htb \(handle 1:\) cannot be restored exactly after replacing it: it has 1 class\(es\)/);
    expect(await qdiscOf('eth2')).toBe(before);
    expect(await readState('a')).toBe(state);
  });

  it('a shaper on a device no task names (an operator\'s htb, classes and a filter on lan0): not read in detail, and changed while the run waits for approval it does not make the run stale; converged, a rerun changes nothing, the teardown leaves the shaper', async () => {
    await resetRouters('a', 'b');
    const shaper = [
      'tc qdisc add dev lan0 root handle 1: htb default 20',
      'tc class add dev lan0 parent 1: classid 1:1 htb rate 10mbit',
      'tc class add dev lan0 parent 1:1 classid 1:20 htb rate 5mbit',
      'tc filter add dev lan0 parent 1: protocol ip prio 1 u32 match ip dport 22 0xffff flowid 1:20',
    ].join(' && ');
    expect((await sshRun('a', shaper)).code).toBe(0);
    const log = join(tmp, 'shaper.log');
    const run = startPlay(['--log', log, '--debug-hold', 'approve:8']);
    await run.waitFor(/holding at approve/);
    // The operator retunes the shaper meanwhile (a run before 2026-12-07 was refused as stale, exit 8).
    expect((await sshRun('a', 'tc class change dev lan0 parent 1:1 classid 1:20 htb rate 6mbit')).code).toBe(0);
    const shaped = await qdiscOf('lan0');
    expect(shaped).toMatch(/class htb 1:20 parent 1:1 .*rate 6Mbit/);
    const ended = await run.done;
    expect(ended.code, ended.stdout + run.stderr()).toBe(0);
    for (const host of ['router_a', 'router_b']) expect(JSON.parse(ended.stdout).hosts[host].status).toBe('changed');
    // No facts read asked tc for lan0's tree (the run log keeps every answer of the routers).
    expect(readFileSync(log, 'utf8')).not.toContain('@@dev lan0');
    const rerun = await playJson(CHAPTER);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.json.hosts.router_a.changes).toEqual([]);
    const down = await playJson(TEARDOWN);
    expect(down.code, down.stderr).toBe(0);
    expect(await qdiscOf('lan0')).toBe(shaped);
  });
});
