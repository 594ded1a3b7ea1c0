// A firewall's own reverse-path filter: nftables' `fib saddr . iif oif missing drop` (firewalld's
// rpfilter, many hardening guides) or iptables' `-m rpfilter` drops what comes back over a slave
// other than the one its route names, as rp_filter=1 does, whatever the run sets rp_filter to: the
// bundle verifies its pings one way and loses half its replies. The rules are not read (`nft` and
// `iptables-save` are processes, and often absent); the kernel modules their matches load are, by
// the shell's own test (gather/script.ts): said as a warning where the run equalizes links.
import type { Facts } from '../gather/facts.js';
import type { TaskInstance } from '../load/types.js';

const MATCHES: Record<string, string> = {
  nft_fib_ipv4: "nftables' fib expression (nft_fib_ipv4)",
  ipt_rpfilter: "iptables' rpfilter match (ipt_rpfilter)",
};

export function firewallRpFilterWarnings(tasks: readonly TaskInstance[], facts: Facts): string[] {
  const loaded = (facts.rpFilterModules ?? []).filter((m) => m in MATCHES);
  const slaves = [...new Set(tasks.flatMap((t) => (t.module === 'teql' && t.args.state === 'present' ? t.args.slaves : [])))];
  if (loaded.length === 0 || slaves.length === 0) return [];
  return [`${loaded.map((m) => MATCHES[m]).join(' and ')} ${loaded.length > 1 ? 'are' : 'is'} loaded: a reverse-path rule of the firewall (nftables' \`fib saddr . iif oif missing drop\`, firewalld's rpfilter, iptables' \`-m rpfilter\`) drops what comes back over a slave other than the one its route names, as rp_filter=1 does, whatever this run sets rp_filter to; check \`nft list ruleset\` or \`iptables-save\`, and exempt ${slaves.join(', ')} from it`];
}
