// Checks across tasks and hosts: an address configured twice, and /31 ends that do not pair up.
import type { SourcePos } from '../errors.js';
import type { Placed } from './instantiate.js';
import { parseCidr } from './net.js';
import { formatIPv4, networkOf, type Cidr } from '../router/ipv4.js';
import type { Problems } from './problems.js';
import { formatPos } from './scope.js';

interface Entry {
  host: string;
  dev: string;
  text: string;
  cidr: Cidr;
  pos: SourcePos;
  from: string;
}

function entries(placed: readonly Placed[]): Entry[] {
  return placed.flatMap((p): Entry[] => {
    const { instance } = p;
    if (instance.module !== 'address' || instance.args.state !== 'present') return [];
    const cidr = parseCidr(instance.args.address);
    if (typeof cidr === 'string') return [];
    const { pos, from } = p.argAt(['address']);
    return [{ host: p.host, dev: instance.args.dev, text: instance.args.address, cidr, pos, from }];
  });
}

/** "router_a eth1 (from {{ x }}: x (set at ...))", with the playbook place when it differs from `here`. */
function who(e: Entry, here: SourcePos): string {
  const place = formatPos(e.pos) === formatPos(here) ? '' : `at ${formatPos(e.pos)}`;
  const details = [place, e.from].filter(Boolean).join(', ');
  return `${e.host} ${e.dev}${details ? ` (${details})` : ''}`;
}

/**
 * `placed` in playbook order; each conflict is reported once, at the later of the two places.
 * Both kinds of conflict (the same address; an address inside another host's /31) need the two
 * addresses in one /31, so only addresses of the same /31 are compared: a fleet of 500 hosts
 * compared every pair of its 3,000 addresses before.
 */
export function checkAddresses(placed: readonly Placed[], problems: Problems): void {
  const bySlash31 = new Map<number, Entry[]>();
  const all = entries(placed);
  checkOverlaps(all, problems);
  for (const e of all) {
    const key = e.cidr.ip >>> 1;
    const earlierOnes = bySlash31.get(key) ?? [];
    for (const earlier of earlierOnes) conflict(e, earlier, problems);
    earlierOnes.push(e);
    bySlash31.set(key, earlierOnes);
  }
}

function conflict(e: Entry, earlier: Entry, problems: Problems): void {
  const both = `${who(e, e.pos)} and ${who(earlier, e.pos)}`;
  const ip = formatIPv4(e.cidr.ip);
  if (e.cidr.ip === earlier.cidr.ip) {
    const sameSlash31 = e.cidr.prefix === 31 && earlier.cidr.prefix === 31 && networkOf(e.cidr) === networkOf(earlier.cidr);
    if (e.host === earlier.host) {
      problems.add(`address ${ip} is configured twice on ${e.host}: ${both}`, e.pos, 'configure each address once per host');
    } else if (sameSlash31) {
      const net = networkOf(e.cidr);
      problems.add(`/31 ends do not pair up: ${e.host} and ${earlier.host} both hold ${ip} of ${formatIPv4(net)}/31: ${both}`, e.pos, `give one host ${formatIPv4(net)}/31 and the other ${formatIPv4(net + 1)}/31`);
    } else {
      problems.add(`duplicate address ${ip} on two hosts: ${both}`, e.pos, 'an IP address must belong to one host only; give each host its own');
    }
  } else if (e.host !== earlier.host && (inside(e, earlier) || inside(earlier, e))) {
    const slash31 = e.cidr.prefix === 31 ? e : earlier;
    const other = slash31 === e ? earlier : e;
    problems.add(
      `/31 ends do not pair up: ${other.host} has ${other.text} inside ${slash31.host}'s ${slash31.text}; the other end of a /31 must be a /31 too: ${both}`,
      e.pos,
      `give ${other.host} ${formatIPv4((slash31.cidr.ip ^ 1) >>> 0)}/31`,
    );
  }
}

/** `b`'s address lies in `a`'s /31 while `b` is not a /31 itself. */
function inside(a: Entry, b: Entry): boolean {
  return a.cidr.prefix === 31 && b.cidr.prefix !== 31 && networkOf({ ip: b.cidr.ip, prefix: 31 }) === networkOf(a.cidr);
}

/**
 * Two interfaces of one host in the same subnet (10.0.0.1/29 on eth1 and 10.0.0.3/29 on eth3): the
 * kernel sends it out of one of them only, so a ping over the other fails after the apply (a
 * rollback) or passes the wrong way. A subnet inside another (a /31 in a /16) is not compared:
 * the longest prefix wins, a plan of its own. A /32 holds no subnet. Each pair once, at the later.
 */
function checkOverlaps(all: readonly Entry[], problems: Problems): void {
  const byHost = new Map<string, Entry[]>();
  for (const e of all) {
    if (e.cidr.prefix >= 32) continue;
    const earlier = byHost.get(e.host) ?? [];
    for (const o of earlier) {
      if (o.dev === e.dev || o.cidr.ip === e.cidr.ip) continue; // the same address twice: said by checkAddresses
      if (o.cidr.prefix !== e.cidr.prefix || networkOf(o.cidr) !== networkOf(e.cidr)) continue;
      problems.add(
        `${e.host}: ${e.text} on ${e.dev} is in the subnet of ${o.text} on ${o.dev}: ${who(e, e.pos)} and ${who(o, e.pos)}; the kernel routes the subnet out of one of them only`,
        e.pos,
        'give each interface its own subnet (the chapter: a /31 per link and one for the equalizer)',
      );
    }
    earlier.push(e);
    byHost.set(e.host, earlier);
  }
}
