// What a run's rollback answers for: the devices its steps and their undos name, what the kernel
// changes with them, every equalizer, and the networks its routes are at. A line of state about
// another device is someone else's: a concentrator's subscriber sessions, a VPN's tunnels, a
// container's veths come and go by the second, and one that appeared during a run made a complete
// rollback read as incomplete (exit 6, "ROLLBACK INCOMPLETE"; found on the lab, 2026-12-07). Pure.
import type { Facts } from '../gather/facts.js';
import type { Op } from '../plan/ops.js';
import { vlansOn } from '../plan/simulate-routes.js';
import { sysctlDevice } from '../plan/bundle-scope.js';
import { rpFilterDevice } from '../router/sysctl-path.js';

export interface RunScope {
  devices: ReadonlySet<string>;
  /** Route networks as routeLine writes them (an IPv6 default as ::/0). */
  networks: ReadonlySet<string>;
  /** The addresses the run adds or removes: a route giving one as its source goes with it (the kernel deletes it). */
  sources: ReadonlySet<string>;
  /** The devices the run's steps name themselves, before what is stacked on them (scopeNow). Absent: not recorded. */
  named?: ReadonlySet<string>;
}

function opScope(op: Op): { devices: string[]; network?: string; source?: string } {
  switch (op.kind) {
    case 'link': case 'qdisc-root': case 'qdisc-root-del': case 'qdisc-restore':
      return { devices: [op.dev] };
    case 'addr-add': case 'addr-del':
      return { devices: [op.dev], source: op.cidr.split('/')[0]! };
    case 'route-add': case 'route-del': case 'route-replace':
      return { devices: op.route.dev !== undefined ? [op.route.dev] : [], network: op.route.family === 'inet6' && op.route.to === 'default' ? '::/0' : op.route.to };
    case 'neigh-add': return { devices: op.neighbour.dev !== undefined ? [op.neighbour.dev] : [] };
    case 'sysctl': { const d = sysctlDevice(op.name); return { devices: d !== undefined && d !== 'all' && d !== 'default' ? [d] : [] }; }
    default: return { devices: [] };
  }
}

/**
 * The scope of the steps `ops` (each step's op and its undos, as planned and as journaled) on a
 * router read as `f` before the run: their devices, with the VLANs on them (a link's flush and
 * MTU reach them), the devices stacked on them, the bridge or bond they are ports of, and the
 * ports of one that is a bond or a bridge (a bond's MTU is set on its ports).
 */
export function runScope(ops: Iterable<Op>, f: Facts): RunScope {
  const devices = new Set<string>();
  const networks = new Set<string>();
  const sources = new Set<string>();
  for (const op of ops) {
    const o = opScope(op);
    for (const d of o.devices) devices.add(d);
    if (o.network !== undefined) networks.add(o.network);
    if (o.source !== undefined) sources.add(o.source);
  }
  return { devices: stacked(devices, f), networks, sources, named: devices };
}

/**
 * `devices` with, on a router read as `f`, the VLANs and devices stacked on them, the bridge or
 * bond they are ports of, and a bond's ports (a bond sets its MTU on them; a bridge's ports, veths
 * and taps, come and go).
 */
function stacked(devices: ReadonlySet<string>, f: Facts): Set<string> {
  const out = new Set(devices);
  for (const d of devices) {
    for (const v of vlansOn(f, d)) out.add(v.name);
    const bond = f.links.some((l) => l.name === d && (l.kind === 'bond' || l.kind === 'team'));
    for (const l of f.links) if (l.lower === d || (bond && l.master === d)) out.add(l.name);
    const master = f.links.find((l) => l.name === d)?.master;
    if (master !== undefined) out.add(master);
  }
  return out;
}

/**
 * A recorded scope as it reaches now, on a router read as `now`: the devices its steps name stacked
 * again as runScope stacked them, one step (a VLAN made on one of the run's links since, a bond or a
 * bridge it was made a port of, a port added to the run's bond). They were not there when the run
 * recorded its scope, and its undo (a link down, an address removed, an MTU) reaches them:
 * `teqlctl rollback` says them as moved (a review found them unseen). Not a step further (a bridge
 * over a VLAN of the run's link: that made runs nothing had moved refused, a second review).
 */
export function scopeNow(scope: RunScope, now: Facts): RunScope {
  if (!scope.named) return scope;
  return { ...scope, devices: new Set([...scope.devices, ...stacked(scope.named, now)]) };
}

