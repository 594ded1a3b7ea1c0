// Random prior states for prior-states.ts: shell commands run on the lab's routers before a run,
// within what a real router plausibly has and what the chapter's playbook may still apply over
// (or refuses before any change, exit 8). Never touches eth0, the management link.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { seededRandom } from './seeded-random.js';

export type Mode = 'verify' | 'rollback' | 'deadman';
export interface Step {
  router: 'a' | 'b';
  cmd: string;
}
export interface Recipe {
  mode: Mode;
  steps: Step[];
  /** Extra `play` arguments. */
  extra: string[];
  /** Another playbook than the chapter's. */
  playbook?: string;
}

type Rnd = ReturnType<typeof seededRandom>;

/** The chapter with the links' MTU lowered to 1400 by its first task. */
export const SLAVE_MTU_PLAYBOOK = resolve(dirname(fileURLToPath(import.meta.url)), 'prior-states-slave-mtu.yml');

/** The chapter's own link addresses per router, to sometimes find them already there. */
const OWN = { a: ['10.0.0.0/31', '10.0.0.2/31', '10.0.0.4/31'], b: ['10.0.0.1/31', '10.0.0.3/31', '10.0.0.5/31'] };

function routerSteps(r: Rnd, router: 'a' | 'b', full: boolean): string[] {
  const c: string[] = [];
  const slaves = ['eth1', 'eth2'];
  const p = full ? 1 : 0.4; // router b gets fewer changes: it must still answer for most runs
  const n = router === 'a' ? 1 : 2;
  // The module first: teql0 exists only once it is loaded.
  const teql = r.chance(0.45 * p);
  if (teql) c.push(r.chance(0.2) ? 'modprobe sch_teql max_equalizers=2' : 'modprobe sch_teql');
  const up = new Set<string>();
  const rooted = new Set<string>();
  for (const dev of slaves) {
    if (r.chance(0.3 * p)) c.push(`ip link set ${dev} mtu ${r.pick([1400, 1480, 1600, 9000])}`);
    if (r.chance(0.5 * p)) {
      c.push(`ip link set ${dev} up`);
      up.add(dev);
    }
    // Attributes a rollback must put back with the address (a bare re-add lost them, 2026-12-05).
    if (r.chance(0.35 * p)) c.push(`ip addr add 172.${16 + n}.${dev === 'eth1' ? 1 : 2}.1/24${r.chance(0.4) ? ` brd + label ${dev}:p metric 5` : ''} dev ${dev}`);
    if (r.chance(0.2 * p)) c.push(`ip addr add 172.${16 + n}.${dev === 'eth1' ? 1 : 2}.9/24 dev ${dev}`); // a secondary, or the primary alone
    if (r.chance(0.3 * p)) c.push(`ip -6 addr add 2001:db8:${n}${dev === 'eth1' ? 1 : 2}::1/64 dev ${dev}${r.chance(0.3) ? ' nodad' : ''}`);
    // The chapter's own address, sometimes with another prefix and a broadcast: the run replaces it.
    if (r.chance(0.15 * p)) c.push(`ip addr add ${r.chance(0.4) ? `${OWN[router][dev === 'eth1' ? 0 : 1]!.replace('/31', '/24')} brd +` : OWN[router][dev === 'eth1' ? 0 : 1]} dev ${dev}`);
    if (r.chance(0.1 * p)) c.push(`sysctl -qw net.ipv6.conf.${dev}.disable_ipv6=1`);
    if (r.chance(0.06 * p)) {
      const q = r.pick(['pfifo limit 100', 'fq_codel', 'handle 1: tbf rate 10mbit burst 32kb latency 50ms', 'handle 5: bfifo limit 30000']);
      c.push(`tc qdisc add dev ${dev} root ${q}`);
      rooted.add(dev);
    }
  }
  if (teql) {
    if (r.chance(0.35)) c.push(`ip addr add ${r.chance(0.5) ? OWN[router][2] : `10.99.${n}.1/24`} dev teql0`);
    if (r.chance(0.2)) c.push(`ip link set teql0 mtu ${r.pick([1400, 1500, 1600])}`);
    if (r.chance(0.2)) c.push('sysctl -qw net.ipv4.conf.teql0.rp_filter=1');
    // Half set up by hand or by an older tool: some slaves attached, the equalizer maybe up (the
    // kernel then gives it the slaves' smallest MTU, and refuses a slave below it: `|| true`).
    const attached = slaves.filter((dev) => !rooted.has(dev) && r.chance(0.4));
    for (const dev of attached) c.push(`tc qdisc add dev ${dev} root teql0 || true`);
    if (attached.length > 0 && r.chance(0.5)) c.push('ip link set teql0 up');
  }
  for (const conf of ['all', 'default', ...slaves]) {
    if (r.chance(0.5 * p)) c.push(`sysctl -qw net.ipv4.conf.${conf}.rp_filter=${r.pick([0, 1, 2])}`);
  }
  const peerNet = router === 'a' ? '198.51.100.0/24' : '192.0.2.0/24';
  if (r.chance(0.2 * p)) c.push(`ip route add ${peerNet} via 10.0.2.2 dev eth0 metric ${r.pick([50, 100, 600])}${r.chance(0.5) ? ' proto static' : ''}`);
  if (r.chance(0.1 * p)) c.push(`ip route add ${peerNet} via 10.0.2.2 dev eth0${r.chance(0.5) ? ' proto static' : ''}`);
  if (r.chance(0.2 * p)) c.push(`ip route add ${peerNet} via 10.0.2.2 dev eth0 table ${r.pick([100, 200])}`);
  if (r.chance(0.15 * p)) c.push(`ip rule add from ${router === 'a' ? '192.0.2.0/24' : '198.51.100.0/24'} lookup 100 pref ${r.pick([1000, 30000])}`);
  if (r.chance(0.15 * p)) c.push(`ip route add 203.0.113.0/24 via 10.0.2.2 dev eth0 metric 20 mtu lock 1400`);
  if (r.chance(0.2 * p)) c.push(`ip -6 route add 2001:db8:99::/48 dev lan0 metric ${r.pick([256, 1024])}`);
  if (r.chance(0.2 * p)) c.push('ip link add dum0 type dummy', 'ip addr add 172.31.0.1/32 dev dum0', ...(r.chance(0.5) ? ['ip link set dum0 up'] : []));
  if (r.chance(0.2 * p)) c.push('ip link add link eth1 name eth1.10 type vlan id 10', 'ip addr add 172.30.10.1/24 dev eth1.10', ...(up.has('eth1') && r.chance(0.6) ? ['ip link set eth1.10 up'] : []));
  if (r.chance(0.3 * p)) c.push(`sysctl -qw net.ipv4.ip_forward=${r.pick([0, 1])}`);
  if (r.chance(0.15 * p)) c.push(`sysctl -qw net.ipv4.conf.eth1.forwarding=${r.pick([0, 1])}`);
  if (r.chance(0.15 * p)) c.push(`sysctl -qw net.ipv6.conf.all.forwarding=1`);
  if (r.chance(0.15 * p)) c.push(`sysctl -qw net.ipv4.tcp_reordering=${r.pick([3, 10])}`);
  return c;
}

