// Replays ops on facts, as the kernel would, so that planning can see the effect of earlier tasks
// and tests can check that a plan converges and that its inverses restore the snapshot.
import type { Facts, RouteFact } from '../gather/facts.js';
import type { Op } from './ops.js';
import { propagatedValues } from './sysctl-propagation.js';
import { stackedMtuAfter } from './stacked-mtu.js';
import { addConnected, addNeighbour, addOtherTableRoute, flushOtherwise, gatewayDevice, isUp, sameSubnet, vlansFollow } from './simulate-routes.js';
import { cidrNetwork, splitCidr } from '../router/ipv4.js';

export { sameRoute } from './simulate-routes.js';

export class SimulationError extends Error {}

/** The MTUs of the links whose root qdisc is the equalizer `device`. */
function slaveMtus(f: Facts, device: string): number[] {
  return f.rootQdiscs.filter((q) => q.kind === device).flatMap((q) => f.links.filter((l) => l.name === q.dev).map((l) => l.mtu));
}

/**
 * addrconf gives a link's IPv6 MTU (net.ipv6.conf.DEV.mtu) the link's MTU when that changes and
 * when the link comes up (NETDEV_CHANGEMTU, NETDEV_UP); below 1280 IPv6 leaves the link, and its
 * conf with it. Only where the facts read it.
 */
function syncIpv6Mtu(f: Facts, dev: string, mtu: number): void {
  const name = `net.ipv6.conf.${dev}.mtu`;
  if (!(name in f.sysctls)) return;
  if (mtu < 1280) delete f.sysctls[name];
  else f.sysctls[name] = String(mtu);
}

/**
 * A copy deep enough for applyInPlace, which mutates only these: the lists (pushed to), a link's
 * fields, the sysctls, the boot files' list and the baseline. Every other part is replaced, never
 * changed, here and in the whole functional core, so it is shared. structuredClone of the whole
 * facts was a fleet's biggest cost in planning (~50 us a copy, 20 copies a host).
 */
function clone(f: Facts): Facts {
  return {
    ...f,
    links: f.links.map((l) => ({ ...l })),
    addresses: [...f.addresses],
    routes: [...f.routes],
    rootQdiscs: [...f.rootQdiscs],
    sysctls: { ...f.sysctls },
    ...(f.boot ? { boot: { ...f.boot, files: [...f.boot.files] } } : {}),
    ...(f.baseline ? { baseline: { ...f.baseline } } : {}),
  };
}

function teqlDevices(max: number): string[] {
  return Array.from({ length: max }, (_, i) => `teql${i}`);
}

export function simulate(facts: Facts, op: Op): Facts {
  return applyInPlace(clone(facts), op);
}

