// Minimal IPv4 arithmetic for planning: the loader has already validated every address strictly.

export function toInt(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function fromInt(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

export function splitCidr(cidr: string): { ip: string; prefix: number } {
  const [ip, prefix] = cidr.split('/');
  return { ip: ip!, prefix: prefix === undefined ? 32 : Number(prefix) };
}

export function networkOf(cidr: string): string {
  const { ip, prefix } = splitCidr(cidr);
  const size = 2 ** (32 - prefix);
  return `${fromInt(Math.floor(toInt(ip) / size) * size)}/${prefix}`;
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
  return networkOf(`${ip}/${len}`) === networkOf(prefix);
}

export function prefixLength(prefix: string): number {
  return prefix === 'default' ? 0 : splitCidr(prefix).prefix;
}
