// Router operations as data. The planner emits them, apply/ renders them to iproute2 commands,
// and simulate.ts replays them on facts so the planner can thread state from task to task.
import type { AddressAttrs, NeighbourFact, RootQdiscFact, RouteFact } from '../gather/facts.js';

export type Op =
  | { kind: 'modprobe'; module: 'sch_teql'; maxEqualizers?: number }
  | { kind: 'rmmod'; module: 'sch_teql' }
  /** keepAddresses: down without losing its IPv6 addresses (an undo: teqlctl does not read them). */
  | { kind: 'link'; dev: string; up?: boolean; mtu?: number; keepAddresses?: true }
  | { kind: 'qdisc-root'; dev: string; qdisc: string; replace: boolean }
  | { kind: 'qdisc-root-del'; dev: string }
  /** Puts back a root qdisc exactly (handle, kind, options) with `tc ${args}`; `root` is what it restores. */
  | { kind: 'qdisc-restore'; dev: string; root: RootQdiscFact; args: string[] }
  /** attrs: an undo's, putting back an address as it was read (gather/address-fact.ts). */
  | { kind: 'addr-add'; dev: string; cidr: string; attrs?: AddressAttrs }
  /** peer: a point-to-point address is found by its peer too. */
  | { kind: 'addr-del'; dev: string; cidr: string; peer?: string }
  | { kind: 'route-add'; route: RouteFact }
  | { kind: 'route-del'; route: RouteFact }
  | { kind: 'route-replace'; route: RouteFact }
  /** A permanent neighbour put back (an undo: the kernel flushed it with its link, Facts.flushable). */
  | { kind: 'neigh-add'; neighbour: NeighbourFact }
  | { kind: 'sysctl'; name: string; value: string }
  // Boot configuration (written only once a run is verified) and the baseline of first values.
  | { kind: 'file-write'; path: string; content: string; executable: boolean }
  | { kind: 'file-remove'; path: string }
  | { kind: 'symlink'; path: string; target: string }
  | { kind: 'systemd-reload' }
  | { kind: 'baseline-set'; key: string; value: string }
  | { kind: 'baseline-unset'; key: string };

/** An op and the ops that undo it (in order), computed from the `before` state at plan time. */
export interface PlannedStep {
  op: Op;
  undo: Op[];
}

/**
 * Does the op's effect outlive a reboot (a file on disk)? The others change the running kernel only
 * (links, addresses, routes, qdiscs, sysctls, the module, systemd's loaded units), which a reboot
 * resets by itself: their write-ahead journal line need not reach the disk before they run.
 */
export function survivesReboot(op: Op): boolean {
  switch (op.kind) {
    case 'modprobe':
    case 'rmmod':
    case 'link':
    case 'qdisc-root':
    case 'qdisc-root-del':
    case 'qdisc-restore':
    case 'addr-add':
    case 'addr-del':
    case 'route-add':
    case 'route-del':
    case 'route-replace':
    case 'neigh-add':
    case 'sysctl':
    case 'systemd-reload':
      return false;
    default:
      // Files, the baseline, and any kind added later: synced unless listed above as kernel-only.
      return true;
  }
}
