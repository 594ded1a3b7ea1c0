// The HOWTO's caveats, each raised only when the routers' facts make it matter. Pure.
import type { Facts } from '../gather/facts.js';
import { contains, parseIPv4 } from '../router/ipv4.js';
import { mainRoutesSession } from '../plan/session-table.js';

export interface Caveat {
  /** `stop`: the run would be refused; `warn`: it runs but may not do what is wanted; `note`: worth knowing. */
  level: 'stop' | 'warn' | 'note';
  text: string;
}

const rp = (facts: Facts, dev: string): number => Number(facts.sysctls[`net.ipv4.conf.${dev}.rp_filter`] ?? '0');

/**
 * Replies sent over teql0 come back on eth1/eth2, whose own route points elsewhere: strict (1) or
 * loose (2) reverse-path filtering drops them. The kernel uses max(conf.all, conf.<dev>).
 */
export function rpFilterCaveats(router: string, facts: Facts, slaves: readonly string[]): Caveat[] {
  const out: Caveat[] = [];
  const all = rp(facts, 'all');
  const filtering = slaves.filter((s) => Math.max(all, rp(facts, s)) > 0);
  if (filtering.length === 0) return out;
  out.push({
    level: 'note',
    text: `${router}: reverse-path filtering is on for ${filtering.join(', ')} (${filtering.map((s) => `${s}=${rp(facts, s)}`).join(', ')}, all=${all}). ` +
      'Packets from the peer\'s teql0 address arrive on a link, not on teql0, so the filter would drop them; the playbook sets rp_filter 0 on each link.',
  });
  if (all > 0) {
    const raised = Object.keys(facts.sysctls)
      .map((n) => /^net\.ipv4\.conf\.(.+)\.rp_filter$/.exec(n)?.[1])
      .filter((d): d is string => d !== undefined && d !== 'all' && !slaves.includes(d) && rp(facts, d) < all);
    out.push({
      level: 'note',
      text: `${router}: net.ipv4.conf.all.rp_filter is ${all}, and the kernel uses max(all, <interface>): setting the links alone would change nothing. ` +
        `teqlctl lowers all to 0, but first raises every other interface below ${all} to ${all}${raised.length ? ` (${raised.join(', ')})` : ''} so none of them is loosened; the plan says so in its why: lines.`,
    });
  }
  return out;
}

export function teqlCaveats(router: string, facts: Facts): Caveat[] {
  if (facts.teql.loaded) return [{ level: 'note', text: `${router}: sch_teql is loaded.` }];
  if (facts.teql.available) return [{ level: 'note', text: `${router}: sch_teql is available but not loaded; the playbook loads it (modprobe; tc does not), and rollback unloads it.` }];
  return [{
    level: 'stop',
    text: `${router}: the kernel module sch_teql is not available (modinfo sch_teql finds nothing): teqlctl play will refuse. ` +
      'Install a kernel that ships it (Debian: linux-image-amd64; Alpine: linux-lts; OpenWrt: opkg install kmod-sched) or build it with CONFIG_NET_SCH_TEQL; the files can still be written.',
  }];
}

/** Always true of TEQL: it is said once, when the links are picked. */
export function reorderingCaveat(): Caveat {
  return {
    level: 'note',
    text: 'TEQL balances packet by packet, round-robin over the links: a single TCP connection can use all of them, ' +
      'but its packets arrive out of order when the links differ in speed or delay, and TCP slows down on reordering. ' +
      'Links of the same kind and speed work best.',
  };
}

export function forwardingCaveats(router: string, facts: Facts): Caveat[] {
  const forward = facts.sysctls['net.ipv4.ip_forward'];
  if (forward === undefined || forward === '1') return [];
  return [{
    level: 'warn',
    text: `${router}: net.ipv4.ip_forward is ${forward}: the routers reach each other, but hosts of the networks behind them will not ` +
      'get through until forwarding is on (sysctl net.ipv4.ip_forward=1); this playbook does not change it.',
  }];
}

/**
 * Internet case: A's default route goes to B's teql0. If the SSH session to A comes through the
 * default route, the planner refuses that route rather than cut the session.
 */
export function defaultRouteCaveats(router: string, facts: Facts): Caveat[] {
  const m = facts.management;
  const out: Caveat[] = [{
    level: 'note',
    text: `${router}: its default route will point at B's teql0; B must route (and usually NAT) network 1 to the Internet itself: this playbook does not set that up.`,
  }];
  // An IPv6 session is not carried by an IPv4 default route: teqlctl does not refuse it (a review
  // found this warning, with an invalid `ip route add <IPv6>/32`, beside a plan that was accepted).
  if (!m || parseIPv4(m.clientIp) === undefined) return out;
  const specific = facts.routes.some((r) => r.to !== 'default' && contains(r.to, m.clientIp));
  // Replies that a rule sends to another table first (an out-of-band port's own) are not the plan's to refuse.
  if (!specific && mainRoutesSession(m)) {
    out.push({
      level: 'stop',
      text: `${router}: this SSH session (from ${m.clientIp}, via ${m.via ?? m.dev}) uses the default route. Moving the default route to teql0 would carry the session too, ` +
        `so teqlctl refuses that route. Add a route for your management network first (e.g. ip route add ${m.clientIp}/32 via ${m.via ?? '<gateway>'} dev ${m.dev}), or manage ${router} over another path.`,
    });
  }
  return out;
}

/** `prefix` then the words, wrapped to `width` columns; later lines are indented as deep as the prefix. */
export function wrap(prefix: string, text: string, width: number): string {
  const lines: string[] = [];
  let line = prefix;
  let words = 0; // on this line
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (words > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = ' '.repeat(prefix.length) + word;
      words = 1;
    } else {
      line = words > 0 ? `${line} ${word}` : line + word;
      words++;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

export function formatCaveats(width: number, caveats: readonly Caveat[]): string {
  const mark = { stop: ' !! ', warn: '  ! ', note: '  - ' } as const;
  return caveats.map((c) => wrap(mark[c.level], c.text, width)).join('\n');
}

/** A picked link that already holds addresses keeps them: teqlctl adds, it never removes what it did not add. */
export function addressedLinkCaveats(router: string, rows: ReadonlyArray<{ name: string; addresses: string[]; slaveOf?: string }>, picked: readonly string[]): Caveat[] {
  return rows
    .filter((r) => picked.includes(r.name) && r.addresses.length > 0 && !r.slaveOf)
    .map((r) => ({
      level: 'warn' as const,
      text: `${r.name} on ${router} already holds ${r.addresses.join(', ')}; teqlctl adds the link address beside it and leaves that one there (traffic to its subnet keeps using ${r.name} alone).`,
    }));
}
