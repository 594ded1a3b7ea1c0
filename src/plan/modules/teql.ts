// teql: sch_teql loaded, the equalizer as root qdisc of every slave, the device up (slaves first:
// the kernel refuses to bring up an equalizer that has none).
import type { TeqlArgs } from '../../load/types.js';
import type { Facts, RootQdiscFact } from '../../gather/facts.js';
import { conflict, guardManagement, guardSessionAddress, linkDownUndo, requireLink, type ModuleResult, type PlanContext } from '../context.js';
import { simulateAll } from '../simulate.js';
import type { Change } from '../types.js';
import type { Op } from '../ops.js';
import { addressAttrs } from '../../gather/address-fact.js';
import { forgetStep, MODULE_KEY } from '../baseline.js';
import { qdiscBack, replacedQdisc } from '../qdisc-baseline.js';
import { ipv6MtuName } from '../facts-needed.js';

function change(ctx: PlanContext, fields: Omit<Change, 'task' | 'pos'>): Change {
  return { ...fields, task: ctx.task, pos: ctx.pos };
}

function deviceIndex(device: string): number {
  return Number(device.slice('teql'.length));
}

export function planTeql(args: TeqlArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  return args.state === 'absent' ? planAbsent(args, facts, ctx) : planPresent(args, facts, ctx);
}

/**
 * The kernel fixes sch_teql's number of equalizers when it loads it. Unloading it destroys every
 * equalizer, so the hint says which are in use (a live hub getting a new branch): that takes a
 * maintenance window.
 */
function tooFewEqualizers(ctx: PlanContext, f: Facts, device: string, needed: number): Error {
  const max = f.teql.maxEqualizers ?? 1;
  // Loaded, and not one teqlN here: sch_teql makes its equalizers in the initial network namespace
  // alone, so this is a container or another namespace. Unloading it (the advice below) would take
  // the host's own equalizers away (a review).
  if (max === 0 && !f.teql.builtin) {
    return conflict(ctx, `sch_teql is loaded, but this router has no equalizer at all (no teqlN device): sch_teql makes them in the host's initial network namespace only, so this looks like a container or a network namespace, where ${device} cannot exist`, 'run teqlctl against the host itself (its initial network namespace), not a container or namespace on it; do not unload sch_teql there for this');
  }
  const inUse = [...new Set(f.rootQdiscs.filter((q) => /^teql\d+$/.test(q.kind)).map((q) => q.kind))].sort();
  const range = max > 1 ? `teql0..teql${max - 1}` : 'teql0';
  if (f.teql.builtin) {
    return conflict(ctx, `sch_teql is built into this kernel with max_equalizers=${max} (${range}), so ${device} does not exist`, `boot with sch_teql.max_equalizers=${needed} on the kernel command line (built in, it cannot be unloaded or reloaded)`);
  }
  const hint = inUse.length > 0
    ? `sch_teql cannot be unloaded while ${inUse.join(', ')} ${inUse.length > 1 ? 'are' : 'is'} in use, and unloading it takes down every bundle of this router: in a maintenance window, take them down (playbooks/teardown.yml), unload it (rmmod sch_teql) and run the play again; teqlctl then loads it with max_equalizers=${needed}`
    : `no equalizer is in use: unload it (rmmod sch_teql) and run again; teqlctl loads it with max_equalizers=${needed}`;
  return conflict(ctx, `sch_teql is loaded with max_equalizers=${max} (${range}), so ${device} does not exist: the kernel fixes the number of equalizers when the module loads`, hint);
}

/**
 * Links the equalizer already spreads traffic over that the task does not name: another bundle's
 * (to another peer), or one left out of this bundle's list. Joined as they were, the bundle's
 * traffic went round them too; a teardown took the equalizer down under them. Neither is silent:
 * refused before any change, naming them.
 */
function refuseForeignSlaves(args: TeqlArgs, f: Facts, ctx: PlanContext, doing: (them: string) => string): void {
  const foreign = f.rootQdiscs.filter((q) => q.kind === args.device && !args.slaves.includes(q.dev)).map((q) => q.dev).sort();
  if (foreign.length === 0) return;
  const them = foreign.join(', ');
  throw conflict(ctx,
    `${args.device} already equalizes ${them}, which this task's slaves (${args.slaves.join(', ')}) do not name: ${doing(foreign.length > 1 ? 'them' : 'it')}`,
    `if ${foreign.length > 1 ? 'they belong' : 'it belongs'} to this bundle, add ${them} to its slaves (teql_slaves); if to another bundle, give this one another equalizer (teql_device: teql1); to take ${foreign.length > 1 ? 'them' : 'it'} out of ${args.device}: tc qdisc del dev ${foreign[0]} root`);
}

