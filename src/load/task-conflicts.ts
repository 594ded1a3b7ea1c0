// Two tasks of a host that want one thing two ways (a sysctl 1 and 0, a link up and down, one
// route by two gateways) would each win in turn: the later silently overrides the earlier, and
// every run changes it again, so "a second run changes nothing" breaks. Refused before anything
// connects, at the later task, naming the earlier one (a review). The same thing asked twice the
// same way is harmless and passes; `state: absent` (back to before teqlctl) is a teardown's, and
// not compared.
import type { Placed } from './instantiate.js';
import type { Problems } from './problems.js';
import { formatPos } from './scope.js';
import { sysctlValue } from '../router/sysctl-path.js';

interface Wanted {
  /** What is asked of the thing, as one comparable text. */
  value: string;
  /** The argument the value is written at. */
  arg: string;
}

/** The things a task sets, and how; none for what is not compared (a ping, a teardown). */
function wanted(p: Placed): Array<{ key: string; what: string } & Wanted> {
  const t = p.instance;
  if (t.module === 'ping' || t.args.state === 'absent') return [];
  switch (t.module) {
    case 'sysctl':
      return [{ key: `sysctl ${t.args.name}`, what: `sysctl ${t.args.name}`, value: sysctlValue(t.args.value ?? ''), arg: 'value' }];
    case 'link':
      return [
        ...(t.args.state !== undefined ? [{ key: `link ${t.args.dev} state`, what: `link ${t.args.dev}`, value: t.args.state, arg: 'state' }] : []),
        ...(t.args.mtu !== undefined ? [{ key: `link ${t.args.dev} mtu`, what: `the MTU of ${t.args.dev}`, value: String(t.args.mtu), arg: 'mtu' }] : []),
      ];
    case 'route': {
      // The kernel keeps one route per destination and metric (in the main table): another
      // gateway for the same pair replaces it. 0.0.0.0/0 is default. Compared by gateway when
      // one is given (a dev beside it only pins it), else by device.
      const metric = t.args.metric ?? 0;
      const to = t.args.to === '0.0.0.0/0' ? 'default' : t.args.to;
      const value = t.args.via !== undefined ? `via ${t.args.via}` : `dev ${t.args.dev}`;
      return [{ key: `route ${to} ${metric}`, what: `the route to ${to} (metric ${metric})`, value, arg: t.args.via !== undefined ? 'via' : 'dev' }];
    }
    // Not teql: a teql task adds the slaves it lists and detaches none, so two tasks of one
    // equalizer (a loop over its links) add up; a link under two equalizers is slave-checks.ts's.
    default:
      return [];
  }
}

export function checkTaskConflicts(placed: readonly Placed[], problems: Problems): void {
  const first = new Map<string, { name: string; at: string; value: string }>();
  for (const p of placed) {
    for (const w of wanted(p)) {
      const key = `${p.host}\u0000${w.key}`;
      const seen = first.get(key);
      const { pos } = p.argAt([w.arg]);
      if (!seen) {
        first.set(key, { name: p.instance.name, at: formatPos(pos), value: w.value });
        continue;
      }
      if (seen.value === w.value) continue;
      problems.add(
        `task "${p.instance.name}" wants ${w.what} as ${w.value}, and task "${seen.name}" (at ${seen.at}) as ${seen.value}: the later would override the earlier on every run`,
        pos,
        'keep one of them, or make both ask the same',
        p.host,
      );
    }
  }
}
