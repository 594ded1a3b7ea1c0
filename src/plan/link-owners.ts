// Others that own the links a run configures: what they do later undoes the run without a word
// (a review of routers' own managers). Confirmed and verified, the bundle then lost its addresses
// at networkd's next reload, NetworkManager's next reapply, or a DHCP client's next lease: said in
// the plan and the recap (WARNING), with what to do. Not refused: the run itself is sound, and an
// operator may know the manager leaves these links alone (networkd's KeepConfiguration=).
import type { Facts } from '../gather/facts.js';
import type { TaskInstance } from '../load/types.js';

/** The links a task sets something on (present): a teql's slaves and device, an address's, a link's, a route's. */
function configuredLinks(t: TaskInstance): string[] {
  if (t.module === 'teql') return t.args.state === 'present' ? [...t.args.slaves, t.args.device] : [];
  if (t.module === 'address') return t.args.state === 'present' ? [t.args.dev] : [];
  if (t.module === 'link') return t.args.state !== 'absent' ? [t.args.dev] : [];
  if (t.module === 'route') return t.args.state === 'present' && t.args.dev ? [t.args.dev] : [];
  return [];
}

/** The warnings for `tasks` (those of the run on this host) on a router whose facts are `facts`. */
export function linkOwnerWarnings(tasks: readonly TaskInstance[], facts: Facts): string[] {
  const out: string[] = [];
  const networkd = facts.boot?.networkd ?? {};
  const nm = new Set(facts.boot?.networkManager ?? []);
  const devs = [...new Set(tasks.flatMap(configuredLinks))];
  // networkd configures a persisted link itself, from teqlctl's drop-in (persistence.md).
  const persisted = new Set(tasks.filter((t) => t.persist).flatMap(configuredLinks));
  const dhcp = new Set(facts.boot?.ifupdownDhcp ?? []);
  const addressed = new Set(tasks.flatMap((t) => (t.module === 'address' && t.args.state === 'present' ? [t.args.dev] : [])));
  for (const dev of devs) {
    const file = networkd[dev];
    if (file !== undefined && !persisted.has(dev)) {
      out.push(`${dev} is managed by systemd-networkd (${file}): its next reload, reconfigure or restart drops the addresses and routes it did not set (KeepConfiguration=no, the default), and with them this run's; persist the bundle (persist: true: networkd then sets them from teqlctl's drop-in), set KeepConfiguration=static there, or leave ${dev} unmanaged`);
    }
    if (nm.has(dev)) {
      out.push(`${dev} is managed by NetworkManager: when it next activates or reapplies the device it removes the addresses and routes it did not set, and with them this run's; leave ${dev} unmanaged (a [device] section with match-device=interface-name:${dev} and managed=0 in NetworkManager.conf), or configure it in NetworkManager itself`);
    }
    // Persisted, it is refused (plan-persist.ts): the boot would lose the address every time.
    if (dhcp.has(dev) && addressed.has(dev) && !persisted.has(dev)) {
      out.push(`/etc/network/interfaces declares \`iface ${dev} inet dhcp\`: its next ifup (a reboot, \`ifup ${dev}\`, a restart of networking) starts a DHCP client that flushes ${dev}'s addresses, this run's with them; declare it \`inet manual\``);
    }
    const leased = facts.addresses.filter((a) => a.dev === dev && a.lifetimes !== undefined);
    if (leased.length > 0) {
      out.push(`${dev} holds ${leased.map((a) => `${a.cidr} (valid ${a.lifetimes!.valid} s)`).join(', ')}, an address with a lifetime, as a DHCP client sets: when the lease ends or changes, the client may flush ${dev}'s addresses, this run's with them; stop the DHCP client on ${dev}, or equalize other links`);
    }
  }
  return out;
}
