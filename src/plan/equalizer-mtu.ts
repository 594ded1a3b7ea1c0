// Where the undo puts back the MTU of an equalizer that existed before the run. sch_teql gives
// teqlN its first slave's MTU when one attaches, its slaves' smallest when it opens, and leaves it
// so when they detach (teql_qdisc_init, teql_master_open). The kernel refuses an equalizer MTU
// above any attached slave's (teql_master_mtu, EINVAL), and slaves attached before the run stay
// attached through the undo: the MTU goes back only after their own MTUs did.
import type { Facts } from '../gather/facts.js';
import { conflict, type PlanContext } from './context.js';
import type { Op } from './ops.js';
import type { Change } from './types.js';
import { ipv6MtuName } from './facts-needed.js';

export interface EqualizerMtu {
  device: string;
  /** Its MTU before the teql task. */
  mtu: number;
  /** Whether the task leaves it another MTU. */
  changed: boolean;
  /**
   * Its IPv6 MTU before the task, when the task brings it up: the kernel then gives it the MTU,
   * which sch_teql set without telling IPv6 (a stale value an exact undo puts back).
   */
  mtu6?: number;
}

/**
 * The changes to replace (old -> new) so that the undo sets the equalizer's MTU last of all that
 * concerns it: in the undo of the earliest change to a kept slave's MTU (undos run last change
 * first), else of the teql task's first change. `earlier` is every change planned before that one,
 * in order; `before` the facts read before the run. Refused, before any change, when the old MTU
 * is above a kept slave's: no undo could put it back.
 */
export function placeEqualizerMtu(earlier: readonly Change[], first: Change, want: EqualizerMtu, before: Facts, ctx: PlanContext): Map<Change, Change> {
  const kept = before.rootQdiscs.filter((q) => q.kind === want.device).map((q) => q.dev);
  const below = before.links.find((l) => kept.includes(l.name) && l.mtu < want.mtu);
  if (below && want.changed) {
    throw conflict(ctx, `${want.device} has MTU ${want.mtu}, above its slave ${below.name}'s ${below.mtu}: the run would change it, and a rollback could not put ${want.mtu} back (the kernel refuses an equalizer MTU above a slave's)`, `before the run, set ${want.device}'s MTU to ${below.mtu} or ${below.name}'s to ${want.mtu} (ip link set ...): a state the kernel can return to`);
  }
  // The kernel takes an IPv6 MTU up to the link's only (addrconf_sysctl_mtu).
  if (want.mtu6 !== undefined && want.mtu6 > want.mtu) {
    throw conflict(ctx, `${want.device}'s IPv6 MTU is ${want.mtu6}, above its MTU ${want.mtu} (sch_teql lowered it without telling IPv6): bringing it up sets ${want.mtu}, and a rollback could not put ${want.mtu6} back`, `before the run: sysctl -w net.ipv6.conf.${want.device}.mtu=${want.mtu}`);
  }
  const touchesKept = (c: Change) => c.steps.some((s) => s.op.kind === 'link' && s.op.mtu !== undefined && kept.includes(s.op.dev));
  const target = earlier.find(touchesKept) ?? first;
  const restore: Op[] = [
    ...(below ? [] : [{ kind: 'link' as const, dev: want.device, mtu: want.mtu }]),
    ...(want.mtu6 !== undefined ? [{ kind: 'sysctl' as const, name: ipv6MtuName(want.device), value: String(want.mtu6) }] : []),
  ];
  if (restore.length === 0) return new Map();
  const steps = target.steps.map((s, i) => (i === 0 ? { ...s, undo: [...s.undo, ...restore] } : s));
  return new Map([[target, { ...target, steps }]]);
}