export function priorRecipe(r: Rnd, only?: Mode): Recipe {
  const mode = only ?? r.pick<Mode>(['verify', 'verify', 'rollback', 'deadman']);
  const steps: Step[] = [
    ...routerSteps(r, 'a', true).map((cmd) => ({ router: 'a' as const, cmd })),
    ...routerSteps(r, 'b', r.chance(0.3)).map((cmd) => ({ router: 'b' as const, cmd })),
  ];
  const extra = r.chance(0.25) ? ['-e', `teql_tcp_reordering=${r.pick([30, 3])}`] : [];
  return { mode, steps, extra };
}

/**
 * The cases this test found, run as they are by `prior-states.ts COUNT SEED regressions` (COUNT and
 * SEED then unused): each left a router changed before its fix.
 */
export const REGRESSIONS: Recipe[] = [
  // sch_teql loaded with teql0 at 1500, slaves at 1400: teql0 stayed at 1400 (exit 6).
  { mode: 'verify', extra: [], steps: ['modprobe sch_teql', 'ip link set eth1 mtu 1400', 'ip link set eth2 mtu 1400'].map((cmd) => ({ router: 'a' as const, cmd })) },
  // IPv6 addresses on links that were down: the rollback's down deleted them.
  { mode: 'rollback', extra: [], steps: [{ router: 'a', cmd: 'ip -6 addr add 2001:db8:12::1/64 dev eth2' }, { router: 'b', cmd: 'ip -6 addr add 2001:db8:21::1/64 dev eth1 nodad' }] },
  // A nodad address on a link that was down has its local (and, forwarding, anycast) route at once:
  // keeping the address through the down (keep_addr_on_down) lost those routes (seed 3, trial 16).
  { mode: 'verify', extra: [], steps: ['sysctl -qw net.ipv6.conf.all.forwarding=1', 'ip -6 addr add 2001:db8:12::1/64 dev eth2', 'ip -6 addr add 2001:db8:12::2/64 dev eth2 nodad', 'ip -6 addr add 2001:db8:13::5/64 dev eth2 noprefixroute'].map((cmd) => ({ router: 'a' as const, cmd })) },
  // sch_teql gave teql0 its first slave's 9000 without telling IPv6 (net.ipv6.conf.teql0.mtu 1500);
  // the run's up made it 9000, and the rollback left it so (seed 21, trial 4).
  { mode: 'verify', extra: [], steps: ['modprobe sch_teql', 'ip link set eth1 mtu 9000', 'ip link set eth2 mtu 9000', 'tc qdisc add dev eth1 root teql0'].map((cmd) => ({ router: 'a' as const, cmd })) },
  // Slaves attached before the run, which lowers their MTU: teql0's MTU went back while eth1 was
  // still at 1400, and the kernel refused it (EINVAL), so the rollback failed.
  { mode: 'verify', extra: [], playbook: SLAVE_MTU_PLAYBOOK, steps: ['modprobe sch_teql', 'tc qdisc add dev eth1 root teql0', 'tc qdisc add dev eth2 root teql0'].map((cmd) => ({ router: 'a' as const, cmd })) },
  { mode: 'deadman', extra: [], playbook: SLAVE_MTU_PLAYBOOK, steps: ['modprobe sch_teql', 'tc qdisc add dev eth1 root teql0', 'ip -6 addr add 2001:db8:11::1/64 dev eth1', 'sysctl -qw net.ipv6.conf.eth2.mtu=1280'].map((cmd) => ({ router: 'a' as const, cmd })) },
  // Refused before any change (exit 8): teql0 at 1500 above a slave lowered once attached, which
  // bringing teql0 up would change for good.
  { mode: 'verify', extra: [], steps: ['modprobe sch_teql', 'tc qdisc add dev eth1 root teql0', 'ip link set eth1 mtu 1400'].map((cmd) => ({ router: 'a' as const, cmd })) },
  // Both at once, reverted by the routers' dead-man.
  { mode: 'deadman', extra: [], steps: ['modprobe sch_teql', 'ip link set eth1 mtu 1480', 'ip link set teql0 mtu 1400', 'ip -6 addr add 2001:db8:11::1/64 dev eth1'].map((cmd) => ({ router: 'a' as const, cmd })) },
  // The chapter's address with another prefix and attributes, replaced by the run: put back bare
  // (no broadcast, label, metric) before 2026-12-05; a peer IPv6 address lost its peer on the down.
  { mode: 'deadman', extra: [], steps: ['ip addr add 10.0.0.0/24 brd + label eth1:old metric 77 dev eth1', 'ip -6 addr add 2001:db8:11::1 peer 2001:db8:11::2/128 metric 9 dev eth2'].map((cmd) => ({ router: 'a' as const, cmd })) },
];