/**
 * Whether a line of state (rollback/compare.ts stateLines, flushableLines) is the run's to answer
 * for: one about a device is when the device is in scope or an equalizer (teqlN, which sch_teql
 * makes and takes away); a route also when it is at one of the run's networks or gives one of its
 * addresses as source, and one with no device (a blackhole, a multipath route) always; a per-device
 * rp_filter by its device (every interface's is read); `all`'s and `default`'s, and any other line
 * (the module, boot files, the baseline, a sysctl the tasks named), always.
 */
export function inRunScope(line: string, scope: RunScope): boolean {
  const words = line.split(' ');
  const ours = (dev: string | undefined) => dev === undefined || /^teql\d+$/.test(dev) || scope.devices.has(dev);
  const devs = devicesOf(words);
  switch (words[0]) {
    case 'link': return ours(words[1]);
    case 'address': case 'neighbour': case 'root': return devs.length === 0 || devs.some(ours);
    case 'route': return scope.networks.has(words[1] ?? '') || scope.sources.has(after(words, 'src') ?? '') || devs.length === 0 || devs.some(ours);
    // A partial rollback's form of a per-device rp_filter (partial.ts): `rp_filter in effect on DEV = N`.
    case 'rp_filter': return ours(words[4]);
    case 'sysctl': { const d = rpFilterDevice(words[1] ?? ''); return d === 'all' || d === 'default' || ours(d); }
    default: return true;
  }
}

/**
 * The scope as lines, recorded with the after-state a confirmation keeps (play/rollback-all.ts
 * afterStateOf): `teqlctl rollback` knows no playbook, and the after-state's own lines cannot tell
 * it (a network whose route the run removed is in none; a route at the run's network on another
 * device would bring that device's every line in; a review).
 */
export function scopeLines(scope: RunScope): string[] {
  // `scope recorded` first: a run whose scope is empty (a global sysctl, boot files alone) is not an older after-state.
  return [RECORDED, ...[...scope.devices].map((d) => `scope device ${d}`), ...[...scope.networks].map((n) => `scope network ${n}`), ...[...scope.sources].map((a) => `scope source ${a}`), ...[...scope.named ?? []].map((d) => `scope named ${d}`)];
}

const RECORDED = 'scope recorded';

/**
 * An after-state's lines of state and the scope recorded with them (`recorded`: it was). One of a
 * teqlctl before 2026-12-07 has no scope lines and holds every device of its time: its scope is
 * what it names.
 */
export function recordedScope(afterRun: readonly string[]): { state: string[]; scope: RunScope; recorded: boolean } {
  const state = afterRun.filter((l) => !l.startsWith('scope '));
  const recorded = afterRun.filter((l) => l.startsWith('scope ')).map((l) => l.split(' '));
  if (!afterRun.includes(RECORDED)) return { state, scope: scopeOfLines(state), recorded: false };
  const of = (kind: string) => new Set(recorded.filter((w) => w[1] === kind && w[2] !== undefined).map((w) => w[2]!));
  // `named` since 2026-12-07 (later): an after-state without it is not grown by scopeNow.
  const named = recorded.some((w) => w[1] === 'named') ? { named: of('named') } : {};
  return { state, scope: { devices: of('device'), networks: of('network'), sources: of('source'), ...named }, recorded: true };
}

/** The devices and route networks that lines of state name (an after-state recorded without its scope). */
function scopeOfLines(lines: readonly string[]): RunScope {
  const devices = new Set<string>();
  const networks = new Set<string>();
  for (const line of lines) {
    const words = line.split(' ');
    const named = words[0] === 'link' ? [words[1]] : words[0] === 'sysctl' ? [rpFilterDevice(words[1] ?? '')] : devicesOf(words);
    for (const d of named) if (d !== undefined) devices.add(d);
    if (words[0] === 'route' && words[1] !== undefined) networks.add(words[1]);
  }
  return { devices, networks, sources: new Set() };
}

function after(words: readonly string[], w: string): string | undefined {
  const i = words.indexOf(w);
  return i >= 0 ? words[i + 1] : undefined;
}

/** The words after each `dev` of a line. */
function devicesOf(words: readonly string[]): string[] {
  return words.flatMap((w, i) => (w === 'dev' && words[i + 1] !== undefined ? [words[i + 1]!] : []));
}
