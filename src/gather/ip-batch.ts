// Pure: the facts script's `ip` section, one iproute2 batch printing its JSON arrays (addresses,
// routes, neighbours, IPv6 routes; see gather/script.ts), split into the sections they were before.
import { FactError } from '../errors.js';

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
    out.push(text.slice(i, j + 1));
    i = j + 1;
  }
  return out;
}

/**
 * The links, and the `ip` section: today's batch (addresses, every table's IPv4 routes, the
 * permanent neighbours, and the IPv6 routes where the kernel has IPv6, said by an `ipv6` line
 * before them: four arrays, or three; see gather/script.ts), or an older teqlctl's (the first three
 * alone; or addresses and the main table's routes: two, as in recordings), whose other tables and
 * neighbours are then not known. Those sections as they are when present (a recording of one, by
 * two processes). A command of the batch that failed leaves an array out: told by what the arrays
 * hold, and named, never read as another (a review found every table's routes read as the main
 * table's, no address read).
 */
export function ipSections(host: string, s: Map<string, string>): { links: string; addresses: string; routes?: string; allRoutes?: string; neighbours?: string; routes6?: string } {
  const batch = s.get('ip');
  if (batch === undefined) return { links: s.get('links')!, addresses: s.get('addresses')!, routes: s.get('routes')! };
  const arrays = jsonArrays(batch);
  const fail = (why: string) => new FactError(host, `could not read addresses and routes: ${why} from iproute2 (\`ip -batch\`): ${batch.trim().slice(0, 200)}`);
  const ipv6 = /^ipv6$/m.test(batch);
  if (ipv6 && arrays.length !== 4) throw fail(`expected four JSON arrays (the kernel has IPv6), got ${arrays.length}`);
  if (arrays.length < 2 || arrays.length > 4) throw fail(`expected three JSON arrays (two from an older teqlctl), got ${arrays.length}`);
  // Addresses name their links; routes and neighbours have a destination (dst) at the top.
  if (/^\[\{"dst":/.test(arrays[0]!) || /^\[\{"type":/.test(arrays[0]!)) throw fail('its first array holds routes, not addresses');
  if (arrays.length === 2) {
    // The main table alone has no `table` key; a neighbour has a state: a failed command of today's batch.
    if (/"table":|"state":\[/.test(arrays[1]!)) throw fail('two JSON arrays where three were printed (a command of the batch failed)');
    return { links: s.get('links')!, addresses: arrays[0]!, routes: arrays[1]! };
  }
  // Every IPv6 route has a router preference, no IPv4 one; neighbours have none.
  if (/"pref":"/.test(arrays[1]!) || /"pref":"/.test(arrays[2]!)) throw fail('IPv6 routes where IPv4 routes or neighbours were expected');
  if (arrays.length === 3) return { links: s.get('links')!, addresses: arrays[0]!, allRoutes: arrays[1]!, neighbours: arrays[2]! };
  if (!ipv6) throw fail('four JSON arrays without the kernel\'s IPv6');
  return { links: s.get('links')!, addresses: arrays[0]!, allRoutes: arrays[1]!, neighbours: arrays[2]!, routes6: arrays[3]! };
}
