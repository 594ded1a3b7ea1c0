// An inventory host entry as Ansible reads it: `name`, `name:port`, and ranges such as `r[01:20]`,
// `[a:c]`, `db[1:9:2]` (several ranges multiply); an IPv6 address alone (`2001:db8::1`) or in
// brackets with its port (`[2001:db8::1]:2222`), as Ansible's parse_address takes them
// (parse-address.ts). Pure; the caller checks each expanded name.
import { parseAddress } from './parse-address.js';

export type Expanded = { hosts: string[]; port?: number } | { error: string; hint: string };

const ASCII_LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const RANGE_HINT = 'write a range as [01:20] (digits, same width when zero-padded), [a:f] (letters) or [1:9:2] (with a step)';

/**
 * Splits a trailing `:port` off `entry` and expands its ranges, stopping past `max` hosts so a
 * hostile `r[0:99999999]` costs nothing.
 */
export function expandHostEntry(entry: string, max: number): Expanded {
  // A port only where Ansible takes one; else the whole entry is the name (then refused by the
  // caller for its ':', not split into a host Ansible does not have).
  const parsed = parseAddress(entry);
  if (!parsed && entry.endsWith(':')) {
    return { error: `host '${entry}' ends in ':'`, hint: "':' is reserved for a port: write host:2222, or set ansible_port" };
  }
  const notAPort = parsed ? undefined : /^([^:[\]]+):(\d+)$/.exec(entry);
  if (notAPort) {
    return {
      error: `host '${entry}' is one host name to Ansible, not '${notAPort[1]}' on port ${notAPort[2]}: a port follows only a host name (labels of letters, digits, - and _, none ending in - or _) or an IP address`,
      hint: `write the host's name alone and set ansible_port=${notAPort[2]}${notAPort[1]!.includes('@') ? ' (and ansible_user for the part before @)' : ''}`,
    };
  }
  const pattern = parsed?.host ?? entry;
  const port = parsed?.port;
  const hosts: string[] = [];
  const error = expand(pattern, hosts, max);
  if (error) return { error: `host range '${entry}': ${error}`, hint: error.startsWith('expands') ? 'list fewer hosts, or split the fleet into several inventories' : RANGE_HINT };
  return port === undefined ? { hosts } : { hosts, port };
}

/** Ansible's expand_hostname_range: the first [..] is expanded, then each result again. */
function expand(name: string, out: string[], max: number): string | undefined {
  const open = name.indexOf('[');
  if (open < 0) {
    if (out.length >= max) return `expands to more than ${max} hosts`;
    out.push(name);
    return undefined;
  }
  const close = name.indexOf(']', open);
  if (close < 0) return "'[' without ']'";
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const seq = sequence(name.slice(open + 1, close), max);
  if (typeof seq === 'string') return seq;
  for (const part of seq) {
    const error = expand(head + part + tail, out, max);
    if (error) return error;
  }
  return undefined;
}

function sequence(range: string, max: number): string[] | string {
  const bounds = range.split(':');
  if (bounds.length !== 2 && bounds.length !== 3) return 'a range must be begin:end or begin:end:step';
  const beg = bounds[0] || '0';
  const end = bounds[1]!;
  if (!end) return 'a range must have an end';
  const stepText = bounds[2] ?? '1';
  if (!/^\d+$/.test(stepText) || Number(stepText) < 1) return `step '${stepText}' is not a positive whole number`;
  const step = Number(stepText);
  const iBeg = beg.length === 1 ? ASCII_LETTERS.indexOf(beg) : -1;
  const iEnd = end.length === 1 ? ASCII_LETTERS.indexOf(end) : -1;
  if (iBeg >= 0 && iEnd >= 0) {
    if (iBeg > iEnd) return `'${beg}' comes after '${end}'`;
    const letters: string[] = [];
    for (let i = iBeg; i <= iEnd; i += step) letters.push(ASCII_LETTERS[i]!);
    return letters;
  }
  if (!/^\d+$/.test(beg) || !/^\d+$/.test(end)) return `'${range}' is neither a number range nor a letter range`;
  const width = beg.startsWith('0') && beg.length > 1 ? beg.length : 0;
  if (width && width !== end.length) return `'${beg}' and '${end}' differ in width`;
  if (Number(beg) > Number(end)) return `'${beg}' comes after '${end}'`;
  if (Math.floor((Number(end) - Number(beg)) / step) + 1 > max) return `expands to more than ${max} hosts`;
  const out: string[] = [];
  for (let i = Number(beg); i <= Number(end); i += step) out.push(String(i).padStart(width, '0'));
  return out;
}
