// What a host's boot configuration must bring back, read off the persisted tasks and the facts the
// plan expects once applied: plain data, rendered into files by the other modules of this folder.
import type { Facts, RouteFact } from '../../gather/facts.js';
import type { TaskInstance } from '../../load/types.js';
import { rpFilterDevice } from '../../router/sysctl-path.js';
import { sysctlKey } from '../baseline.js';
import { propagation } from '../sysctl-propagation.js';

/** One configuration command for boot, in playbook order; `dev` is the interface it configures. */
export type BootStep =
  | { kind: 'link'; dev: string; up?: boolean; mtu?: number }
  | { kind: 'slave'; dev: string; teql: string }
  | { kind: 'teql-up'; dev: string }
  | { kind: 'address'; dev: string; cidr: string }
  | { kind: 'route'; dev?: string; route: RouteFact };

export interface BootModel {
  host: string;
  steps: BootStep[];
  /** sch_teql must be loaded at boot; maxEqualizers when more than one equalizer is used; builtin: it is there from boot (no modprobe). */
  teql?: { maxEqualizers: number; builtin?: true };
  /** name -> value, in the order they must be applied (all and default first). */
  sysctls: [string, string][];
}

const ALL = 'net.ipv4.conf.all.rp_filter';
const DEFAULT = 'net.ipv4.conf.default.rp_filter';

export function bootModel(host: string, tasks: readonly TaskInstance[], expected: Facts): BootModel {
  const steps: BootStep[] = [];
  const sysctls = new Map<string, string>();
  let maxEqualizers = 0;
  let rpFilter = false;
  for (const t of tasks) {
    if (!t.persist) continue;
    switch (t.module) {
      case 'link':
        if (t.args.state === 'absent') break;
        steps.push({ kind: 'link', dev: t.args.dev, ...(t.args.state ? { up: t.args.state === 'up' } : {}), ...(t.args.mtu !== undefined ? { mtu: t.args.mtu } : {}) });
        break;
      case 'teql':
        if (t.args.state === 'absent') break;
        maxEqualizers = Math.max(maxEqualizers, Number(t.args.device.slice(4)) + 1);
        for (const s of t.args.slaves) steps.push({ kind: 'slave', dev: s, teql: t.args.device });
        steps.push({ kind: 'teql-up', dev: t.args.device });
        break;
      case 'address':
        if (t.args.state === 'present') steps.push({ kind: 'address', dev: t.args.dev, cidr: t.args.address });
        break;
      case 'route': {
        if (t.args.state === 'absent') break;
        const metric = t.args.metric ?? 0;
        // The kernel picked the device of a gateway route: boot must use the same one.
        const actual = expected.routes.find((r) => r.to === t.args.to && r.metric === metric);
        const route: RouteFact = { to: t.args.to, metric, ...(t.args.via ? { via: t.args.via } : {}), ...(t.args.dev ? { dev: t.args.dev } : {}) };
        const dev = t.args.dev ?? actual?.dev;
        steps.push({ kind: 'route', route, ...(dev ? { dev } : {}) });
        break;
      }
      case 'sysctl':
        if (t.args.state === 'absent') break;
        sysctls.set(t.args.name, t.args.value!);
        if (rpFilterDevice(t.args.name)) rpFilter = true;
        break;
      case 'ping':
        break;
    }
  }
  // The all-rule's companions (all lowered, others raised) are part of turning rp_filter off; the
  // equalizers' own values are pinned too, as they depend on when the module loads at boot.
  if (rpFilter) {
    for (const dev of new Set(steps.flatMap((s) => (s.kind === 'teql-up' ? [s.dev] : [])))) {
      const name = `net.ipv4.conf.${dev}.rp_filter`;
      if (!sysctls.has(name) && expected.sysctls[name] !== undefined) sysctls.set(name, expected.sysctls[name]!);
    }
    for (const key of Object.keys(expected.baseline ?? {})) {
      const name = key.slice('sysctl:'.length);
      if (key === sysctlKey(name) && rpFilterDevice(name) && !sysctls.has(name) && expected.sysctls[name] !== undefined) {
        sysctls.set(name, expected.sysctls[name]!);
      }
    }
  }
  // Forwarding's globals before any interface's value: the kernel copies them onto every interface
  // (sysctl-propagation.ts), so one written after eth0's would overwrite it at every boot.
  const rank = (n: string) => (propagation(n) ? -1 : n === ALL ? 0 : n === DEFAULT ? 1 : 2);
  return {
    host,
    steps,
    ...(maxEqualizers > 0 ? { teql: { maxEqualizers, ...(expected.teql.builtin ? { builtin: true as const } : {}) } } : {}),
    sysctls: [...sysctls].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)),
  };
}

/** Interfaces the boot configuration configures (teqlN excluded: the module creates them). */
export function bootDevices(model: BootModel): string[] {
  const devs = model.steps.flatMap((s) => (s.kind === 'teql-up' || s.kind === 'route' ? [] : [s.dev]));
  return [...new Set(devs)].filter((d) => !/^teql\d+$/.test(d));
}
