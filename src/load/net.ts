// Strict IPv4 and interface-name rules. Each check returns why a value is wrong, or undefined.
import { codePoint, shown } from './shown.js';
import { broadcastOf, formatIPv4, networkOf, parseIPv4, type Cidr } from '../router/ipv4.js';

const DOTTED_QUAD_HINT = 'four decimal numbers 0..255 without leading zeros, e.g. 10.0.0.1';

export function checkIPv4(text: string): string | undefined {
  return parseIPv4(text) === undefined ? `${shown(text)} is not an IPv4 address (${DOTTED_QUAD_HINT})` : undefined;
}

/** Parses `a.b.c.d/len`; returns the reason on failure. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  if (slash < 0) {
    return parseIPv4(text) === undefined ? `${shown(text)} is not an address with a prefix length, such as 10.0.0.1/24` : `'${text}' has no prefix length; write it as address/prefix, e.g. ${text}/24`;
  }
  const ipText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const ip = parseIPv4(ipText);
  if (ip === undefined) return `${shown(ipText)} in ${shown(text)} is not an IPv4 address (${DOTTED_QUAD_HINT})`;
  if (!/^(0|[1-9]\d?)$/.test(prefixText) || Number(prefixText) > 32) {
    return `prefix length ${shown(prefixText)} in ${shown(text)} must be a number 0..32`;
  }
  return { ip, prefix: Number(prefixText) };
}

/** An address to put on an interface: for /0../30 it must be neither the network nor the broadcast address. */
export function checkHostCidr(text: string): string | undefined {
  const c = parseCidr(text);
  if (typeof c === 'string') return c;
  if (c.prefix > 30) return undefined; // /31 (RFC 3021) and /32 have no network or broadcast address
  const net = networkOf(c);
  const broadcast = broadcastOf(c);
  if (c.ip === net) return `'${text}' is the network address of its /${c.prefix}, not a host address`;
  if (c.ip === broadcast) return `'${text}' is the broadcast address of its /${c.prefix}, not a host address`;
  return undefined;
}

/** A destination network: host bits must be zero. */
export function checkNetworkCidr(text: string): string | undefined {
  const c = parseCidr(text);
  if (typeof c === 'string') return c;
  const net = networkOf(c);
  if (c.ip !== net) return `'${text}' has host bits set; the network is ${formatIPv4(net)}/${c.prefix}`;
  return undefined;
}

/**
 * Linux's dev_valid_name() (1..15 bytes, not `.` or `..`, no `/`, `:` or whitespace), and printable ASCII
 * only: the kernel would take other bytes, but real routers use ASCII names, and a name such as `еth1`
 * (Cyrillic е) or one holding an invisible character is far likelier an attack or a typo than a device.
 */
export function checkInterfaceName(name: string): string | undefined {
  if (name.length === 0) return 'an interface name cannot be empty';
  const bytes = Buffer.byteLength(name);
  if (bytes > 15) return `interface name ${shown(name)} is ${bytes} bytes long; Linux allows at most 15`;
  if (name === '.' || name === '..') return `${shown(name)} is not a valid interface name`;
  const bad = /[^\x21-\x7e]|[/:]/u.exec(name)?.[0];
  return bad === undefined ? undefined : `interface name ${shown(name)} contains ${describeChar(bad)}`;
}

function describeChar(c: string): string {
  if (c === '/' || c === ':') return `'${c}'`;
  if (/\s/u.test(c)) return `whitespace (${codePoint(c)})`;
  if (/[\p{Cc}\p{Cf}]/u.test(c)) return `an invisible character (${codePoint(c)})`;
  return `the non-ASCII character '${c}' (${codePoint(c)}); interface names are ASCII`;
}