function planPresent(args: TeqlArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  const changes: Change[] = [];
  let f = facts;
  // Load it once for every equalizer the play uses: max_equalizers cannot change while loaded.
  const needed = Math.max(deviceIndex(args.device) + 1, ctx.equalizers);

  if (!f.teql.loaded) {
    if (!f.teql.available) {
      throw conflict(ctx, 'the kernel module sch_teql is not available (modinfo sch_teql finds nothing)', 'install a kernel that ships sch_teql (Debian: linux-image-amd64; Alpine: linux-lts; OpenWrt: opkg install kmod-sched), or build it with CONFIG_NET_SCH_TEQL');
    }
    const op = { kind: 'modprobe' as const, module: 'sch_teql' as const, ...(needed > 1 ? { maxEqualizers: needed } : {}) };
    changes.push(change(ctx, {
      action: '+', resource: 'module sch_teql', before: 'not loaded', after: needed > 1 ? `loaded, max_equalizers=${needed}` : 'loaded',
      steps: [{ op, undo: [{ kind: 'rmmod', module: 'sch_teql' }] }],
      reason: 'tc does not load sch_teql by itself: the qdisc kind is teql0, not the module name',
    }));
    f = simulateAll(f, [op]);
  } else if ((f.teql.maxEqualizers ?? 1) <= deviceIndex(args.device)) {
    // This equalizer's task only, not every teql task of the host: on a hub, the bundles whose
    // equalizers exist go on (plan-narrowing.ts fails this one's bundle alone).
    throw tooFewEqualizers(ctx, f, args.device, needed);
  }

  const device = requireLink(ctx, f, args.device);
  refuseForeignSlaves(args, f, ctx, (them) => `the bundle's traffic would be sent over ${them} too`);
  for (const slave of args.slaves) {
    const link = requireLink(ctx, f, slave);
    const root = f.rootQdiscs.find((q) => q.dev === slave);
    if (root && root.kind === args.device) continue;
    // A slave still carries its own traffic (sch_teql queues it as a FIFO would): the session's link
    // may be bundled (a branch managed through its head office over the links being bundled; refused
    // until 2026-12-07), but not with a txqueuelen of 0 (which ip -j omits): every packet is dropped.
    if (!(link.txqlen !== undefined && link.txqlen > 0)) guardManagement(ctx, f, slave, `making ${slave} a slave of ${args.device} (its transmit queue length is ${link.txqlen ?? '0, or not given by ip link'}: at 0, sch_teql drops every packet sent over ${slave} itself; ip link set ${slave} txqueuelen 1000 gives it one)`, true);
    // A port's traffic is its bridge's, bond's or VRF's: addresses on it receive nothing, the checks
    // failed and the run rolled back, the master's traffic sent through the equalizer meanwhile (a review).
    if (link.master !== undefined) throw conflict(ctx, `${slave} is a port of ${link.master}: what it receives is ${link.master}'s, and ${link.master}'s traffic would be sent through ${args.device}`, `take ${slave} out of ${link.master} first (ip link set ${slave} nomaster), or equalize other links`);
    if (device.up && link.mtu < device.mtu) {
      throw conflict(ctx, `${slave} has MTU ${link.mtu}, below ${args.device}'s ${device.mtu}: the kernel refuses such a slave while ${args.device} is up`, `raise ${slave}'s MTU with a link task, or bring ${args.device} down first`);
    }
    if (root?.isDefault && link.up) refuseEarlierDefault(ctx, f, slave, root);
    // The kernel's root over qdiscs set by hand (a multi-queue NIC's per-queue fq): not read, not put back.
    if (root && !root.isDefault && root.handle === '0:') {
      throw conflict(ctx, `${slave}'s ${root.kind} has qdiscs set by hand under it (${(root.children ?? []).join(', ')}), which teqlctl does not read and could not put back`, `remove them if they may go (tc qdisc del dev ${slave} root gives the kernel's default back), or equalize other links`);
    }
    if (root && !root.isDefault && !args.replace) {
      throw conflict(ctx, `${slave} already has the root qdisc ${root.kind} (handle ${root.handle})`, 'remove it, or set `replace: true` on this task to replace it (rollback restores it)');
    }
    const replacing = root !== undefined && !root.isDefault;
    const op = { kind: 'qdisc-root' as const, dev: slave, qdisc: args.device, replace: replacing };
    // Replaced only if it can be put back exactly (refused here, before any change, otherwise), and recorded for the teardown.
    const replaced = replacing ? replacedQdisc(ctx, slave, root!, f.baseline) : undefined;
    const undo: Op[] = replaced?.undo ?? [{ kind: 'qdisc-root-del', dev: slave }];
    changes.push(change(ctx, {
      action: replacing ? '~' : '+', resource: `root qdisc of ${slave}`, before: root && !root.isDefault ? root.kind : 'kernel default', after: args.device,
      steps: [...(replaced?.record ? [replaced.record] : []), { op, undo }],
    }));
    f = simulateAll(f, [...(replaced?.record ? [replaced.record.op] : []), op]);
  }

  const dev = requireLink(ctx, f, args.device);
  if (!dev.up) {
    const op = { kind: 'link' as const, dev: args.device, up: true };
    changes.push(change(ctx, {
      action: '~', resource: `link ${args.device}`, before: 'down', after: 'up',
      steps: [{ op, undo: [{ kind: 'link', dev: args.device, up: false, keepAddresses: true }] }],
    }));
    f = simulateAll(f, [op]);
  }
  // sch_teql changes the MTU of an equalizer that existed before the run: planHost puts it back.
  if (!facts.teql.loaded || changes.length === 0) return { changes, facts: f };
  return { changes, facts: f, equalizerMtu: { device: args.device, slaves: args.slaves, mtuAfter: requireLink(ctx, f, args.device).mtu, bringsUp: !dev.up } };
}

