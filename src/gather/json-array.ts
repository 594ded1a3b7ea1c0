// iproute2's JSON output, read whole or not at all: the facts' sections and the session's path.
import { FactError } from '../errors.js';

/** iproute2 prints one JSON array; anything else in the section (a warning line) is ignored. */
export function parseJsonArray(host: string, section: string, text: string): any[] {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  if (start < 0 || end < start) throw new FactError(host, `could not read ${section}: expected JSON from iproute2, got: ${text.trim().slice(0, 200)}`);
  const json = text.slice(start, end + 1);
  try {
    const value = parseOrRepaired(json);
    if (!Array.isArray(value)) throw new Error('not an array');
    return value;
  } catch (err) {
    throw new FactError(host, `could not parse ${section} JSON: ${(err as Error).message}`);
  }
}

// iproute2 before its fix of issue #37 (5.10 and earlier, as FRR and bird routers run) prints a
// route's type without its key: `{"blackhole","dst":"192.0.2.0/24",...}`. Read as the key it lost.
const KEYLESS_ROUTE_TYPE = /([{,])\s*"(unicast|local|broadcast|multicast|throw|unreachable|prohibit|blackhole|nat|anycast)"\s*(?=[,}])/g;

function parseOrRepaired(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch (err) {
    const repaired = json.replace(KEYLESS_ROUTE_TYPE, '$1"type":"$2"');
    if (repaired === json) throw err;
    return JSON.parse(repaired);
  }
}
