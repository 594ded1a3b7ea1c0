// Pure: sysctls whose write the kernel copies onto every interface, so that writing the old value
// back is not the undo. `net.ipv4.ip_forward` (and `conf.all.forwarding`) sets every interface's
// `forwarding` and `conf.all.accept_redirects` to its opposite (inet_forward_change);
// `net.ipv6.conf.all.forwarding` sets every interface's (addrconf_fixup_forwarding). An undo that
// wrote 0 back left a hardened router's all.accept_redirects at 1 and an interface that forwarded
// on its own at 0 (found by a review in a network namespace, 2026-12-05). Their facts read every
// interface's value with a glob, and the undo writes them back after the global one.
// disable_ipv6 is refused instead: turning IPv6 off deletes the links' IPv6 addresses and routes,
// which teqlctl does not read and no undo could add back.

interface Propagation {
  /** The per-interface sysctl the kernel sets, as a glob name the facts script expands. */
  perInterface: string;
  /** Set by the kernel as well (IPv4: all.accept_redirects = !forwarding). */
  alsoSet: string[];
}

const IPV4: Propagation = { perInterface: 'net.ipv4.conf.*.forwarding', alsoSet: ['net.ipv4.conf.all.accept_redirects'] };
const IPV6: Propagation = { perInterface: 'net.ipv6.conf.*.forwarding', alsoSet: [] };

export function propagation(name: string): Propagation | undefined {
  if (name === 'net.ipv4.ip_forward' || name === 'net.ipv4.conf.all.forwarding') return IPV4;
  if (name === 'net.ipv6.conf.all.forwarding') return IPV6;
  return undefined;
}

/** What the facts must read for a task on `name`: the glob and the other values the kernel sets. */
export function propagatedNames(name: string): string[] {
  const p = propagation(name);
  return p ? [p.perInterface, ...p.alsoSet] : [];
}

/** The names and values read that the kernel overwrites on a write of `name`, `all` left out (it is the global itself). */
export function overwritten(name: string, sysctls: Readonly<Record<string, string>>): Array<{ name: string; value: string }> {
  const p = propagation(name);
  if (!p) return [];
  const [head, tail] = p.perInterface.split('*') as [string, string];
  const perInterface = Object.keys(sysctls).filter((n) => n.startsWith(head) && n.endsWith(tail) && n !== `${head}all${tail}` && n.length > head.length + tail.length).sort();
  return [...perInterface, ...p.alsoSet.filter((n) => sysctls[n] !== undefined)].map((n) => ({ name: n, value: sysctls[n]! }));
}

/** What the kernel holds after `name` is written with `value`, as simulate.ts threads it. */
export function propagatedValues(name: string, value: string, sysctls: Readonly<Record<string, string>>): Record<string, string> {
  const p = propagation(name);
  if (!p) return {};
  const [head, tail] = p.perInterface.split('*') as [string, string];
  const out: Record<string, string> = {};
  for (const n of Object.keys(sysctls)) if (n.startsWith(head) && n.endsWith(tail)) out[n] = value;
  if (p === IPV4) {
    out['net.ipv4.ip_forward'] = value;
    if (sysctls['net.ipv4.conf.all.accept_redirects'] !== undefined) out['net.ipv4.conf.all.accept_redirects'] = value === '0' ? '1' : '0';
  }
  return out;
}

/** Why a write of `name` to `value` is refused, or undefined. */
export function refusedWrite(name: string, before: string, value: string): string | undefined {
  const m = /^net\.ipv6\.conf\.(.+)\.disable_ipv6$/.exec(name);
  if (!m || before === value) return undefined;
  const dev = m[1]!;
  // `default` is for interfaces made later: nothing is deleted.
  if (dev !== 'default' && (dev === 'all' || value !== '0')) {
    return dev === 'all'
      ? `the kernel copies net.ipv6.conf.all.disable_ipv6 onto every interface, and turning IPv6 off deletes their IPv6 addresses and routes, which no rollback could put back`
      : `turning IPv6 off on ${dev} deletes its IPv6 addresses and routes, which no rollback could put back`;
  }
  return undefined;
}

/** The globals whose write overwrites `name` (an interface's forwarding), or none. */
export function overwrittenBy(name: string): string[] {
  if (/^net\.ipv4\.conf\.(.+)\.forwarding$/.test(name) || name === 'net.ipv4.conf.all.accept_redirects') return ['net.ipv4.ip_forward', 'net.ipv4.conf.all.forwarding'].filter((g) => g !== name);
  if (/^net\.ipv6\.conf\.(.+)\.forwarding$/.test(name)) return ['net.ipv6.conf.all.forwarding'].filter((g) => g !== name);
  return [];
}

/**
 * The baseline's record, beside the global's own (`sysctl:NAME`), of the values the kernel would
 * not give back by itself when the global goes back to `before`: an interface that forwarded on
 * its own, a hardened all.accept_redirects. `state: absent` on the global writes them back after
 * it. Only those that differ are kept (none, the usual case: no entry, no write on the router).
 */
export const PROPAGATED_PREFIX = 'propagated:';

export function propagatedRecord(name: string, before: string, sysctls: Readonly<Record<string, string>>, ownEntry: (name: string) => boolean = () => false): string | undefined {
  const kernel = propagatedValues(name, before, sysctls);
  // A value with a baseline entry of its own was changed by teqlctl already: its entry holds the
  // value from before teqlctl, and its own `state: absent` puts that back (a review found
  // teqlctl's value recorded here and written back by the teardown).
  const exceptions = overwritten(name, sysctls).filter((o) => kernel[o.name] !== o.value && !ownEntry(o.name));
  return exceptions.length > 0 ? exceptions.map((o) => `${o.name}=${o.value}`).join(' ') : undefined;
}

/** The pairs of a propagatedRecord; an interface name may hold `=`, the value never does. */
export function parsePropagatedRecord(value: string): Array<{ name: string; value: string }> {
  return value.split(' ').flatMap((pair) => {
    const eq = pair.lastIndexOf('=');
    return eq > 0 ? [{ name: pair.slice(0, eq), value: pair.slice(eq + 1) }] : [];
  });
}
