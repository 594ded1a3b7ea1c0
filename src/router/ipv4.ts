// IPv4 arithmetic, the one module for it: strict dotted quads in, unsigned 32-bit numbers inside.
// Own parsing on purpose: ipaddr.js reads `010.1.1.1` as octal (8.1.1.1).

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const QUAD = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** The address as an unsigned 32-bit number, or undefined if it is not a strict dotted quad. */
export function parseIPv4(text: string): number | undefined {
  if (!QUAD.test(text)) return undefined;
  return text.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export interface Cidr {
  ip: number;
  prefix: number;
}

export function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function networkOf(c: Cidr): number {
  return (c.ip & mask(c.prefix)) >>> 0;
}

export function broadcastOf(c: Cidr): number {
  return (networkOf(c) | ~mask(c.prefix)) >>> 0;
}

// Text forms, for addresses the loader or the kernel already wrote strictly (`10.0.0.1/31`).

export function splitCidr(cidr: string): { ip: string; prefix: number } {
  const [ip, prefix] = cidr.split('/');
  return { ip: ip!, prefix: prefix === undefined ? 32 : Number(prefix) };
}

/** `10.0.0.5/24` -> `10.0.0.0/24`. */
export function cidrNetwork(cidr: string): string {
  const { ip, prefix } = splitCidr(cidr);
  return `${formatIPv4(networkOf({ ip: parseIPv4(ip) ?? 0, prefix }))}/${prefix}`;
}

/** The address as IPv4 (an IPv4-mapped IPv6 address such as ::ffff:10.0.2.2 included), or undefined. */
export function asIpv4(ip: string): string | undefined {
  const v4 = ip.replace(/^::ffff:/i, '');
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(v4) ? v4 : undefined;
}

/**
 * Does prefix (`default` or an IPv4 CIDR) contain the address? An IPv6 address is in no IPv4 prefix,
 * `default` included: a router managed over IPv6 keeps its session whatever its IPv4 routes.
 */
export function contains(prefix: string, address: string): boolean {
  const ip = asIpv4(address);
  if (ip === undefined) return false;
  if (prefix === 'default') return true;
  const { prefix: len } = splitCidr(prefix);
  return cidrNetwork(`${ip}/${len}`) === cidrNetwork(prefix);
}

export function prefixLength(prefix: string): number {
  return prefix === 'default' ? 0 : splitCidr(prefix).prefix;
}
