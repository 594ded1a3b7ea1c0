// Checks across tasks and hosts: an address configured twice, and /31 ends that do not pair up.
import type { SourcePos } from '../errors.js';
import type { Placed } from './instantiate.js';
import { formatIPv4, networkOf, parseCidr, type Cidr } from './net.js';
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

const at = (e: Entry): string => `${e.host} ${e.dev} (${formatPos(e.pos)}${e.from ? `, ${e.from}` : ''})`;

/** `placed` in playbook order; each conflict is reported once, at the later of the two places. */
export function checkAddresses(placed: readonly Placed[], problems: Problems): void {
  const list = entries(placed);
  list.forEach((e, i) => {
    for (const earlier of list.slice(0, i)) {
      const sameSlash31 = e.cidr.prefix === 31 && earlier.cidr.prefix === 31 && networkOf(e.cidr) === networkOf(earlier.cidr);
      if (e.cidr.ip === earlier.cidr.ip) {
        if (e.host === earlier.host) {
          problems.add(`address ${formatIPv4(e.cidr.ip)} is configured twice on ${e.host}: here (${e.dev}) and at ${at(earlier)}`, e.pos, 'configure each address once per host');
        } else if (sameSlash31) {
          const net = formatIPv4(networkOf(e.cidr));
          problems.add(`/31 ends do not pair up: ${e.host} and ${earlier.host} both hold ${e.text} of ${net}/31 (${at(e)}; ${at(earlier)})`, e.pos, `give one host ${net}/31 and the other ${formatIPv4(networkOf(e.cidr) + 1)}/31`);
        } else {
          problems.add(`duplicate address ${formatIPv4(e.cidr.ip)}: on ${e.host} (${e.dev}) and on ${earlier.host} (${at(earlier)})`, e.pos, 'an IP address must belong to one host only; give each host its own');
        }
      } else if (e.host !== earlier.host && (inside(e, earlier) || inside(earlier, e))) {
        const slash31 = e.cidr.prefix === 31 ? e : earlier;
        const other = slash31 === e ? earlier : e;
        problems.add(
          `/31 ends do not pair up: ${other.host} has ${other.text} inside ${slash31.host}'s ${slash31.text}; the other end of a /31 must be a /31 too (${at(e)}; ${at(earlier)})`,
          e.pos,
          `give ${other.host} ${formatIPv4((slash31.cidr.ip ^ 1) >>> 0)}/31`,
        );
      }
    }
  });
}

/** `b`'s address lies in `a`'s /31 while `b` is not a /31 itself. */
function inside(a: Entry, b: Entry): boolean {
  return a.cidr.prefix === 31 && b.cidr.prefix !== 31 && networkOf({ ip: b.cidr.ip, prefix: 31 }) === networkOf(a.cidr);
}
