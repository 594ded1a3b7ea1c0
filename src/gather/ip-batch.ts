// The facts script's `ip` section, one iproute2 batch printing its JSON arrays (addresses, routes,
// neighbours, IPv6 routes), and its parser: split into the sections they were before.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { FactError } from '../errors.js';
import { parseJsonArray } from './json-array.js';
import { OWN_PROTOCOLS } from './route-fact.js';
import { isHashedSelector, listingLines, selectedRoutes, validSelectors } from './route-selectors.js';

/**
 * The top-level JSON arrays in `text`, in order: each starts at the beginning of a line (or right
 * after the one before, for an iproute2 that does not end one with a newline) and ends where its
 * brackets close, strings and their escapes followed. Other lines (an error of one command of the
 * batch) are skipped.
 */
export function jsonArrays(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const atStart = i === 0 || text[i - 1] === '\n' || text[i - 1] === ']';
    if (text[i] !== '[' || !atStart) {
      const nl = text.indexOf('\n', i);
      // Not an array here: on to the next line, or to a '[' right after a ']' on this one.
      i = text[i] === ']' ? i + 1 : nl < 0 ? text.length : nl + 1;
      continue;
    }
    let depth = 0;
    let inString = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && --depth === 0) break;
    }
    // A dump that failed leaves its `[` open (iproute2 prints it first): not an array, nor what follows it.
    if (j >= text.length) break;
    out.push(text.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

/** The first line of a batch that lists each family's routes by protocol (gather/script.ts). */
export const OWN_PROTOCOLS_LINE = 'ip-own-protocols';

/**
 * The addresses and the main table's routes by one `ip` process (its batch mode): a process is
 * 60-170 ms of an emulated router's time, and a cold apply reads the facts three times. One JSON
 * array each, in this order (parse-facts.ts, ip-batch.ts). The options are global in a batch, so
 * each command picks its family by a selector: IPv4 addresses (`to 0.0.0.0/0`, as -4 gave them;
 * teqlctl manages IPv4 addresses only), IPv4 routes (`root 0.0.0.0/0`), the permanent neighbours of
 * both families, and last, where the kernel has IPv6 (`ipv6` printed first, so a failed listing is
 * told from a kernel without it), the IPv6 routes: a link taken down loses them (fib6_ifdown), and
 * an undo puts them back (until 2026-12-05 they were not read, and a rollback lost them). Not -d,
 * which the links need (their own process) and under which an older iproute2 prints every route's
 * type without a JSON key (invalid JSON). -force: a command that fails does not keep the others
 * from printing (its error is in the section; the parser then names it). The batch from printf,
 * not the shell's stdin (the rest of this script) nor a heredoc (a temporary file for an older bash
 * as sh, on a /tmp that may be full). Every table's routes (the main table's have no `table` key:
 * ip-batch.ts splits them off, so a large main table is printed once) and the permanent neighbours:
 * what the kernel flushes with a link taken down or left without an IPv4 address (Facts.flushable).
 * Since 2026-12-07 (the line OWN_PROTOCOLS_LINE first) each family's routes by one listing per
 * protocol that is not a routing daemon's (route-fact.ts OWN_PROTOCOLS): a daemon's are not read.
 * Last, the routes of `selectors` that the plan's decisions rest on, whoever keeps them (named
 * after that line, tab-separated; route-selectors.ts): in the fingerprint with the rest.
 */
export function ipBatch(selectors: readonly string[] = []): string {
  const own = OWN_PROTOCOLS.map(([n]) => n).join(' ');
  const held = validSelectors(selectors).filter(isHashedSelector);
  return `printf '%s\\n' '${[OWN_PROTOCOLS_LINE, ...held].join('\t')}'; if [ -e /proc/net/if_inet6 ]; then echo ipv6; fi; { printf 'addr show to 0.0.0.0/0\\n'; printf 'route show table all root 0.0.0.0/0 proto %s\\n' ${own}; printf 'neigh show nud permanent\\n'; if [ -e /proc/net/if_inet6 ]; then printf 'route show table all root ::/0 proto %s\\n' ${own}; fi;${listingLines(held)} } | ip -j -force -batch -`;
}

/** The `ip` section's arrays: links and addresses as text, routes and neighbours parsed. */
export interface IpSections {
  links: string;
  addresses: string;
  /** The main table's routes alone (an older teqlctl's batch, a recording of two processes). */
  routes?: any[];
  allRoutes?: any[];
  neighbours?: any[];
  routes6?: any[];
  /** The routes listed by selector (route-selectors.ts), a routing daemon's too. */
  held?: any[];
}

/**
 * The links, and the `ip` section: today's batch (the line OWN_PROTOCOLS_LINE, addresses, every
 * table's IPv4 routes by protocol, the permanent neighbours, and the IPv6 routes by protocol where
 * the kernel has IPv6, said by an `ipv6` line before them), or an older teqlctl's (addresses, every
 * table's IPv4 routes, the neighbours, the IPv6 routes: four arrays, or three; or addresses and the
 * main table's routes: two, as in recordings), whose other tables and neighbours are then not known.
 * Those sections as they are when present (a recording of one, by two processes). A command of the
 * batch that failed leaves an array out: told by what the arrays hold, and named, never read as
 * another (a review found every table's routes read as the main table's, no address read).
 */
export function ipSections(host: string, s: Map<string, string>): IpSections {
  const batch = s.get('ip');
  if (batch === undefined) return { links: s.get('links')!, addresses: s.get('addresses')!, routes: parseJsonArray(host, 'routes', s.get('routes')!) };
  const arrays = jsonArrays(batch);
  // BusyBox's applet answers every line with its usage: said for what it is, not as a count of arrays (a review).
  if (arrays.length === 0 && /^BusyBox v\S+ .*multi-call binary/m.test(batch)) {
    throw new FactError(host, `this router's \`ip\` is BusyBox's applet, which has neither JSON output (-json) nor -batch: teqlctl reads the router with iproute2's: install it (apt install iproute2, apk add iproute2, opkg install ip-full), or put its ip before BusyBox's in PATH`);
  }
  const fail = (why: string) => new FactError(host, `could not read addresses and routes: ${why} from iproute2 (\`ip -batch\`): ${batch.trim().slice(0, 200)}`);
  const ipv6 = /^ipv6$/m.test(batch);
  // Addresses name their links; routes and neighbours have a destination (dst) at the top.
  const addressesFirst = () => {
    if (/^\[\{"dst":/.test(arrays[0] ?? '') || /^\[\{"type":/.test(arrays[0] ?? '')) throw fail('its first array holds routes, not addresses');
  };
  const links = s.get('links')!;
  const own = new RegExp(`^${OWN_PROTOCOLS_LINE}(\t.*)?$`, 'm').exec(batch);
  if (own) {
    const n = OWN_PROTOCOLS.length;
    const selectors = own[1] ? own[1].slice(1).split('\t') : [];
    const fixed = 2 + n * (ipv6 ? 2 : 1);
    const expected = fixed + selectors.length;
    if (arrays.length !== expected) throw fail(`expected ${expected} JSON arrays (addresses, ${n} listings of routes${ipv6 ? ' per family' : ''}, neighbours${selectors.length > 0 ? `, ${selectors.join(', ')}` : ''}), got ${arrays.length}`);
    addressesFirst();
    // Every IPv6 route has a router preference, no IPv4 one; neighbours have none.
    if (arrays.slice(1, n + 2).some((a) => /"pref":"/.test(a))) throw fail('IPv6 routes where IPv4 routes or neighbours were expected');
    const byProtocol = (first: number, what: string) => OWN_PROTOCOLS.flatMap(([number, name], i) => parseJsonArray(host, `${what} of protocol ${number}`, arrays[first + i]!).map((r) => (name === undefined || r.protocol !== undefined ? r : { ...r, protocol: name })));
    return {
      links,
      addresses: arrays[0]!,
      allRoutes: byProtocol(1, 'routes'),
      neighbours: parseJsonArray(host, 'neighbours', arrays[n + 1]!),
      ...(ipv6 ? { routes6: byProtocol(n + 2, 'IPv6 routes') } : {}),
      ...(selectors.length > 0 ? { held: selectors.flatMap((sel, i) => selectedRoutes(sel, parseJsonArray(host, `routes by ${sel}`, arrays[fixed + i]!))) } : {}),
    };
  }
  if (ipv6 && arrays.length !== 4) throw fail(`expected four JSON arrays (the kernel has IPv6), got ${arrays.length}`);
  if (arrays.length < 2 || arrays.length > 4) throw fail(`expected three JSON arrays (two from an older teqlctl), got ${arrays.length}`);
  addressesFirst();
  if (arrays.length === 2) {
    // The main table alone has no `table` key; a neighbour has a state: a failed command of today's batch.
    if (/"table":|"state":\[/.test(arrays[1]!)) throw fail('two JSON arrays where three were printed (a command of the batch failed)');
    return { links, addresses: arrays[0]!, routes: parseJsonArray(host, 'routes', arrays[1]!) };
  }
  if (/"pref":"/.test(arrays[1]!) || /"pref":"/.test(arrays[2]!)) throw fail('IPv6 routes where IPv4 routes or neighbours were expected');
  const old = { links, addresses: arrays[0]!, allRoutes: parseJsonArray(host, 'routes', arrays[1]!), neighbours: parseJsonArray(host, 'neighbours', arrays[2]!) };
  if (arrays.length === 3) return old;
  if (!ipv6) throw fail('four JSON arrays without the kernel\'s IPv6');
  return { ...old, routes6: parseJsonArray(host, 'IPv6 routes', arrays[3]!) };
}
