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

/** Does prefix (`default` or a CIDR) contain the address? */
export function contains(prefix: string, ip: string): boolean {
  if (prefix === 'default') return true;
  const { prefix: len } = splitCidr(prefix);
  return networkOf(`${ip}/${len}`) === networkOf(prefix);
}

export function prefixLength(prefix: string): number {
  return prefix === 'default' ? 0 : splitCidr(prefix).prefix;
}