function planAbsent(args: TeqlArgs, facts: Facts, ctx: PlanContext): ModuleResult {
  const changes: Change[] = [];
  let f = facts;
  const dev = f.links.find((l) => l.name === args.device);
  if (dev?.up) refuseForeignSlaves(args, f, ctx, (them) => `taking ${args.device} down would stop the traffic over ${them} too`);
  // A far router managed over the bundle itself (a review: teql absent alone took it down).
  if (dev?.up) guardManagement(ctx, f, args.device, `taking ${args.device} down`);
  if (dev?.up) guardSessionAddress(ctx, f, args.device, `taking ${args.device} down`);
  if (dev?.up) {
    // Its global IPv6 addresses kept (render-op.ts keepingIpv6): the undo's IPv6 routes need them.
    const op = { kind: 'link' as const, dev: args.device, up: false, keepAddresses: true as const };
    changes.push(change(ctx, { action: '~', resource: `link ${args.device}`, before: 'up', after: 'down', steps: [{ op, undo: linkDownUndo(f, args.device, ctx) }] }));
    f = simulateAll(f, [op]);
  }
  for (const slave of args.slaves) {
    const root = f.rootQdiscs.find((q) => q.dev === slave && !q.isDefault);
    // The root a run replaced (qdisc-baseline.ts) rebuilt, or the kernel's default; a stale record forgotten.
    const back = qdiscBack(ctx, slave, args.device, root?.kind, f.baseline);
    if (!back) continue;
    const restores = back.steps.some((st) => st.op.kind === 'baseline-unset');
    changes.push(change(ctx, { action: back.steps.length > 1 || root?.kind !== args.device ? '~' : '-', resource: `root qdisc of ${slave}`, before: root?.kind ?? 'kernel default', after: back.after, steps: back.steps, ...(restores ? { restoresBaseline: true as const } : {}) }));
    f = simulateAll(f, back.steps.map((st) => st.op));
  }
  const unload = unloadModule(f, ctx);
  if (unload) {
    changes.push(unload);
    f = simulateAll(f, unload.steps.map((s) => s.op));
  }
  return { changes: restoresIpv6Mtu(changes, facts, args.device), facts: f };
}

/**
 * Its undo brings teqlN up again (or loads sch_teql again), and addrconf gives its IPv6 MTU the
 * MTU: the value read before goes back last, in the first change's undo (where the kernel takes it).
 */
function restoresIpv6Mtu(changes: Change[], facts: Facts, device: string): Change[] {
  const mtu6 = facts.sysctls[ipv6MtuName(device)];
  const link = facts.links.find((l) => l.name === device);
  const first = changes[0];
  if (mtu6 === undefined || !link || Number(mtu6) > link.mtu || !first) return changes;
  const steps = first.steps.map((s, i) => (i === 0 ? { ...s, undo: [...s.undo, { kind: 'sysctl' as const, name: ipv6MtuName(device), value: mtu6 }] } : s));
  return [{ ...first, steps }, ...changes.slice(1)];
}

