// Renders an op as the iproute2 / kmod / procfs command that performs it.
import type { Op } from '../plan/ops.js';
import type { RouteFact } from '../gather/facts.js';
import { shellJoin, shellQuote } from './shell-quote.js';
import { sysctlPath } from '../gather/sysctl-path.js';

function routeArgs(r: RouteFact): string[] {
  const args = [r.to];
  if (r.via) args.push('via', r.via);
  if (r.dev) args.push('dev', r.dev);
  args.push('metric', String(r.metric));
  return args;
}

export function renderOp(op: Op): string {
  switch (op.kind) {
    case 'modprobe':
      return shellJoin(['modprobe', op.module, ...(op.maxEqualizers ? [`max_equalizers=${op.maxEqualizers}`] : [])]);
    case 'rmmod':
      return shellJoin(['modprobe', '-r', op.module]);
    case 'link': {
      const args = ['ip', 'link', 'set', 'dev', op.dev];
      if (op.mtu !== undefined) args.push('mtu', String(op.mtu));
      if (op.up !== undefined) args.push(op.up ? 'up' : 'down');
      return shellJoin(args);
    }
    case 'qdisc-root':
      return shellJoin(['tc', 'qdisc', op.replace ? 'replace' : 'add', 'dev', op.dev, 'root', op.qdisc]);
    case 'qdisc-root-del':
      return shellJoin(['tc', 'qdisc', 'del', 'dev', op.dev, 'root']);
    case 'addr-add':
      return shellJoin(['ip', 'addr', 'add', op.cidr, 'dev', op.dev]);
    case 'addr-del':
      return shellJoin(['ip', 'addr', 'del', op.cidr, 'dev', op.dev]);
    case 'route-add':
      return shellJoin(['ip', 'route', 'add', ...routeArgs(op.route)]);
    case 'route-del':
      return shellJoin(['ip', 'route', 'del', ...routeArgs(op.route)]);
    case 'route-replace':
      return shellJoin(['ip', 'route', 'replace', ...routeArgs(op.route)]);
    case 'sysctl':
      // Writing /proc/sys directly: a failed write is a non-zero exit, unlike `sysctl -w`.
      return `printf '%s\\n' ${shellQuote(op.value)} > ${shellQuote(sysctlPath(op.name))}`;
  }
}
