// Pure: the facts script's `ip` section, one iproute2 batch printing two JSON arrays (addresses,
// routes; see gather/script.ts), split into the two sections they were before.
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
 * The links, and the `ip` section (one batch: addresses, routes, every table's routes, permanent
 * neighbours; see gather/script.ts) as the two sections an older teqlctl read by two processes,
 * with the last two where they were read (an older teqlctl's batch, or a recording, has two arrays;
 * an iproute2 that cannot print neighbours as JSON, three): undefined then, not empty. Those
 * sections as they are when present (a recording of one).
 */
export function ipSections(host: string, s: Map<string, string>): { links: string; addresses: string; routes: string; allRoutes?: string; neighbours?: string } {
  const batch = s.get('ip');
  if (batch === undefined) return { links: s.get('links')!, addresses: s.get('addresses')!, routes: s.get('routes')! };
  const arrays = jsonArrays(batch);
  if (arrays.length < 2 || arrays.length > 4) throw new FactError(host, `could not read addresses and routes: expected two to four JSON arrays from iproute2 (\`ip -batch\`), got ${arrays.length}: ${batch.trim().slice(0, 200)}`);
  return { links: s.get('links')!, addresses: arrays[0]!, routes: arrays[1]!, ...(arrays.length === 4 ? { allRoutes: arrays[2]!, neighbours: arrays[3]! } : {}) };
}
