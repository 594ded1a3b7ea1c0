// Point-to-point addressing: /31s out of one block (LARTC: 10.0.0.0/29, A even, B odd), or typed
// pairs, checked with the loader's strict validators. Pure.
import { checkHostCidr, checkNetworkCidr, parseCidr } from '../load/net.js';
import { formatIPv4, networkOf, type Cidr } from '../router/ipv4.js';
import type { AddressPair, Addressing } from './model.js';

/** Prefix length of the smallest block holding one /31 per link plus one for the equalizer. */
function blockPrefix(linkCount: number): number {
  return 32 - Math.ceil(Math.log2(2 * (linkCount + 1)));
}

/** 10.0.0.0/29 for up to three links (the HOWTO's), bigger when more are bundled. */
export function defaultBlock(linkCount: number): string {
  return `10.0.0.0/${blockPrefix(linkCount)}`;
}

/**
 * The first block of the right size, from the HOWTO's 10.0.0.0 on through 10/8's first /16, then
 * 172.16/16's and 192.168/16's, whose /31s clash with nothing the routers hold (`clash` says why
 * one does): the HOWTO's 10.0.0.0/29 was proposed over a LAN of 10.0.0.0/24 and refused by its own
 * question, again and again (a review). The HOWTO's where all of them clash.
 */
export function freeBlock(linkCount: number, clash: (block: string) => string | undefined): string {
  const prefix = blockPrefix(linkCount);
  const size = 2 ** (32 - prefix);
  for (const start of ['10.0.0.0', '172.16.0.0', '192.168.0.0']) {
    const base = (parseCidr(`${start}/16`) as Cidr).ip;
    for (let ip = base; ip < base + 65536; ip += size) {
      const block = `${formatIPv4(ip)}/${prefix}`;
      if (clash(block) === undefined) return block;
    }
  }
  return defaultBlock(linkCount);
}

// Not unicast host addresses: the loader takes them, but the links' pings would fail and the run
// roll back (127/8 arriving on a wire is a martian; multicast and 240/4 are no interface's address).
const RESERVED = [
  { cidr: '0.0.0.0/8', what: '0.0.0.0/8 ("this network")' },
  { cidr: '127.0.0.0/8', what: '127.0.0.0/8 (loopback)' },
  { cidr: '224.0.0.0/4', what: '224.0.0.0/4 (multicast)' },
  { cidr: '240.0.0.0/4', what: '240.0.0.0/4 (reserved, with 255.255.255.255)' },
];

/** Why a link address or block is not usable on a wire, if it is not. */
export function reservedProblem(cidr: string): string | undefined {
  const hit = RESERVED.find((r) => overlaps(cidr, r.cidr));
  return hit ? `${cidr} reaches into ${hit.what}: give unicast addresses, e.g. out of 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16` : undefined;
}

export function checkBlock(text: string, linkCount: number): string | undefined {
  const bad = checkNetworkCidr(text) ?? reservedProblem(text);
  if (bad) return bad;
  const { prefix } = parseCidr(text) as Cidr;
  const need = blockPrefix(linkCount);
  if (prefix > need) return `${text} holds ${2 ** (32 - prefix)} addresses; ${linkCount} link(s) and the equalizer need ${2 * (linkCount + 1)} (a /${need} or bigger)`;
  return undefined;
}

/** One /31 per link in order, then one for teql0; A gets the even end, B the odd. */
export function proposeAddresses(block: string, linkCount: number): Addressing {
  const base = (parseCidr(block) as Cidr).ip;
  const pair = (i: number): AddressPair => ({ a: `${formatIPv4(base + 2 * i)}/31`, b: `${formatIPv4(base + 2 * i + 1)}/31` });
  return { links: Array.from({ length: linkCount }, (_, i) => pair(i)), teql: pair(linkCount), block };
}

/** For a typed A end, B's likely end: the other end of a /31, the next host otherwise. */
export function suggestPeer(a: string): string | undefined {
  const c = parseCidr(a);
  if (typeof c === 'string' || checkHostCidr(a) || c.prefix === 32) return undefined;
  const other = c.prefix === 31 ? (c.ip ^ 1) >>> 0 : c.ip + 1;
  const suggestion = `${formatIPv4(other)}/${c.prefix}`;
  return checkHostCidr(suggestion) ? `${formatIPv4(c.ip - 1)}/${c.prefix}` : suggestion;
}

