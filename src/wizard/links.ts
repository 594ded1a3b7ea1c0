// Which interfaces of a router may be bundled, and whether A's and B's choices fit together. Pure.
import type { Facts } from '../gather/facts.js';
import type { LinkPair } from './model.js';
import { carriersOf } from '../plan/context.js';
import { checkInterfaceName } from '../load/net.js';

export interface LinkRow {
  name: string;
  up: boolean;
  /** Carrier as the kernel reports it (operstate). */
  operstate: string;
  mtu: number;
  addresses: string[];
  /** The equalizer whose slave it is already (its root qdisc is teqlN). */
  slaveOf?: string;
  /** Why it is not offered; undefined: it may be picked. */
  notOffered?: string;
}

/**
 * Every interface, each with why it cannot be a link when it cannot: the one that carries the SSH
 * session (cutting it would lock the operator out), loopback, equalizers, dummies (no wire).
 * `sshHost` is the address the wizard connected to: the fallback when sudo hid SSH_CONNECTION.
 */
export function linkRows(facts: Facts, sshHost?: string): LinkRow[] {
  const mgmt = facts.management?.dev ?? facts.addresses.find((a) => a.cidr.split('/')[0] === sshHost)?.dev;
  // The session's own interface, and the devices under it (the link under its VLAN, its bridge's ports).
  // Not an equalizer's slaves: a wizard run again on a far router managed over its bundle offers
  // them as its links (counting them as carriers left none: a review).
  const carriers = mgmt !== undefined ? carriersOf(facts, mgmt, { slaves: false }) : new Map<string, string>();
  return facts.links.map((l) => {
    const row: LinkRow = { name: l.name, up: l.up, operstate: l.operstate, mtu: l.mtu, addresses: facts.addresses.filter((a) => a.dev === l.name).map((a) => a.cidr) };
    const root = facts.rootQdiscs.find((q) => q.dev === l.name && /^teql\d+$/.test(q.kind));
    if (root) row.slaveOf = root.kind;
    const carrier = carriers.get(l.name);
    if (carrier !== undefined) row.notOffered = `carries this SSH session${carrier}`;
    else if (l.name === 'lo' || l.kind === 'loopback') row.notOffered = 'loopback';
    else if (/^teql\d+$/.test(l.name)) row.notOffered = 'an equalizer itself';
    else if (l.kind === 'dummy') row.notOffered = 'dummy interface, no wire';
    // Its traffic is its master's: the plan refuses it (a review found it offered and preselected).
    else if (l.master !== undefined) row.notOffered = `a port of ${l.master}`;
    else if (unplayable(l.name)) row.notOffered = unplayable(l.name);
    return row;
  });
}

/**
 * Why a playbook could not name this interface (the loader's rule, and the rp_filter sysctl's, which
 * takes ASCII letters, digits, _ and - between dots): offered, it passed every question and the
 * wizard then stopped at its review with the loader's errors (a review, 2026-12-05).
 */
function unplayable(name: string): string | undefined {
  const why = checkInterfaceName(name);
  if (why) return `a name a playbook cannot hold (${why})`;
  return /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(name) ? undefined : 'a name its sysctls cannot hold (only letters, digits, _ and - between dots)';
}

export function offered(rows: readonly LinkRow[]): LinkRow[] {
  return rows.filter((r) => !r.notOffered);
}

/** Up, and the kernel sees no carrier: no cable, or nothing at its other end. */
const noCarrier = (r: LinkRow) => r.up && ['DOWN', 'LOWERLAYERDOWN', 'NOTPRESENT'].includes(r.operstate);

/**
 * The likely picks: the slaves of an equalizer already there (a rerun), else the links with no IPv4
 * address yet, but those up without a carrier (its ping would fail, and the run roll back).
 */
export function likelyLinks(rows: readonly LinkRow[]): string[] {
  const slaves = offered(rows).filter((r) => r.slaveOf);
  return (slaves.length >= 2 ? slaves : offered(rows).filter((r) => r.addresses.length === 0 && !noCarrier(r))).map((r) => r.name);
}

/** A table of the links, as the operator sees it before choosing. */
export function formatLinkTable(rows: readonly LinkRow[]): string {
  const head = ['name', 'state', 'carrier', 'mtu', 'addresses', ''];
  const body = rows.map((r) => [r.name, r.up ? 'up' : 'down', r.operstate, String(r.mtu), r.addresses.join(', ') || '-', r.notOffered ? `(not offered: ${r.notOffered})` : r.slaveOf ? `(slave of ${r.slaveOf})` : '']);
  const widths = head.map((_, i) => Math.max(...[head, ...body].map((row) => row[i]!.length)));
  return [head, ...body].map((row) => '  ' + row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** Pairs A's links with B's: same names first (eth1 with eth1), the rest in the order listed. */
export function pairLinks(a: readonly string[], b: readonly string[]): LinkPair[] {
  const restB = b.filter((name) => !a.includes(name));
  return a.map((name) => ({ a: name, b: b.includes(name) ? name : restB.shift()! }));
}

/** Why the two choices cannot be bundled (count), or undefined. */
export function countMismatch(a: readonly string[], b: readonly string[]): string | undefined {
  if (a.length === b.length) return undefined;
  return `A has ${a.length} link(s) picked and B ${b.length}: each link is one wire with an end on each router, ` +
    'so both sides need the same number (TEQL sends packet after packet round the slaves; a slave whose wire ends nowhere loses its share).';
}

/** Explanations of MTU differences: along one wire, and between the links of one side. */
export function mtuMismatches(pairs: readonly LinkPair[], rowsA: readonly LinkRow[], rowsB: readonly LinkRow[]): string[] {
  const mtu = (rows: readonly LinkRow[], name: string) => rows.find((r) => r.name === name)?.mtu ?? 0;
  const out: string[] = [];
  for (const p of pairs) {
    const ma = mtu(rowsA, p.a);
    const mb = mtu(rowsB, p.b);
    if (ma !== mb) out.push(`link ${p.a} (A) <-> ${p.b} (B): MTU ${ma} on A but ${mb} on B; packets bigger than ${Math.min(ma, mb)} would be dropped on that wire. Set the same MTU on both ends.`);
  }
  for (const [side, rows, names] of [['A', rowsA, pairs.map((p) => p.a)], ['B', rowsB, pairs.map((p) => p.b)]] as const) {
    const mtus = [...new Set(names.map((n) => mtu(rows, n)))];
    if (mtus.length > 1) out.push(`on ${side} the links have MTUs ${mtus.join(', ')}: teql0 takes the smallest (${Math.min(...mtus)}), and the kernel refuses a slave below teql0's MTU once teql0 is up.`);
  }
  return out;
}
