// The SSH session's path as the router routes its replies: `ip route get CLIENT from SERVER`, and
// the IPv4 policy rules the kernel took it by (gather/script.ts, the management section).
import { parseJsonArray } from './json-array.js';
import type { ManagementFact, PolicyRuleFact } from './facts.js';

/** A rule's keys that neither select packets other than by address nor act otherwise than a lookup. */
const PLAIN_RULE_KEYS = new Set(['priority', 'src', 'srclen', 'dst', 'dstlen', 'table', 'protocol']);

/** `ip -j rule show`, in the kernel's order. A selector or action teqlctl does not weigh marks the rule `other`. */
export function parseRules(json: any[]): PolicyRuleFact[] {
  return json.filter((r) => typeof r?.priority === 'number').map((r) => ({
    priority: r.priority,
    ...(typeof r.table === 'string' ? { table: r.table } : {}),
    ...(typeof r.src === 'string' && r.src !== 'all' ? { from: `${r.src}/${r.srclen ?? 32}` } : {}),
    ...(typeof r.dst === 'string' && r.dst !== 'all' ? { to: `${r.dst}/${r.dstlen ?? 32}` } : {}),
    ...(Object.keys(r).some((k) => !PLAIN_RULE_KEYS.has(k)) ? { other: true as const } : {}),
  }));
}

/**
 * The section: `client=.. port=.. server=..`, then one JSON array per line: the route (`dst`),
 * the rules (`priority`), and the route again where the lookup from the server's address failed
 * (its fallback without it). The first route counts.
 */
export function parseManagement(host: string, text: string): ManagementFact | undefined {
  const [firstLine = '', ...lines] = text.split('\n');
  const m = /^client=(\S+)(?: port=(\d+))?(?: server=(\S+))?/.exec(firstLine);
  if (!m) return undefined;
  const arrays = lines.filter((l) => l.trimStart().startsWith('[')).map((l) => parseJsonArray(host, 'management route', l));
  // No route to the client (an address `ip route get` refuses): the path is unknown, as for a route
  // without a device, not a facts read that fails (the dead-man still covers a cut path).
  const route = arrays.find((a) => a[0] !== undefined && typeof a[0].priority !== 'number')?.[0];
  if (!route?.dev) return undefined;
  const rules = arrays.find((a) => typeof a[0]?.priority === 'number');
  const table = typeof route.table === 'string' && route.table !== 'main' ? route.table : undefined;
  return {
    clientIp: m[1]!,
    ...(m[2] ? { clientPort: m[2] } : {}),
    ...(m[3] ? { serverIp: m[3] } : {}),
    dev: String(route.dev),
    ...(route.gateway ? { via: String(route.gateway) } : {}),
    ...(table ? { table } : {}),
    ...(table && rules ? { rules: parseRules(rules) } : {}),
  };
}

/**
 * Where the session has a client whose path `ip route get` did not give (a management VRF, whose
 * routes the main lookup does not see; no route at all): what it said, for the plan's warning.
 */
export function unknownManagement(text: string): string | undefined {
  const firstLine = text.split('\n')[0] ?? '';
  const m = /^client=(\S+)/.exec(firstLine);
  if (!m) return undefined;
  const said = text.slice(firstLine.length).split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('['));
  return `from ${m[1]}: ${said ? `ip route get said "${said.slice(0, 120)}"` : 'ip route get named no interface'}`;
}
