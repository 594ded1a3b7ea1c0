// Which bundle a task, a step, a check or a line of router state belongs to, on one host. The
// failure domain is the bundle: a hub that loses one spoke undoes that bundle's steps and keeps
// the others, so every piece of a plan must be traced to its bundle, or known to be shared
// (sch_teql, conf.all.rp_filter, tcp_reordering, the boot files), which no single bundle owns.
import type { Bundle } from '../load/bundle-types.js';
import type { TaskInstance } from '../load/types.js';
import type { Op } from './ops.js';
import type { Change, Check } from './types.js';
import { ipOf } from '../load/bundle-types.js';
import { rpFilterDevice } from '../router/sysctl-path.js';
import { contains } from '../router/ipv4.js';

/** One end of one bundle as seen from its host: what names and addresses make a thing "its". */
export interface EndScope {
  bundle: string;
  /** The equalizer and its slaves. */
  devices: Set<string>;
  /** The other end's addresses (links, equalizer, LAN): a ping or a route via one of them is this bundle's. */
  peerAddresses: Set<string>;
  /** The network routed over the equalizer. */
  peerNetwork?: string;
}

export function scopesOf(host: string, bundles: readonly Bundle[]): EndScope[] {
  const out: EndScope[] = [];
  for (const b of bundles) {
    const i = b.ends.findIndex((e) => e.host === host);
    if (i < 0) continue;
    const self = b.ends[i]!;
    const other = b.ends[1 - i]!;
    const peer = [...other.linkAddresses, other.address, other.lanAddress].filter((a): a is string => a !== undefined).map(ipOf);
    out.push({ bundle: b.name, devices: new Set([self.device, ...self.slaves]), peerAddresses: new Set(peer), ...(self.peerNetwork ? { peerNetwork: self.peerNetwork } : {}) });
  }
  return out;
}

/** The per-device sysctl's device (`net.ipv4.conf.eth1.rp_filter` -> eth1), else undefined. */
export function sysctlDevice(name: string): string | undefined {
  return rpFilterDevice(name) ?? /^net\.ipv[46]\.(?:conf|neigh)\.(.+)\.[^.]+$/.exec(name)?.[1];
}

/** The device a baseline key (plan/baseline.ts: `sysctl:NAME`, `link:DEV`, `address:DEV:IP`, `qdisc:DEV`, `module:...`) is about. */
function baselineDevice(key: string): string | undefined {
  if (key.startsWith('sysctl:')) return sysctlDevice(key.slice('sysctl:'.length));
  if (key.startsWith('link:')) return key.slice('link:'.length);
  if (key.startsWith('qdisc:')) return key.slice('qdisc:'.length);
  // The device is everything before the last colon: an IPv4 address holds none.
  if (key.startsWith('address:')) return key.slice('address:'.length, key.lastIndexOf(':'));
  return undefined;
}

/** The network a route's baseline key (route-baseline.ts: `route:TO:METRIC`) is about: a record goes with its route's bundle (a review). */
function baselineNetwork(key: string): string | undefined {
  return key.startsWith('route:') ? key.slice('route:'.length, key.lastIndexOf(':')) : undefined;
}

/** The bundles that own a thing named by these devices and addresses; [] when it is shared. */
function owners(scopes: readonly EndScope[], devs: ReadonlyArray<string | undefined>, addrs: ReadonlyArray<string | undefined> = [], nets: ReadonlyArray<string | undefined> = []): string[] {
  return scopes
    .filter((s) => devs.some((d) => d !== undefined && s.devices.has(d))
      || addrs.some((a) => a !== undefined && s.peerAddresses.has(ipOf(a)))
      || nets.some((n) => n !== undefined && n === s.peerNetwork))
    .map((s) => s.bundle);
}

export function opBundles(op: Op, scopes: readonly EndScope[]): string[] {
  switch (op.kind) {
    case 'link':
    case 'qdisc-root':
    case 'qdisc-root-del':
    case 'qdisc-restore':
    case 'addr-add':
    case 'addr-del':
      return owners(scopes, [op.dev]);
    case 'route-add':
    case 'route-del':
    case 'route-replace':
      return owners(scopes, [op.route.dev], [op.route.via], [op.route.to]);
    case 'neigh-add':
      return owners(scopes, [op.neighbour.dev]);
    case 'sysctl':
      return owners(scopes, [sysctlDevice(op.name)]);
    case 'baseline-set':
    case 'baseline-unset':
      return owners(scopes, [baselineDevice(op.key)], [], [baselineNetwork(op.key)]);
    default:
      // The module, the boot files, systemd: one per host, shared by its bundles.
      return [];
  }
}

/** A change is its steps' bundles (all of them agree in practice: one resource per change). */
export function changeBundles(change: Change, scopes: readonly EndScope[]): string[] {
  return [...new Set(change.steps.flatMap((s) => opBundles(s.op, scopes)))];
}

/** A ping's bundle: by its device, by the address it pings, or by the peer's network that holds it. */
export function checkBundles(check: Check, scopes: readonly EndScope[]): string[] {
  const direct = owners(scopes, [check.dev], [check.to]);
  return direct.length > 0 ? direct : scopes.filter((s) => s.peerNetwork !== undefined && s.peerNetwork !== 'default' && safeContains(s.peerNetwork, check.to)).map((s) => s.bundle);
}

function safeContains(network: string, address: string): boolean {
  try {
    return contains(network, address);
  } catch {
    return false;
  }
}

export function taskBundles(task: TaskInstance, scopes: readonly EndScope[]): string[] {
  switch (task.module) {
    case 'teql': return owners(scopes, [task.args.device, ...task.args.slaves]);
    case 'link': return owners(scopes, [task.args.dev]);
    case 'address': return owners(scopes, [task.args.dev]);
    case 'sysctl': return owners(scopes, [sysctlDevice(task.args.name)]);
    case 'route': return owners(scopes, [task.args.dev], [task.args.via], [task.args.to]);
    case 'ping': return checkBundles({ task: task.name, pos: task.pos, ...task.args }, scopes);
  }
}

/** A line of `stateLines` (rollback/compare.ts): its devices are the words after `dev`, `link`, `sysctl`. */
export function lineBundles(line: string, scopes: readonly EndScope[]): string[] {
  const words = line.split(' ');
  const after = (w: string) => {
    const i = words.indexOf(w);
    return i >= 0 ? words[i + 1] : undefined;
  };
  if (words[0] === 'link') return owners(scopes, [words[1]]);
  if (words[0] === 'sysctl') return owners(scopes, [sysctlDevice(words[1] ?? '')]);
  if (words[0] === 'baseline') return owners(scopes, [baselineDevice(words[1] ?? '')], [], [baselineNetwork(words[1] ?? '')]);
  if (words[0] === 'route') return owners(scopes, [after('dev')], [after('via')], [words[1]]);
  return owners(scopes, [after('dev')]);
}

/**
 * Does a thing owned by `owned` go with the failed bundles? Only when every bundle that owns it
 * failed; a shared thing (owned by none) goes only when the host has no bundle left.
 */
export function goesWith(owned: readonly string[], failed: ReadonlySet<string>, hostBundles: readonly string[]): boolean {
  const by = owned.length > 0 ? owned : hostBundles;
  return by.length > 0 && by.every((b) => failed.has(b));
}
