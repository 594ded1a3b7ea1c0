// The SSH session's path as the router routes its replies: `ip route get CLIENT from SERVER`, and
// the IPv4 policy rules the kernel took it by (gather/script.ts, the management section).
import { parseJsonArray } from './json-array.js';
import { jsonArrays } from './ip-batch.js';
import { FactError } from '../errors.js';
import { selectedRoutes } from './route-selectors.js';
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

/** The line before the batch's listings, naming each (tab-separated); the line before a fallback's route (management-script.ts). */
export const HELD_LINE = 'held';
export const FALLBACK_LINE = '@fallback';

/**
 * The section's JSON arrays: the listings of routes a plan weighs whoever keeps them (`held`, one
 * per selector of the held line), and the rest: the session's route, the rules, a fallback's
 * route. With a client, the batch prints the listings, the route and the rules; where one of the
 * last two failed, the fallback follows. A count that fits none of these is a listing that failed:
 * refused, never another array read in its place. A section of an older teqlctl (a recording) has
 * no held line.
 */
function sectionArrays(host: string, text: string): { held?: Array<{ selector: string; routes: any[] }>; rest: any[][] } {
  const lines = text.split('\n');
  const client = /^client=/.test(lines[0] ?? '');
  const arrays = (part: string[]) => jsonArrays(part.join('\n')).map((a) => parseJsonArray(host, 'management route', a));
  const heldAt = lines.findIndex((l) => l === HELD_LINE || l.startsWith(`${HELD_LINE}\t`));
  if (heldAt < 0) return { rest: client ? arrays(lines.slice(1)) : [] };
  const selectors = lines[heldAt]!.split('\t').slice(1);
  const fallbackAt = lines.indexOf(FALLBACK_LINE);
  const batch = arrays(lines.slice(heldAt + 1, fallbackAt < 0 ? undefined : fallbackAt));
  const fallback = fallbackAt < 0 ? [] : arrays(lines.slice(fallbackAt + 1));
  const n = selectors.length;
  const fits = !client ? batch.length === n : fallbackAt < 0 ? batch.length === n + 2 : batch.length >= n && batch.length <= n + 1;
  // A listing's routes are neither the session's route (`ip route get` adds uid and cache) nor rules.
  const misread = batch.slice(0, n).some((a) => a.some((r) => r?.priority !== undefined || r?.cache !== undefined || r?.uid !== undefined));
  if (!fits || misread) throw new FactError(host, `could not list the routes a plan weighs (${selectors.join(', ')}): iproute2 printed ${batch.length} JSON arrays for them and the session's route: ${text.slice(0, 300)}`);
  return { held: selectors.map((selector, i) => ({ selector, routes: batch[i]! })), rest: [...batch.slice(n), ...fallback] };
}

/**
 * The main table's routes that the section listed whoever keeps them (a routing daemon too): those
 * covering the client or a check's target (`match`; the others are listed in the `ip` section).
 * Empty where it listed none.
 */
export function heldRoutes(host: string, text: string): any[] {
  return (sectionArrays(host, text).held ?? []).flatMap(({ selector, routes }) => selectedRoutes(selector, routes));
}

/**
 * The section: `client=.. port=.. server=..`, then the held listings (sectionArrays), the route
 * (`dst`), the rules (`priority`), and the route again where the lookup from the server's address
 * failed (its fallback without it). The first route counts.
 */
export function parseManagement(host: string, text: string): ManagementFact | undefined {
  const [firstLine = ''] = text.split('\n');
  const m = /^client=(\S+)(?: port=(\d+))?(?: server=(\S+))?/.exec(firstLine);
  if (!m) return undefined;
  const arrays = sectionArrays(host, text).rest;
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
  const said = text.slice(firstLine.length).split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('[') && !l.startsWith(`${HELD_LINE}\t`) && l !== FALLBACK_LINE);
  return `from ${m[1]}: ${said ? `ip route get said "${said.slice(0, 120)}"` : 'ip route get named no interface'}`;
}
