// A thorough read of a lab router's state, for prior-states.ts: links (ip -d), addresses in the
// kernel's order with their flags, IPv4 and IPv6 routes of every table, policy rules, qdiscs, the
// module, and every sysctl under net.ipv4.conf.* and net.ipv6.conf.*, forwarding, tcp_reordering.
// Dropped as the kernel's own doing: link counters, the lifetimes of dynamic addresses, neighbour
// entries (not read), the kernel's default root qdiscs (handle 0:, noop on a link never up and
// pfifo_fast/fq_codel once it was, the same default; so also a link's `qdisc` field), and `refcnt`.
// Classed as kernel-made, printed but not counted: an equalizer's IFF_BROADCAST/IFF_POINTOPOINT,
// which sch_teql copies from its slaves when they attach and when it opens (teql_qdisc_init,
// teql_master_open) and which no netlink call can set back (dev_change_flags ignores them).
export const STATE_SCRIPT = `
export LANG=C
echo "## links"; ip -d -j link show
echo "## addresses"; ip -j addr show
echo "## routes4"; ip -4 -j route show table all
echo "## routes6"; ip -6 -j route show table all
echo "## rules4"; ip -4 -j rule show
echo "## rules6"; ip -6 -j rule show
echo "## qdiscs"; tc -j qdisc show
echo "## module"; if [ -d /sys/module/sch_teql ]; then echo "loaded max_equalizers=$(cat /sys/module/sch_teql/parameters/max_equalizers 2>/dev/null)"; else echo "not loaded"; fi
echo "## sysctls"
for f in /proc/sys/net/ipv4/conf/*/* /proc/sys/net/ipv6/conf/*/* /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv4/tcp_reordering; do
  case "$f" in */stable_secret) continue;; esac
  v=; read -r v < "$f" 2>/dev/null && echo "$f $v"
done
`;

/** One JSON value as text with its keys sorted, so that equal values read alike. */
function canon(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

function omit(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

const SECTIONS: Record<string, (text: string) => string[]> = {
  links: (t) =>
    (JSON.parse(t) as any[]).flatMap((l) => {
      const teql = /^teql\d+$/.test(l.ifname);
      const flags = (l.flags as string[]).filter((f) => !teql || (f !== 'BROADCAST' && f !== 'POINTOPOINT'));
      const kernel = teql ? [`kernel-made ${l.ifname} flags ${(l.flags as string[]).filter((f) => !flags.includes(f)).join(',') || '-'}`] : [];
      return [`link ${l.ifname} ${canon({ ...omit(l, ['stats', 'stats64', 'qdisc']), flags })}`, ...kernel];
    }),
  addresses: (t) =>
    (JSON.parse(t) as any[]).flatMap((l) =>
      (l.addr_info as any[]).map((a, i) => `addr ${l.ifname} #${i} ${canon(a.dynamic ? omit(a, ['valid_life_time', 'preferred_life_time']) : a)}`),
    ),
  routes4: (t) => (JSON.parse(t) as any[]).map((r) => `route4 ${canon(omit(r, ['expires']))}`).sort(),
  routes6: (t) => (JSON.parse(t) as any[]).map((r) => `route6 ${canon(omit(r, ['expires']))}`).sort(),
  rules4: (t) => (JSON.parse(t) as any[]).map((r) => `rule4 ${canon(r)}`),
  rules6: (t) => (JSON.parse(t) as any[]).map((r) => `rule6 ${canon(r)}`),
  qdiscs: (t) => (JSON.parse(t) as any[]).filter((q) => q.handle !== '0:').map((q) => `qdisc ${q.dev} ${canon(omit(q, ['refcnt']))}`).sort(),
  module: (t) => t.split('\n').filter(Boolean).map((l) => `sch_teql ${l}`),
  sysctls: (t) => t.split('\n').filter(Boolean).map((l) => `sysctl ${l.replace(/^\/proc\/sys\//, '').replace(/\//g, '.').replace(/^(\S+) /, '$1 = ')}`),
};

/** STATE_SCRIPT's output as comparable lines. */
export function normalizeState(raw: string): string[] {
  const out: string[] = [];
  const parts = raw.split(/^## (\S+)\n/m);
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const body = parts[i + 1]!.trim();
    out.push(...SECTIONS[name]!(body === '' ? (name === 'module' || name === 'sysctls' ? '' : '[]') : body));
  }
  return out;
}

/** Lines only before (-) and only after (+), as multisets: an address that moved in the order shows. */
export function diffStates(before: string[], after: string[]): string[] {
  const left = new Map<string, number>();
  for (const l of before) left.set(l, (left.get(l) ?? 0) + 1);
  const added: string[] = [];
  for (const l of after) {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    else added.push(`+ ${l}`);
  }
  const removed = [...left].flatMap(([l, n]) => Array.from({ length: n }, () => `- ${l}`));
  return [...removed, ...added];
}
