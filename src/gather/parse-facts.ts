// Pure parser of the facts script's output: JSON from iproute2, key=value from /proc and /sys.
import { FactError } from '../errors.js';
import { SECTION_MARKER as SECTION } from '../router/markers.js';
import { parseKeyValues } from '../router/key-values.js';
import { ipSections, type IpSections } from './ip-batch.js';
import { isDaemonRoute, parseFlushable, parseRoutes, routeLine } from './route-fact.js';
import { parseAddresses } from './address-fact.js';
import { lockFacts } from './lock-facts.js';
import { sysctlName, sysctlValue } from '../router/sysctl-path.js';
import { identityFacts } from './identity-facts.js';
import { parseBoot } from './parse-boot.js';
import type { Facts, LinkFact, QdiscDetail, RootQdiscFact, RouteFact, TeqlModuleFact } from './facts.js';
import { detached } from '../router/detached.js';
import { parseJsonArray } from './json-array.js';
import { heldRoutes, parseManagement, unknownManagement } from './management-fact.js';

export function splitSections(output: string): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  let body: string[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith(SECTION + ' ')) {
      if (current) sections.set(current, body.join('\n'));
      current = line.slice(SECTION.length + 1).trim();
      body = [];
    } else if (current) {
      body.push(line);
    }
  }
  if (current) sections.set(current, body.join('\n'));
  return sections;
}

/** Kinds whose MTU the kernel caps at their lower device's, and lowers with it (NETDEV_CHANGEMTU). */
const STACKED_KINDS = new Set(['vlan', 'macvlan', 'macvtap', 'ipvlan', 'ipvtap']);

export function parseLinks(json: any[]): LinkFact[] {
  return json.map((l) => ({
    name: String(l.ifname),
    up: Array.isArray(l.flags) && l.flags.includes('UP'),
    operstate: String(l.operstate ?? 'UNKNOWN'),
    mtu: Number(l.mtu),
    ...(l.linkinfo?.info_kind ? { kind: String(l.linkinfo.info_kind) } : {}),
    ...(STACKED_KINDS.has(String(l.linkinfo?.info_kind)) && typeof l.link === 'string' ? { lower: l.link } : {}),
    ...(typeof l.master === 'string' ? { master: l.master } : {}),
    ...(typeof l.txqlen === 'number' ? { txqlen: l.txqlen } : {}),
    ...(l.linkinfo?.info_kind === 'vlan' && Array.isArray(l.linkinfo?.info_data?.flags) && l.linkinfo.info_data.flags.includes('LOOSE_BINDING') ? { looseBinding: true as const } : {}),
    ...(Array.isArray(l.altnames) && l.altnames.length > 0 ? { altnames: l.altnames.map(String) } : {}),
  }));
}

export function parseRootQdiscs(json: any[], details: Map<string, QdiscDetail> = new Map()): RootQdiscFact[] {
  return json
    .filter((q) => q.root === true)
    .map((q) => {
      const detail = details.get(String(q.dev));
      // Under the root, not beside it (ingress, clsact): a multi-queue NIC's mq has one per queue, 0:
      // as the kernel made them; one an operator set (tc qdisc replace ... parent :1 fq) has a handle
      // of its own, and a root over it is no default that an undo's `del root` gives back (a review).
      const under = json.filter((c) => c.dev === q.dev && c.root !== true && c.kind !== 'ingress' && c.kind !== 'clsact');
      return {
        dev: String(q.dev),
        kind: String(q.kind),
        handle: String(q.handle),
        isDefault: String(q.handle) === '0:' && under.every((c) => String(c.handle) === '0:'),
        ...(under.length > 0 ? { children: under.map((c) => String(c.kind)) } : {}),
        // direct_packets_stat is a counter, not a setting: left out, so that state comparisons hold.
        ...(q.options && typeof q.options === 'object' ? { options: Object.fromEntries(Object.entries(q.options as Record<string, unknown>).filter(([k]) => k !== 'direct_packets_stat')) } : {}),
        ...(detail ? { detail } : {}),
      };
    });
}

/** The qdisc_detail section: per device, its qdiscs, classes and filters as tc prints them (refcnt dropped). */
export function parseQdiscDetails(text: string): Map<string, QdiscDetail> {
  const out = new Map<string, QdiscDetail>();
  let current: QdiscDetail | undefined;
  let part: keyof QdiscDetail = 'qdiscs';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const dev = /^@@dev (\S+)$/.exec(line);
    if (dev) {
      current = { qdiscs: [], classes: [], filters: [] };
      out.set(dev[1]!, current);
      part = 'qdiscs';
    } else if (line === '@@class') part = 'classes';
    else if (line === '@@filter') part = 'filters';
    else if (current && line.trim() !== '') current[part].push(line.replace(/ refcnt \d+/, '').replace(/ direct_packets_stat \d+/, ''));
  }
  return out;
}

export function parseTeql(text: string): TeqlModuleFact {
  const kv = parseKeyValues(text);
  const fact: TeqlModuleFact = { loaded: kv.get('loaded') === '1', available: kv.get('available') === '1' };
  const max = kv.get('max');
  if (max !== undefined && /^\d+$/.test(max)) fact.maxEqualizers = Number(max);
  return fact;
}