/** Applies `op` to `f` itself: only ever called on a copy that no caller holds. */
function applyInPlace(f: Facts, op: Op): Facts {
  switch (op.kind) {
    case 'modprobe': {
      if (f.teql.loaded) return f;
      if (!f.teql.available) throw new SimulationError('module sch_teql not found');
      const max = op.maxEqualizers ?? 1;
      f.teql = { ...f.teql, loaded: true, maxEqualizers: max };
      for (const name of teqlDevices(max)) {
        f.links.push({ name, up: false, operstate: 'DOWN', mtu: 1500 });
        f.sysctls[`net.ipv4.conf.${name}.rp_filter`] = f.sysctls['net.ipv4.conf.default.rp_filter'] ?? '0';
      }
      return f;
    }
    case 'rmmod': {
      if (f.rootQdiscs.some((q) => /^teql\d+$/.test(q.kind))) throw new SimulationError('sch_teql is in use');
      const gone = new Set(teqlDevices(f.teql.maxEqualizers ?? 1));
      f.teql = { loaded: false, available: f.teql.available };
      f.links = f.links.filter((l) => !gone.has(l.name));
      f.addresses = f.addresses.filter((a) => !gone.has(a.dev));
      f.routes = f.routes.filter((r) => !gone.has(r.dev ?? ''));
      for (const name of gone) flushOtherwise(f, name);
      for (const name of gone) {
        for (const key of Object.keys(f.sysctls)) if (key.startsWith(`net.ipv4.conf.${name}.`) || key.startsWith(`net.ipv6.conf.${name}.`)) delete f.sysctls[key];
      }
      return f;
    }
    case 'link': {
      const link = f.links.find((l) => l.name === op.dev);
      if (!link) throw new SimulationError(`no link ${op.dev}`);
      if (op.mtu !== undefined && op.mtu !== link.mtu) {
        // teql_master_mtu: an equalizer's MTU may not exceed any slave's (EINVAL); the same MTU
        // again is no change at all (dev_set_mtu returns before asking the driver).
        if (/^teql\d+$/.test(op.dev) && slaveMtus(f, op.dev).some((m) => m < op.mtu!)) {
          throw new SimulationError(`${op.dev} cannot take MTU ${op.mtu}: a slave's is below it`);
        }
        link.mtu = op.mtu;
        syncIpv6Mtu(f, op.dev, link.mtu);
        // The devices stacked on it follow (stacked-mtu.ts).
        for (const upper of f.links.filter((l) => l.lower === op.dev && stackedMtuAfter(l, op.mtu!) !== l.mtu)) {
          upper.mtu = stackedMtuAfter(upper, op.mtu);
          syncIpv6Mtu(f, upper.name, upper.mtu);
        }
      }
      if (op.up === true && !link.up) {
        if (/^teql\d+$/.test(op.dev) && !f.rootQdiscs.some((q) => q.kind === op.dev)) {
          throw new SimulationError(`${op.dev} has no slaves`);
        }
        link.up = true;
        if (/^teql\d+$/.test(op.dev)) link.mtu = Math.min(...slaveMtus(f, op.dev));
        if (f.sysctls[`net.ipv6.conf.${op.dev}.disable_ipv6`] !== '1') syncIpv6Mtu(f, op.dev, link.mtu);
        for (const a of f.addresses.filter((x) => x.dev === op.dev)) addConnected(f, op.dev, a.cidr, a);
        vlansFollow(f, op.dev, true);
      } else if (op.up === false && link.up) {
        link.up = false;
        // The kernel flushes every route through a device that goes down, in every table, and its neighbours.
        f.routes = f.routes.filter((r) => r.dev !== op.dev);
        flushOtherwise(f, op.dev);
        vlansFollow(f, op.dev, false);
      }
      return f;
    }
    case 'qdisc-root': {
      const existing = f.rootQdiscs.find((q) => q.dev === op.dev);
      if (existing && !existing.isDefault && !op.replace) throw new SimulationError(`${op.dev} already has a root qdisc`);
      // An equalizer down takes its first slave's MTU, then the smallest (teql_qdisc_init).
      const master = f.links.find((l) => l.name === op.qdisc && /^teql\d+$/.test(l.name));
      const others = slaveMtus(f, op.qdisc);
      f.rootQdiscs = f.rootQdiscs.filter((q) => q.dev !== op.dev);
      f.rootQdiscs.push({ dev: op.dev, kind: op.qdisc, handle: '8001:', isDefault: false });
      const slave = f.links.find((l) => l.name === op.dev);
      if (master && !master.up && slave) master.mtu = Math.min(slave.mtu, ...(others.length > 0 ? [master.mtu] : []));
      return f;
    }
    case 'qdisc-restore': {
      f.rootQdiscs = [...f.rootQdiscs.filter((q) => q.dev !== op.dev), { ...op.root }];
      return f;
    }
    case 'qdisc-root-del': {
      const existing = f.rootQdiscs.find((q) => q.dev === op.dev);
      if (!existing || existing.isDefault) throw new SimulationError(`${op.dev} has no root qdisc to delete`);
      f.rootQdiscs = f.rootQdiscs.filter((q) => q.dev !== op.dev);
      f.rootQdiscs.push({ dev: op.dev, kind: 'default', handle: '0:', isDefault: true });
      return f;
    }
    case 'addr-add': {
      if (f.addresses.some((a) => a.dev === op.dev && a.cidr === op.cidr)) throw new SimulationError('address exists');
      // The kernel makes it a secondary where the link has a primary in the same subnet.
      const primary = f.addresses.some((a) => a.dev === op.dev && !a.secondary && sameSubnet(a.cidr, op.cidr));
      f.addresses.push({ dev: op.dev, cidr: op.cidr, ...op.attrs, ...(primary ? { secondary: true as const } : {}) });
      if (isUp(f, op.dev)) addConnected(f, op.dev, op.cidr, op.attrs);
      return f;
    }
    case 'addr-del': {
      const gone = f.addresses.find((a) => a.dev === op.dev && a.cidr === op.cidr);
      if (!gone) throw new SimulationError('no such address');
      // A primary takes its secondaries with it (promote_secondaries off, the kernel's default), and
      // every route that gives the address as its source goes with it.
      f.addresses = f.addresses.filter((a) => !(a.dev === op.dev && (a.cidr === op.cidr || (!gone.secondary && a.secondary && sameSubnet(a.cidr, op.cidr)))));
      const ip = splitCidr(op.cidr).ip;
      f.routes = f.routes.filter((r) => r.src !== ip || f.addresses.some((a) => splitCidr(a.cidr).ip === ip));
      // The link's last IPv4 address: every IPv4 route through it goes (fib_disable_ip).
      if (!f.addresses.some((a) => a.dev === op.dev)) {
        f.routes = f.routes.filter((r) => r.dev !== op.dev);
        flushOtherwise(f, op.dev, true);
      }
      const net = cidrNetwork(op.cidr);
      if (!f.addresses.some((a) => a.dev === op.dev && cidrNetwork(a.cidr) === net)) {
        f.routes = f.routes.filter((r) => !(r.dev === op.dev && r.protocol === 'kernel' && r.to === net));
      }
      return f;
    }
    case 'route-add': {
      // Another table's (an undo putting back what a link's flush took): not the main table's list.
      if (op.route.table !== undefined || op.route.family === 'inet6') return addOtherTableRoute(f, op.route);
      if (f.routes.some((r) => r.to === op.route.to && r.metric === op.route.metric)) throw new SimulationError('route exists');
      f.routes.push(resolveDev(f, op.route));
      return f;
    }
    case 'route-replace': {
      f.routes = f.routes.filter((r) => !(r.to === op.route.to && r.metric === op.route.metric));
      f.routes.push(resolveDev(f, op.route));
      return f;
    }
    case 'route-del': {
      const before = f.routes.length;
      f.routes = f.routes.filter((r) => !(r.to === op.route.to && r.metric === op.route.metric && (!op.route.via || r.via === op.route.via)));
      if (f.routes.length === before) throw new SimulationError('no such route');
      return f;
    }
    case 'neigh-add':
      return addNeighbour(f, op.neighbour);
    case 'sysctl':
      // Forwarding is copied onto every interface by the kernel (sysctl-propagation.ts).
      Object.assign(f.sysctls, propagatedValues(op.name, op.value, f.sysctls));
      f.sysctls[op.name] = op.value;
      return f;
    case 'file-write':
    case 'symlink':
    case 'file-remove': {
      const boot = f.boot ?? { files: [], networkd: {}, ifupdown: [] };
      boot.files = boot.files.filter((x) => x.path !== op.path);
      if (op.kind === 'file-write') boot.files.push({ path: op.path, content: op.content, executable: op.executable });
      if (op.kind === 'symlink') boot.files.push({ path: op.path, symlink: op.target });
      boot.files.sort((a, b) => a.path.localeCompare(b.path));
      f.boot = boot;
      return f;
    }
    case 'systemd-reload':
      return f;
    case 'baseline-set':
      f.baseline = { ...f.baseline, [op.key]: op.value };
      return f;
    case 'baseline-unset': {
      const { [op.key]: _gone, ...rest } = f.baseline ?? {};
      f.baseline = rest;
      return f;
    }
  }
}

/** The kernel fills in the device of a gateway route from the connected route that reaches it. */
function resolveDev(f: Facts, route: RouteFact): RouteFact {
  if (route.dev || !route.via) return { ...route, protocol: route.protocol ?? 'boot' };
  return { ...route, dev: gatewayDevice(f, route.via), protocol: route.protocol ?? 'boot' };
}

/** One copy for the whole list, not one per op: a fleet's planning spent most of its time copying facts. */
export function simulateAll(facts: Facts, ops: readonly Op[]): Facts {
  if (ops.length === 0) return facts;
  return ops.reduce(applyInPlace, clone(facts));
}