/** Both ends valid host addresses of the same subnet, and not the same address. */
export function checkPair(pair: AddressPair): string | undefined {
  for (const end of [pair.a, pair.b]) {
    const bad = checkHostCidr(end) ?? reservedProblem(end);
    if (bad) return bad;
  }
  const a = parseCidr(pair.a) as Cidr;
  const b = parseCidr(pair.b) as Cidr;
  if (a.prefix === 32) return `${pair.a} is a /32: a point-to-point link needs both ends in one subnet (a /31, or a /30 and wider)`;
  if (a.prefix !== b.prefix) return `${pair.a} and ${pair.b} have different prefix lengths: both ends of a link share one subnet`;
  if (networkOf(a) !== networkOf(b)) return `${pair.b} is not in ${formatIPv4(networkOf(a))}/${a.prefix}, the subnet of ${pair.a}`;
  if (a.ip === b.ip) return `A and B cannot both have ${pair.a.split('/')[0]}`;
  return undefined;
}

/** Do two prefixes share any address? */
export function overlaps(x: string, y: string): boolean {
  const a = parseCidr(x) as Cidr;
  const b = parseCidr(y) as Cidr;
  const len = Math.min(a.prefix, b.prefix);
  return networkOf({ ip: a.ip, prefix: len }) === networkOf({ ip: b.ip, prefix: len });
}

export function subnetOf(cidr: string): string {
  const c = parseCidr(cidr) as Cidr;
  return `${formatIPv4(networkOf(c))}/${c.prefix}`;
}

/** Every pair valid, and no two links (or a link and teql0) in overlapping subnets. */
export function checkAddressing(addressing: Addressing, linkNames: readonly string[]): string[] {
  const named = [...addressing.links.map((p, i) => ({ what: `link ${linkNames[i] ?? i + 1}`, p })), { what: 'teql0', p: addressing.teql }];
  const problems = named.flatMap(({ what, p }) => {
    const bad = checkPair(p);
    return bad ? [`${what}: ${bad}`] : [];
  });
  if (problems.length > 0) return problems;
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++) {
      const x = named[i]!;
      const y = named[j]!;
      if (overlaps(x.p.a, y.p.a)) problems.push(`${x.what} (${subnetOf(x.p.a)}) and ${y.what} (${subnetOf(y.p.a)}) overlap: every link and the equalizer need their own subnet`);
    }
  }
  return problems;
}

export interface ExistingAddress {
  router: 'A' | 'B';
  dev: string;
  cidr: string;
  /** Where it is, said instead of "DEV of ROUTER" (the SSH session's client or gateway, a /32). */
  what?: string;
}

const whereIs = (e: ExistingAddress) => e.what ?? `${e.dev} of ${e.router}`;

/**
 * Subnets that clash with addresses already on a router (another interface, or another address of
 * the same interface). The same address already on the interface it is meant for is fine: a rerun.
 */
export function clashesWithRouters(addressing: Addressing, devs: { a: string[]; b: string[] }, existing: readonly ExistingAddress[]): string[] {
  const wanted = [
    ...addressing.links.flatMap((p, i) => [{ router: 'A', dev: devs.a[i]!, cidr: p.a }, { router: 'B', dev: devs.b[i]!, cidr: p.b }]),
    { router: 'A', dev: 'teql0', cidr: addressing.teql.a },
    { router: 'B', dev: 'teql0', cidr: addressing.teql.b },
  ];
  return [...new Set(wanted.flatMap((w) => clashesOfOne(w as ExistingAddress, existing)))];
}

/** The same, for one address as it is typed (so that the question itself refuses it). */
export function clashesOfOne(w: ExistingAddress, existing: readonly ExistingAddress[]): string[] {
  return existing
    .filter((e) => !e.cidr.startsWith('127.') && w.router === e.router && !(w.dev === e.dev && w.cidr === e.cidr) && overlaps(w.cidr, e.cidr))
    .map((e) => `${w.cidr} for ${w.dev} on ${w.router} overlaps ${e.cidr}, ${e.what ? whereIs(e) : `already on ${whereIs(e)}`}`);
}

/**
 * What makes A's typed end a dead end for B's question, which then refused every answer, its own
 * suggestion too (a review): a /32 leaves B no address in A's subnet, and a subnet that overlaps an
 * address on B (but the same subnet already on B's end of this link, a rerun) clashes on B.
 */
export function aEndProblem(a: string, devB: string, existing: readonly ExistingAddress[]): string | undefined {
  const c = parseCidr(a) as Cidr;
  if (c.prefix === 32) return `${a} is a /32: B's end needs an address in the same subnet (a /31, or a /30 and wider)`;
  const onB = existing.find((e) => e.router === 'B' && !e.cidr.startsWith('127.') && overlaps(a, e.cidr) &&
    !(e.dev === devB && (parseCidr(e.cidr) as Cidr).prefix === c.prefix && subnetOf(e.cidr) === subnetOf(a)));
  return onB ? `${subnetOf(a)} overlaps ${onB.cidr}, ${onB.what ? whereIs(onB) : `already on ${whereIs(onB)}`}: B's end of this link would clash there` : undefined;
}
