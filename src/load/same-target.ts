// Two inventory hosts of one run that connect to the same place are one router under two names:
// both would take its lock as the same run (the lock is the run's, so neither is refused), plan
// from the same facts and apply at once, each with a dead-man of its own. Refused before anything
// connects. The place is what the inventory says (address or alias, port, ProxyJump, ssh_config
// file): routers at one private address behind different jump hosts are different routers.
import type { Inventory } from './types.js';
import type { Problems } from './problems.js';
import { formatPos } from './scope.js';
import { isIPv6 } from 'node:net';

/**
 * One spelling per place: names in lower case (DNS and ssh -G ignore case), IPv6 in its short form
 * (2001:db8:0:0::1 is 2001:db8::1), a link-local zone as written (interface names have a case). A
 * port not given is not taken for 22: ssh_config may give that name another.
 */
export function sameHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (!isIPv6(bare)) return host.toLowerCase();
  // A link-local address's zone (fe80::1%eth0) stays as written: URL has no room for it.
  const [addr, zone] = bare.split('%') as [string, string | undefined];
  return new URL(`http://[${addr}]/`).hostname.slice(1, -1) + (zone !== undefined ? `%${zone}` : '');
}

export function checkSameTarget(inventory: Inventory, hosts: Iterable<string>, problems: Problems): void {
  const first = new Map<string, string>();
  for (const name of hosts) {
    const host = inventory.hosts.get(name);
    if (!host) continue;
    const c = host.connection;
    const key = [sameHost(c.host), c.port ?? '', c.proxyJump ?? '', c.sshConfigFile ?? ''].join('\u0000');
    const other = first.get(key);
    if (other === undefined) {
      first.set(key, name);
      continue;
    }
    const where = `${c.host}${c.port !== undefined ? ` port ${c.port}` : ''}${c.proxyJump ? ` through ${c.proxyJump}` : ''}`;
    problems.add(
      `hosts ${other} (at ${formatPos(inventory.hosts.get(other)!.pos)}) and ${name} both connect to ${where}: one router under two names would be planned and changed twice at once`,
      host.pos,
      'give each router its own ansible_host (or ansible_port, or ProxyJump in ansible_ssh_common_args), or keep one of the names in this run',
    );
  }
}
