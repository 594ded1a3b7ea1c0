// IPv4 addresses as iproute2's JSON shows them, with what teqlctl needs to put one back exactly
// (the undo of a removal or of a replacement by another prefix), and why not where it cannot. An
// address re-added from its CIDR alone lost its broadcast, label, metric, peer, flags and
// lifetimes, and a rollback that said "exactly as before" left another address (found on the lab:
// 10.0.0.0/24 brd 10.0.0.255 metric 77 label eth1:old came back as a bare 10.0.0.0/24).
import type { AddressAttrs, AddressFact } from './facts.js';

const FOREVER = 4294967295;
/** Flags `ip addr add` takes back for IPv4 (iproute2 refuses home and nodad there). */
const SETTABLE_FLAGS = ['noprefixroute', 'autojoin'] as const;
/**
 * Keys of an IPv4 `addr_info` entry that need nothing more: read into the fact, or implied by what
 * is (dynamic and deprecated by the lifetimes; secondary by the primary of its subnet, which a run
 * never removes from under it: address.ts refuses). A secondary comes back last of its subnet's,
 * a limit docs/deadman.md names.
 */
const READ_KEYS = new Set(['family', 'local', 'address', 'prefixlen', 'broadcast', 'scope', 'label', 'metric', 'protocol', 'valid_life_time', 'preferred_life_time', 'secondary', 'temporary', 'dynamic', 'deprecated', 'permanent', ...SETTABLE_FLAGS]);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function parseAddresses(json: any[]): AddressFact[] {
  const out: AddressFact[] = [];
  for (const link of json) {
    const dev = String(link.ifname);
    for (const a of link.addr_info ?? []) {
      if (a.family === 'inet') out.push(parseAddress(dev, a));
    }
  }
  return out;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function parseAddress(dev: string, a: any): AddressFact {
  const fact: AddressFact = { dev, cidr: `${a.local}/${a.prefixlen}` };
  if (a.secondary === true) fact.secondary = true;
  if (a.address !== undefined && a.address !== a.local) fact.peer = String(a.address);
  if (a.broadcast !== undefined) fact.broadcast = String(a.broadcast);
  if (a.label !== undefined && String(a.label) !== dev) fact.label = String(a.label);
  if (a.scope !== undefined && String(a.scope) !== 'global') fact.scope = String(a.scope);
  if (a.metric !== undefined && Number(a.metric) !== 0) fact.metric = Number(a.metric);
  // An iproute2 that shows it takes it back (`proto`, 6.3 and later).
  if (a.protocol !== undefined) fact.protocol = String(a.protocol);
  const flags = SETTABLE_FLAGS.filter((f) => a[f] === true);
  if (flags.length > 0) fact.flags = flags;
  const valid = Number(a.valid_life_time ?? FOREVER);
  const preferred = Number(a.preferred_life_time ?? FOREVER);
  if (valid !== FOREVER || preferred !== FOREVER) fact.lifetimes = { valid, preferred };
  const unknown = Object.keys(a).filter((k) => !READ_KEYS.has(k));
  if (unknown.length > 0) fact.unrestorable = `iproute2 shows ${unknown.join(', ')} on it, which teqlctl does not know how to set again`;
  return fact;
}

/** What a re-added address needs besides its device and CIDR: every attribute read. */
export function addressAttrs(a: AddressFact): AddressAttrs | undefined {
  const { dev: _dev, cidr: _cidr, secondary: _secondary, unrestorable: _unrestorable, ...attrs } = a;
  return Object.keys(attrs).length > 0 ? attrs : undefined;
}

/** `ADDR[/PREFIX]` as `ip addr add|del` takes it: with a peer, the prefix is the peer's. */
function target(cidr: string, peer: string | undefined): string[] {
  if (peer === undefined) return [cidr];
  const [local, prefix] = cidr.split('/');
  return [local!, 'peer', `${peer}/${prefix}`];
}

/** The arguments of `ip addr add` that bring the address back as it was read. */
export function addressAddArgs(dev: string, cidr: string, attrs: AddressAttrs = {}): string[] {
  const args = target(cidr, attrs.peer);
  if (attrs.broadcast !== undefined) args.push('broadcast', attrs.broadcast);
  if (attrs.label !== undefined) args.push('label', attrs.label);
  if (attrs.scope !== undefined) args.push('scope', attrs.scope);
  if (attrs.metric !== undefined) args.push('metric', String(attrs.metric));
  if (attrs.protocol !== undefined) args.push('proto', attrs.protocol);
  args.push(...(attrs.flags ?? []));
  if (attrs.lifetimes) args.push('valid_lft', String(attrs.lifetimes.valid), 'preferred_lft', String(attrs.lifetimes.preferred));
  args.push('dev', dev);
  return args;
}

/** The arguments of `ip addr del`: a point-to-point address is found by its peer too (else EADDRNOTAVAIL). */
export function addressDelArgs(dev: string, cidr: string, peer?: string): string[] {
  return [...target(cidr, peer), 'dev', dev];
}

/**
 * One line per address, every attribute teqlctl puts back but the lifetimes (they count down):
 * two reads of one address compare equal, and a rollback that lost an attribute shows.
 */
export function addressLine(a: AddressFact): string {
  const rest = addressAddArgs(a.dev, a.cidr, { ...addressAttrs(a), lifetimes: undefined }).slice(target(a.cidr, a.peer).length);
  return ['address', a.cidr, ...(a.peer !== undefined ? ['peer', a.peer] : []), ...rest].join(' ');
}
