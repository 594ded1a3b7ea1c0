// What "a hub rolled back its failed bundles" means: every line of state that belongs to them is as
// in the snapshot, every other line (its healthy bundles, what they share) as before the undo.
import type { Facts } from '../gather/facts.js';
import { rpFilterDevice } from '../router/sysctl-path.js';
import { flushedLines, stateLines, type StateDiff } from './compare.js';
import type { Flushed } from '../plan/simulate-routes.js';
import { overwrittenBy } from '../plan/sysctl-propagation.js';
import { inRunScope, type RunScope } from './run-scope.js';

const ALL = 'net.ipv4.conf.all.rp_filter';

/** The kernel's reverse-path filtering on `dev`: max(conf.all, conf.dev). */
function effective(f: Facts, name: string): number {
  return Math.max(Number(f.sysctls[ALL] ?? 0), Number(f.sysctls[name] ?? 0));
}

/**
 * The failed bundles' per-device rp_filter lines, as the kernel applies them. `conf.all` is shared:
 * lowered for the kept bundles, it stays low, so a failed bundle's link set back to its own value
 * alone would filter less than before the run; it is raised to its old effective value instead
 * (rpFilterRaises), and compared by that.
 */
function withEffectiveRpFilter(f: Facts, lines: Set<string>, goes: (line: string) => boolean): Set<string> {
  const out = new Set<string>();
  for (const l of lines) {
    const m = /^sysctl (net\.ipv4\.conf\.(\S+)\.rp_filter) = /.exec(l);
    out.add(m && m[2] !== 'all' && goes(l) ? `rp_filter in effect on ${m[2]} = ${effective(f, m[1]!)}` : l);
  }
  return out;
}

/**
 * `goes(line)`: the line belongs to the failed bundles only. One exception: an equalizer device the
 * shared sch_teql created (max_equalizers) stays, down and with its default sysctls, when its bundle
 * goes, since the module stays. `flushed`: the devices whose flush the undone steps caused, whose
 * other tables' routes, IPv6 routes and static neighbours must be as in the snapshot, as a whole
 * rollback checks them (diffState; until 2026-12-05 a hub's partial rollback did not). `scope`:
 * the lines the run answers for (run-scope.ts), as a whole rollback's.
 */
export function partialResidual(snapshot: Facts, before: Facts, after: Facts, goesWithBundle: (line: string) => boolean, flushed: Flushed | ReadonlySet<string> = new Map(), scope?: RunScope): StateDiff {
  // An interface's forwarding is what the kept global forwarding (shared by the bundles, kept with
  // the healthy ones) made it: the kernel copies the global onto every interface, so a failed
  // bundle's link keeps the value before the undo, not the snapshot's (sysctl-propagation.ts).
  const keptGlobal = (g: string) => snapshot.sysctls[g] !== before.sysctls[g] && !goesWithBundle(`sysctl ${g} = ${before.sysctls[g]}`);
  const goes = (l: string) => {
    const name = /^sysctl (\S+) = /.exec(l)?.[1];
    return goesWithBundle(l) && !(name !== undefined && overwrittenBy(name).some(keptGlobal));
  };
  const [was, is] = flushedLines(snapshot, after, flushed);
  const fromSnapshot = withEffectiveRpFilter(snapshot, new Set([...stateLines(snapshot)].filter(goes)), goes);
  const expected = new Set([...fromSnapshot, ...[...stateLines(before)].filter((l) => !goes(l)), ...was]);
  const now = new Set([...withEffectiveRpFilter(after, stateLines(after), goes), ...is]);
  // The device's own state only (down, its default sysctls): an address, a route or a qdisc on it still counts.
  const madeBy = (l: string) => /^link (teql\d+) down /.exec(l)?.[1] ?? /^sysctl net\.ipv[46]\.(?:conf|neigh)\.(teql\d+)\./.exec(l)?.[1] ?? /^rp_filter in effect on (teql\d+) /.exec(l)?.[1];
  const moduleMade = (l: string) => {
    const dev = madeBy(l);
    return dev !== undefined && !snapshot.links.some((k) => k.name === dev) && (goes(l) || l.startsWith('rp_filter in effect'));
  };
  // The raise's own record (play/partial-batches.ts): a raised link's own value before the run, kept
  // as the baseline, as the all-rule records the links it raises (the boot files pin them by it).
  const raiseRecord = (l: string) => {
    const m = /^baseline sysctl:(net\.ipv4\.conf\.(\S+)\.rp_filter) = (\S+)$/.exec(l);
    if (!m || m[2] === 'all' || m[2] === 'default' || !goes(l)) return false;
    const name = m[1]!;
    return snapshot.baseline?.[`sysctl:${name}`] === undefined && snapshot.sysctls[name] === m[3] && Number(after.sysctls[name] ?? 0) > Number(m[3]);
  };
  // Another device's lines, which someone else moved meanwhile, are not the run's (run-scope.ts).
  const ours = (l: string) => scope === undefined || inRunScope(l, scope);
  return {
    missing: [...expected].filter((x) => !now.has(x) && ours(x)).sort(),
    extra: [...now].filter((x) => !expected.has(x) && !moduleMade(x) && !raiseRecord(x) && ours(x)).sort(),
  };
}

/** The failed bundles' links that now filter less than before the run (conf.all stayed low), and the value they need. */
export function rpFilterRaises(snapshot: Facts, after: Facts, goes: (line: string) => boolean): Array<{ name: string; from: string; to: string }> {
  const out: Array<{ name: string; from: string; to: string }> = [];
  for (const [name, value] of Object.entries(after.sysctls)) {
    const dev = rpFilterDevice(name);
    if (!dev || dev === 'all' || dev === 'default' || !goes(`sysctl ${name} = ${value}`) || snapshot.sysctls[name] === undefined) continue;
    const want = effective(snapshot, name);
    if (effective(after, name) < want) out.push({ name, from: value, to: String(want) });
  }
  return out;
}