/**
 * `PATH<tab>VALUE` (the rp_filter loop) and `PATH:VALUE` (grep -H, a line per line of the file:
 * joined, as the kernel's multi-line values are read as one). Paths hold neither a tab nor ':'.
 * Only the lines that follow each other are one file's: a file grep was given twice (a glob and
 * its name) is read once, not joined to itself (`0 0`: a review, 2026-12-07).
 */
export function parseSysctls(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let previous: string | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('/proc/sys/')) {
      previous = undefined;
      continue;
    }
    // The first of the two ends the path: a value may hold either (tcp_rmem holds tabs).
    const cut = line.search(/[\t:]/);
    if (cut <= 0) continue;
    const name = sysctlName(line.slice(0, cut));
    const value = sysctlValue(line.slice(cut + 1));
    const more = line[cut] === ':' && name === previous;
    previous = line[cut] === ':' ? name : undefined;
    out[name] = more ? `${out[name]} ${value}`.trim() : value;
  }
  return out;
}

/** `key<TAB>value` lines; anything else (a stray line) is ignored. */
export function parseBaseline(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab > 0) out[line.slice(0, tab)] = line.slice(tab + 1);
  }
  return out;
}

/** The main table's routes, and what a link's flush takes besides (today's batch: every table's, IPv6 apart). */
function routesOf(ip: IpSections): Pick<Facts, 'routes' | 'flushable'> {
  if (ip.allRoutes === undefined || ip.neighbours === undefined) return { routes: parseRoutes(ip.routes!) };
  return { routes: parseRoutes(ip.allRoutes.filter((r) => r.table === undefined || r.table === 'main')), flushable: parseFlushable(ip.allRoutes, ip.neighbours, ip.routes6) };
}

/**
 * A routing daemon's routes of the main table that the facts listed by selector (route-selectors.ts:
 * the `ip` section's and the management section's): the routes read by protocol leave them out.
 */
function daemonRoutesHeld(listed: readonly any[], routes: readonly RouteFact[]): RouteFact[] {
  const known = new Set(routes.map(routeLine));
  // The main table's IPv4 routes (an IPv6 client's `match` lists IPv6 ones).
  const held = parseRoutes(listed.filter((r) => !String(r.dst).includes(':') && (r.table === undefined || r.table === 'main')));
  return held.filter((r) => isDaemonRoute(r) && !known.has(routeLine(r)) && known.add(routeLine(r)));
}

export function parseFacts(host: string, output: string): Facts {
  const s = splitSections(output);
  const ipNames = s.has('ip') ? ['links', 'ip'] : ['links', 'addresses', 'routes'];
  for (const name of [...ipNames, 'qdiscs', 'teql', 'management', 'sysctls', 'end']) {
    if (!s.has(name)) throw new FactError(host, `facts output is missing its "${name}" section (is this a Linux router with iproute2?)`);
  }
  // An iproute2 older than its JSON output (Debian 9's 4.9): said as such, not as unreadable JSON.
  const noJson = /Option "-j(?:son)?" is unknown/.exec(output);
  if (noJson) throw new FactError(host, `this router's iproute2 has no JSON output (\`${noJson[0]}\`): teqlctl reads ip and tc with -j, which newer iproute2 releases have (4.19 and later, as in Debian 10 and later)`);
  const ip = ipSections(host, s);
  const links = parseJsonArray(host, 'links', ip.links);
  const facts: Facts = {
    links: parseLinks(links),
    addresses: parseAddresses(parseJsonArray(host, 'addresses', ip.addresses)),
    ...routesOf(ip),
    rootQdiscs: parseRootQdiscs(parseJsonArray(host, 'qdiscs', s.get('qdiscs')!), parseQdiscDetails(s.get('qdisc_detail') ?? '')),
    sysctls: { ...parseSysctls(s.get('sysctls')!), ...parseSysctls(s.get('ipv6_mtus') ?? '') },
    teql: parseTeql(s.get('teql')!),
  };
  // Not a module, but its equalizers are there (link type void, ARPHRD_VOID): built into the kernel.
  if (!facts.teql.loaded && links.some((l) => /^teql\d+$/.test(String(l.ifname)) && l.link_type === 'void')) facts.teql = { loaded: true, available: true, builtin: true };
  // sch_teql does not expose max_equalizers in /sys: the teqlN devices it created tell it.
  if (facts.teql.loaded && facts.teql.maxEqualizers === undefined) {
    facts.teql.maxEqualizers = facts.links.filter((l) => /^teql\d+$/.test(l.name)).length;
  }
  if (s.has('boot')) facts.boot = parseBoot(s.get('boot')!, host);
  if (s.has('baseline')) facts.baseline = parseBaseline(s.get('baseline')!);
  Object.assign(facts, lockFacts(s.get('lock') ?? '', s.get('open-runs') ?? ''));
  const fingerprint = s.get('fingerprint')?.trim();
  // Empty where the router has no md5sum; absent from a re-read after changes (factsScript).
  if (fingerprint !== undefined) facts.fingerprint = fingerprint;
  facts.routes.push(...daemonRoutesHeld([...(ip.held ?? []), ...heldRoutes(host, s.get('management')!)], facts.routes));
  const management = parseManagement(host, s.get('management')!);
  if (management) facts.management = management;
  else {
    const unknown = unknownManagement(s.get('management')!);
    if (unknown) facts.managementUnknown = unknown;
  }
  Object.assign(facts, identityFacts(s.get('identity') ?? '', links));
  return detached(facts); // they live as long as the host's run: none may keep the output alive (detached.ts)
}

