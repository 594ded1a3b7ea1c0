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
}

function opDevices(op: Op): { devices: string[]; network?: string } {
  switch (op.kind) {
    case 'link': case 'qdisc-root': case 'qdisc-root-del': case 'qdisc-restore': case 'addr-add': case 'addr-del':
      return { devices: [op.dev] };
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
 * MTU reach them), the devices stacked on them and the bridge or bond they are ports of.
 */
export function runScope(ops: Iterable<Op>, f: Facts): RunScope {
  const devices = new Set<string>();
  const networks = new Set<string>();
  for (const op of ops) {
    const o = opDevices(op);
    for (const d of o.devices) devices.add(d);
    if (o.network !== undefined) networks.add(o.network);
  }
  for (const d of [...devices]) {
    for (const v of vlansOn(f, d)) devices.add(v.name);
    for (const l of f.links) if (l.lower === d) devices.add(l.name);
    const master = f.links.find((l) => l.name === d)?.master;
    if (master !== undefined) devices.add(master);
  }
  return { devices, networks };
}

/**
 * Whether a line of state (rollback/compare.ts stateLines, flushableLines) is the run's to answer
 * for: one about a device is when the device is in scope or an equalizer (teqlN, which sch_teql
 * makes and takes away); a route also when it is at one of the run's networks, and one with no
 * device (a blackhole) always; a per-device rp_filter by its device (every interface's is read);
 * `all`'s and `default`'s, and any other line (the module, boot files, the baseline, a sysctl the
 * tasks named), always.
 */
export function inRunScope(line: string, scope: RunScope): boolean {
  const words = line.split(' ');
  const after = (w: string) => { const i = words.indexOf(w); return i >= 0 ? words[i + 1] : undefined; };
  const ours = (dev: string | undefined) => dev === undefined || /^teql\d+$/.test(dev) || scope.devices.has(dev);
  switch (words[0]) {
    case 'link': return ours(words[1]);
    case 'address': case 'neighbour': return ours(after('dev'));
    case 'route': return scope.networks.has(words[1] ?? '') || ours(after('dev'));
    case 'root': return ours(after('dev'));
    // A partial rollback's form of a per-device rp_filter (partial.ts): `rp_filter in effect on DEV = N`.
    case 'rp_filter': return ours(words[4]);
    case 'sysctl': { const d = rpFilterDevice(words[1] ?? ''); return d === 'all' || d === 'default' || ours(d); }
    default: return true;
  }
}

/**
 * The scope an after-state was recorded in (play/confirm-all.ts records the run's lines only): the
 * devices and route networks its lines name. `teqlctl rollback` knows no playbook; compared in it,
 * a device that appeared since (a subscriber's session) is not drift. An after-state of a teqlctl
 * before 2026-12-07 names every device of its time, whose later comings are left out alike.
 */
export function scopeOfLines(lines: readonly string[]): RunScope {
  const devices = new Set<string>();
  const networks = new Set<string>();
  for (const line of lines) {
    const words = line.split(' ');
    const after = (w: string) => { const i = words.indexOf(w); return i >= 0 ? words[i + 1] : undefined; };
    const dev = words[0] === 'link' ? words[1] : words[0] === 'sysctl' ? rpFilterDevice(words[1] ?? '') : after('dev');
    if (dev !== undefined) devices.add(dev);
    if (words[0] === 'route' && words[1] !== undefined) networks.add(words[1]);
  }
  return { devices, networks };
}

