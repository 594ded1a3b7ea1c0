// Ansible's split_host_pattern (inventory/manager.py, 2.14): how a host pattern is cut into terms. A
// text holding ',' is split on ',' only ('a:b,c' is the terms 'a:b' and c); else a text that
// parse_address takes whole (an IPv6 address, host:port, r[1:3]) is one term; else it is split on ':'
// and on whitespace, a bracketed part kept whole. Each entry of a list is split so on its own.
import { parseAddress } from './parse-address.js';
import { PatternError } from './pattern-error.js';

// Python's whitespace (str.isspace, \s on str), not JavaScript's: \x1c-\x1f and \x85 are, \ufeff is not.
const PY_SPACE = '\\t\\n\\v\\f\\r \\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const TERM = new RegExp(`(?:[^${PY_SPACE}:[\\]]|\\[[^\\]]*\\])+`, 'g');
const EDGES = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** Python's str.strip(). */
export function pyStrip(s: string): string {
  return s.replace(EDGES, '');
}

/** The terms of `pattern` in the written order, stripped, empty ones left out. */
export function splitHostPattern(pattern: string | readonly string[]): string[] {
  if (typeof pattern !== 'string') return pattern.flatMap((p) => splitHostPattern(p));
  let parts: string[];
  if (pattern.includes(',')) parts = pattern.split(',');
  else if (parseAddress(pattern)) parts = [pattern];
  else {
    parts = pattern.match(TERM) ?? [];
    // Python's findall drops a '[' or ']' that pairs with nothing and cuts the term there:
    // 'router_[a' ran as 'router_' and 'a'. Said as written instead.
    if (/[[\]]/.test(pattern.replace(TERM, ''))) {
      throw new PatternError(`'${pattern}': a '[' or ']' pairs with nothing (Ansible would drop it and cut the pattern there)`, 'close the bracket (router_[ab], group[0], group[1:3]) or take it out');
    }
  }
  return parts.map(pyStrip).filter((p) => p !== '');
}
