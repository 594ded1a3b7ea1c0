// The exact rebuild of a root qdisc that `teql … replace: true` replaces, from what the facts read
// (`tc -j -d qdisc show` for its options, `tc -d qdisc/class/filter show` for what hangs under it),
// or why it cannot be rebuilt exactly: the planner then refuses before any change. Pure.
import type { RootQdiscFact } from '../gather/facts.js';

export type Restore = { args: string[] } | { why: string };

const FIFO = ['pfifo', 'bfifo', 'pfifo_head_drop'];

/** `tc` arguments that put `q` back as it is (handle, kind, every option), or why they cannot. */
export function restoreArgs(q: RootQdiscFact): Restore {
  const d = q.detail;
  if (!d || !q.options) return { why: 'its options, classes and filters were not read' };
  // An ingress or clsact qdisc (parent ffff:fff1) is beside the root, not under it: a root's
  // replace leaves it as it is. It was counted under the root, and a plain tbf refused (a review).
  const qdiscs = d.qdiscs.filter((l) => !/ parent ffff:fff1\b/.test(l));
  if (qdiscs.length > 1) return { why: `${qdiscs.length - 1} more qdisc(s) hang under it` };
  // tbf has one class of its own (the slot of its inner qdisc), always there.
  const classes = q.kind === 'tbf' ? d.classes.filter((c) => !/^class tbf \S+ parent \S+/.test(c)) : d.classes;
  if (classes.length > 0) return { why: `it has ${classes.length} class(es), which tc shows as text only (\`tc -j class show\`), so they cannot be read back exactly` };
  if (d.filters.length > 0) return { why: 'it has filters, which cannot be rebuilt exactly from what tc shows' };
  const params = paramsOf(q.kind, q.options, qdiscs[0] ?? '');
  if ('why' in params) return params;
  return { args: ['qdisc', 'replace', 'dev', q.dev, 'root', 'handle', q.handle, q.kind, ...params.args] };
}

/**
 * The µs to give tc for a CoDel time that tc shows as `shown` µs. The kernel keeps these times in
 * units of 1024 ns (CODEL_SHIFT) and shows them rounded down: 5ms shows as 4999us, and giving
 * 4999us back would store one unit less. This is the smallest value that stores the same unit.
 */
export function codelUs(shown: number): number {
  const units = Math.ceil((shown * 1000) / 1024);
  return Math.ceil((units * 1024) / 1000);
}

function paramsOf(kind: string, o: Record<string, unknown>, text: string): Restore {
  const unknown = (known: string[]) => Object.keys(o).find((k) => !known.includes(k));
  const num = (k: string) => (typeof o[k] === 'number' && Number.isInteger(o[k]) ? String(o[k]) : undefined);
  if (FIFO.includes(kind)) {
    const extra = unknown(['limit']);
    if (extra) return { why: `the ${kind} option ${extra} is not understood` };
    return { args: num('limit') ? ['limit', num('limit')!] : [] };
  }
  if (kind === 'tbf') {
    // tc -j omits the peak rate (it shows only its mtu); the text shows it.
    if ('mtu' in o || /\bpeakrate\b/.test(text)) return { why: 'it has a peak rate, which `tc -j` does not show' };
    const extra = unknown(['rate', 'burst', 'mpu', 'lat', 'linklayer']);
    if (extra) return { why: `the tbf option ${extra} is not understood` };
    if ((o.linklayer ?? 'ethernet') !== 'ethernet') return { why: `its link layer ${String(o.linklayer)} is not understood` };
    const burst = /^(\d+(?:\.\d+)?[KMG]?b)\/\d+$/.exec(String(o.burst ?? ''))?.[1];
    if (!num('rate') || !burst || !num('lat')) return { why: 'its rate, burst or latency is missing' };
    return { args: ['rate', `${Number(o.rate) * 8}bit`, 'burst', burst, 'latency', `${num('lat')}us`, ...(o.mpu ? ['mpu', String(o.mpu)] : [])] };
  }
  if (kind === 'fq_codel') {
    const extra = unknown(['limit', 'flows', 'quantum', 'target', 'interval', 'memory_limit', 'ecn', 'drop_batch', 'ce_threshold']);
    if (extra) return { why: `the fq_codel option ${extra} is not understood` };
    const args: string[] = [];
    for (const k of ['limit', 'flows', 'quantum', 'memory_limit', 'drop_batch']) if (num(k)) args.push(k, num(k)!);
    for (const k of ['target', 'interval', 'ce_threshold']) if (num(k)) args.push(k, `${codelUs(Number(o[k]))}us`);
    // tc shows `ecn` only when it is on (the kernel's default): its absence means noecn.
    args.push(o.ecn === true ? 'ecn' : 'noecn');
    return { args };
  }
  if (kind === 'htb') {
    const extra = unknown(['r2q', 'default', 'direct_packets_stat', 'ver', 'direct_qlen', 'offload']);
    if (extra) return { why: `the htb option ${extra} is not understood` };
    // tc prints it with %#llx: "0x10", but "0" for class 0 (the # adds no 0x to a zero).
    const def = /^(?:0x)?([0-9a-f]+)$/i.exec(String(o.default ?? '0x0'))?.[1];
    if (def === undefined) return { why: `its default class ${String(o.default)} is not understood` };
    // `offload` (tc shows it only when set): restored without it, the htb left the hardware (a review).
    return { args: [...(num('r2q') ? ['r2q', num('r2q')!] : []), 'default', def, ...(num('direct_qlen') ? ['direct_qlen', num('direct_qlen')!] : []), ...('offload' in o ? ['offload'] : [])] };
  }
  return { why: `teqlctl cannot read every parameter of a ${kind} qdisc from tc` };
}