/**
 * Unloads sch_teql when teqlctl loaded it (the baseline says so) and no slave uses an equalizer
 * any more. Unloading deletes every teqlN with its addresses and settings: the undo loads the
 * module again and puts those back.
 */
function unloadModule(f: Facts, ctx: PlanContext): Change | undefined {
  const original = f.baseline?.[MODULE_KEY];
  if (original === undefined || f.rootQdiscs.some((q) => /^teql\d+$/.test(q.kind))) return undefined;
  // Already unloaded (a reboot without persist), or built into the kernel (a record of an older
  // teqlctl, which took a built-in sch_teql for not loaded): only the record is left to forget.
  if (!f.teql.loaded || f.teql.builtin) {
    return change(ctx, { action: '~', resource: 'module sch_teql', before: 'not loaded', after: 'not loaded (as before teqlctl)', steps: [forgetStep(MODULE_KEY, original)] });
  }
  const devices = new Set(f.links.filter((l) => /^teql\d+$/.test(l.name)).map((l) => l.name));
  // The equalizers go with the module, their addresses too: the session's own among them (a review).
  for (const d of devices) guardSessionAddress(ctx, f, d, `unloading sch_teql (which removes ${d})`);
  const max = f.teql.maxEqualizers ?? 1;
  const lost = f.addresses.find((a) => devices.has(a.dev) && a.unrestorable);
  if (lost) throw conflict(ctx, `unloading sch_teql removes ${lost.dev} with its address ${lost.cidr}, which could not be put back exactly: ${lost.unrestorable}`, `remove that address from ${lost.dev} by hand first`);
  // IPv6 addresses are not read as IPv4's are: the undo could not put them back, and the teardown
  // removed an operator's address without a word (a review of undo fidelity).
  const v6 = f.flushable?.ipv6Addressed?.find((d) => devices.has(d));
  if (v6) throw conflict(ctx, `unloading sch_teql removes ${v6} with its IPv6 addresses, which teqlctl does not put back`, `remove ${v6}'s IPv6 addresses by hand first (ip -6 addr flush dev ${v6})`);
  const undo: Op[] = [
    { kind: 'modprobe', module: 'sch_teql', ...(max > 1 ? { maxEqualizers: max } : {}) },
    ...f.addresses.filter((a) => devices.has(a.dev)).map((a) => {
      const attrs = addressAttrs(a);
      return { kind: 'addr-add' as const, dev: a.dev, cidr: a.cidr, ...(attrs ? { attrs } : {}) };
    }),
    ...[...devices].flatMap((d) => {
      const name = `net.ipv4.conf.${d}.rp_filter`;
      const value = f.sysctls[name];
      return value === undefined ? [] : [{ kind: 'sysctl' as const, name, value }];
    }),
  ];
  return change(ctx, {
    action: '-', resource: 'module sch_teql', before: 'loaded', after: 'not loaded (as before teqlctl)',
    steps: [{ op: { kind: 'rmmod', module: 'sch_teql' }, undo }, forgetStep(MODULE_KEY, original)],
    reason: 'teqlctl loaded it, and no interface uses an equalizer any more',
  });
}

/**
 * An up link's default qdisc is the one net.core.default_qdisc named when the link came up (or
 * pfifo_fast: a link the initramfs brought up before the sysctl was set, the queues a later
 * `ethtool -L` added): the sysctl changed since (`sysctl -p` after default_qdisc=fq), the undo's
 * `tc qdisc del root` gave the link the new one, not the one it had, and the state compared equal
 * (default roots are alike to it): refused before any change (a review of undo fidelity).
 */
const DEFAULT_QDISC = 'net.core.default_qdisc';
/** Kinds a default root has whatever the sysctl says: a link without a queue, a link down, one this plan gave back ('default'). */
const NOT_FROM_SYSCTL = ['noqueue', 'noop', 'default'];

function refuseEarlierDefault(ctx: PlanContext, f: Facts, slave: string, root: RootQdiscFact): void {
  const now = f.sysctls[DEFAULT_QDISC];
  if (now === undefined) return;
  const earlier = [...new Set((root.children ?? [root.kind]).filter((k) => k !== now && !NOT_FROM_SYSCTL.includes(k)))];
  if (earlier.length === 0) return;
  throw conflict(ctx, `${slave}'s qdisc ${earlier.join(', ')} is not the one the kernel attaches now (${DEFAULT_QDISC} is ${now}): the undo (tc qdisc del root) would give ${slave} ${now}, not what it has`,
    `give ${slave} today's default first (tc qdisc del dev ${slave} root), or equalize other links`);
}
