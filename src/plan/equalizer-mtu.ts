// Where the undo puts back the MTU of an equalizer that existed before the run. sch_teql gives
// teqlN the MTU of the first slave that attaches, lowers it to each smaller one that attaches
// while it is down, gives it its slaves' smallest when it opens, and leaves it so when they detach
// (teql_qdisc_init, teql_master_open), all without telling IPv6, whose MTU catches up when teqlN
// comes up. The kernel refuses an equalizer MTU above any attached slave's (teql_master_mtu,
// EINVAL), and slaves attached before the run stay attached through the undo: the MTU goes back
// only after their own MTUs did, and to its value before the run (not before the teql task).
import type { Facts } from '../gather/facts.js';
import { conflict, type PlanContext } from './context.js';
import type { Op, PlannedStep } from './ops.js';
import type { Change } from './types.js';
import { ipv6MtuName } from './facts-needed.js';
import { sysctlCommandName } from '../router/sysctl-path.js';

export interface EqualizerMtu {
  device: string;
  /** The slaves the task names. */
  slaves: readonly string[];
  /** Its MTU once the task ran. */
  mtuAfter: number;
  /** Whether the task brings it up (addrconf then gives its IPv6 MTU the MTU). */
  bringsUp: boolean;
}

const isMtuOf = (devs: readonly string[]) => (s: PlannedStep) => s.op.kind === 'link' && s.op.mtu !== undefined && devs.includes(s.op.dev);

/**
 * The changes to replace (old -> new) so that the undo sets the equalizer's MTU last of all that
 * concerns it: in the undo of the MTU step of the earliest change to a kept slave's MTU (undos run
 * last change first), else of the teql task's first change. `earlier`: every change planned before
 * that one, in order; `runBefore`: the facts read before the run's first change; `now`: those the
 * plan starts from (the same, or read after part of the run: a hub's replan, a later play).
 * Refused, before the teql task changes anything, where no undo could put the old values back.
 */
export function placeEqualizerMtu(earlier: readonly Change[], first: Change, want: EqualizerMtu, runBefore: Facts, now: Facts, ctx: PlanContext): Map<Change, Change> {
  const was = runBefore.links.find((l) => l.name === want.device);
  if (!was) return new Map(); // made by this run (an earlier play loaded sch_teql): its undo unloads it
  const kept = runBefore.rootQdiscs.filter((q) => q.kind === want.device).map((q) => q.dev);
  const below = runBefore.links.find((l) => kept.includes(l.name) && l.mtu < was.mtu);
  if (below && want.mtuAfter !== was.mtu) {
    throw conflict(ctx, `${want.device} has MTU ${was.mtu}, above its slave ${below.name}'s ${below.mtu}: the run would change it, and a rollback could not put ${was.mtu} back (the kernel refuses an equalizer MTU above a slave's)`, `set ${want.device}'s MTU to ${below.mtu} or ${below.name}'s to ${was.mtu} (ip link set ...) and run again: a state the kernel can return to`);
  }
  const mtu6 = runBefore.sysctls[ipv6MtuName(want.device)];
  const syncs6 = mtu6 !== undefined && !was.up && want.bringsUp;
  // The kernel takes an IPv6 MTU from 1280 up to the link's (addrconf_sysctl_mtu).
  if (syncs6 && Number(mtu6) > was.mtu) {
    throw conflict(ctx, `${want.device}'s IPv6 MTU is ${mtu6}, above its MTU ${was.mtu} (sch_teql lowered it without telling IPv6): bringing it up sets ${was.mtu}, and a rollback could not put ${mtu6} back`, `${was.mtu >= 1280 ? `sysctl -w ${sysctlCommandName('ipv6', want.device, 'mtu')}=${was.mtu}` : `ip link set dev ${want.device} down; ip link set dev ${want.device} mtu ${mtu6}, with its slaves at ${mtu6} or more,`} and run again`);
  }
  // A kept slave whose MTU an applied part of this run changed: when this plan is a hub's replan,
  // the journaled change carries the restore (the first plan put it there); after another play,
  // no undo can come after that play's, and the rollback's comparison names what is left.
  const slaves = kept.filter((d) => want.slaves.includes(d));
  const touched = earlier.find((c) => c.steps.some(isMtuOf(slaves)));
  const applied = slaves.some((d) => now.links.find((l) => l.name === d)?.mtu !== runBefore.links.find((l) => l.name === d)?.mtu);
  if (!touched && applied) return new Map();
  const target = touched ?? first;
  const at = touched ? target.steps.findIndex(isMtuOf(slaves)) : target.steps.findIndex((s) => s.op.kind !== 'baseline-set' && s.op.kind !== 'baseline-unset');
  const restore: Op[] = [
    ...(below ? [] : [{ kind: 'link' as const, dev: want.device, mtu: was.mtu }]),
    ...(syncs6 ? [{ kind: 'sysctl' as const, name: ipv6MtuName(want.device), value: mtu6 }] : []),
  ];
  if (restore.length === 0 || at < 0) return new Map();
  const steps = target.steps.map((s, i) => (i === at ? { ...s, undo: [...s.undo, ...restore] } : s));
  return new Map([[target, { ...target, steps }]]);
}
