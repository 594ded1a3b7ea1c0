// The facts teqlctl reads from a router: plain data parsed from `ip -j`, `tc -j` and /proc.
import type { ManagementFact } from './session-fact.js';
import type { RouterLock } from '../router/lock.js';

export type { ManagementFact, PolicyRuleFact } from './session-fact.js';

export interface LinkFact {
  name: string;
  /** Administrative state: the UP flag, what `ip link set up|down` changes. */
  up: boolean;
  /** Carrier as the kernel reports it (operstate), for messages only. */
  operstate: string;
  mtu: number;
  /** `ip -d` link kind: dummy, veth, ... (undefined for plain NICs and teql devices). */
  kind?: string;
  /**
   * The device it is stacked on, for the kinds whose MTU the kernel lowers with it (a VLAN, a
   * macvlan, an ipvlan): lowering that device's MTU lowers theirs, which its undo raises again.
   */
  lower?: string;
  /** The bridge, bond or team it is a port of (`ip link`'s master), which carries its traffic. */
  master?: string;
  /** Its transmit queue's length (`ip link`'s qlen): sch_teql queues a slave's own traffic up to it, and drops all of it at 0. */
  txqlen?: number;
  /** A VLAN made with `loose_binding on` (ip -d: LOOSE_BINDING): it does not follow its lower link up and down (simulate-routes.ts). */
  looseBinding?: true;
  /** Its alternative names (`ip link property add altname`, udev's predictable names): the kernel takes them, its listings print the name. */
  altnames?: string[];
}

export interface AddressFact extends AddressAttrs {
  dev: string;
  /** `10.0.0.0/31` form. */
  cidr: string;
  /** A secondary address: another one of its subnet on this link is the primary. */
  secondary?: true;
  /** Why teqlctl could not put it back exactly were it removed (gather/address-fact.ts). */
  unrestorable?: string;
}

/** What `ip addr add` needs besides device and CIDR to put an address back as it was read. */
export interface AddressAttrs {
  /** A point-to-point address's peer: the CIDR's prefix length is the peer's. */
  peer?: string;
  broadcast?: string;
  /** Its label where it is not the device's own name (`eth1:old`). */
  label?: string;
  /** Where not global. */
  scope?: string;
  /** The metric of its prefix route, where not 0. */
  metric?: number;
  /** Who added it (IFA_PROTO, as iproute2 6.3 and later show it): set again with `proto`. */
  protocol?: string;
  /** The flags `ip addr add` sets again (noprefixroute, autojoin). */
  flags?: string[];
  /** Seconds left, as read, where not forever (a DHCP lease's address). */
  lifetimes?: { valid: number; preferred: number };
}

export interface RouteFact {
  /** An IPv6 route (Facts.flushable only); IPv4 where absent. */
  family?: 'inet6';
  /** `default` or a CIDR (a host route keeps its /32, an IPv6 one its /128). */
  to: string;
  via?: string;
  dev?: string;
  /** A multipath route's next hops' devices (it has no `dev` of its own): a link's flush takes its hop there too. */
  nexthopDevs?: string[];
  metric: number;
  protocol?: string;
  scope?: string;
  /** Not a unicast route: blackhole, unreachable, prohibit, throw (the kernel's type). */
  type?: string;
  /** Its gateway is taken as on the link, whether a connected route reaches it or not. */
  onlink?: true;
  /** The source address it gives (prefsrc). */
  src?: string;
  /** Its table where not main (Facts.flushable's routes: a policy's table, by name or number). */
  table?: string;
  /** An IPv6 route's router preference where not medium (low, high). */
  pref?: string;
  /** A source-specific IPv6 route's source prefix (`from`). */
  from?: string;
  /**
   * Why teqlctl could not put this route back exactly were it replaced, removed, or flushed with
   * its link (route-fact.ts): several next hops, an IPv6 gateway, route metrics, a nexthop object.
   */
  unrestorable?: string;
}

/** A permanent neighbour (a static ARP or NDP entry): `ip neigh add ADDRESS lladdr MAC dev DEV nud permanent`. */
export interface NeighbourFact {
  dev: string;
  address: string;
  lladdr: string;
  /** NTF_ROUTER: an IPv6 neighbour that is a router (`ip neigh ... router`). */
  router?: true;
  /** Who added it (`proto static`, a daemon's name or number), where iproute2 shows it. */
  protocol?: string;
  /** Why its undo could not put it back exactly (a flag teqlctl does not read): taking its link down is refused. */
  unrestorable?: string;
}

export interface RootQdiscFact {
  dev: string;
  kind: string;
  handle: string;
  /** The kernel's own default root (handle 0:, and so is every qdisc under it), which teql may replace without being asked. */
  isDefault: boolean;
  /** The kinds of the qdiscs under it (a multi-queue NIC's mq has one per queue), when it has some. */
  children?: string[];
  /** Its options as `tc -j -d qdisc show` gives them. */
  options?: Record<string, unknown>;
  /** `tc -d qdisc/class/filter show dev` of its device, refcnt left out: what an exact restore must give again. */
  detail?: QdiscDetail;
}

export interface QdiscDetail {
  qdiscs: string[];
  classes: string[];
  filters: string[];
}

export interface TeqlModuleFact {
  loaded: boolean;
  /** `modinfo` finds the module on disk: `modprobe sch_teql` would work. */
  available: boolean;
  maxEqualizers?: number;
  /**
   * Built into the kernel (CONFIG_NET_SCH_TEQL=y): its teqlN devices exist from boot, without a
   * /sys/module/sch_teql (its one parameter is not in sysfs). Never loaded nor unloaded; its number
   * of equalizers is the kernel command line's `sch_teql.max_equalizers`.
   */
  builtin?: true;
}

export interface Facts {
  links: LinkFact[];
  addresses: AddressFact[];
  routes: RouteFact[];
  /**
   * What the kernel flushes with a link besides its main-table routes, when the link goes down or
   * loses its last IPv4 address (fib_disable_ip, neigh_ifdown): its IPv4 routes in every other
   * table but local, and its permanent neighbours; with the link, also its IPv6 routes of every
   * table (fib6_ifdown) and neighbours (ndisc). An undo of either puts them back (plan/context.ts).
   * `ipv6`: its IPv6 routes were read (not by a teqlctl before 2026-12-05, nor where the kernel has
   * no IPv6). Undefined in facts read by an older teqlctl (recordings).
   */
  flushable?: { routes: RouteFact[]; neighbours: NeighbourFact[]; ipv6?: true; /** Devices holding an IPv6 address other than link-local (their local-table routes show it). */ ipv6Addressed?: string[] };
  rootQdiscs: RootQdiscFact[];
  /** Dotted sysctl name -> value, as read from /proc/sys (whitespace normalised). */
  sysctls: Record<string, string>;
  teql: TeqlModuleFact;
  management?: ManagementFact;
  /** The session's client and what `ip route get` said where it gave no interface: the guards are off (plan-host.ts says so). */
  managementUnknown?: string;
  lock?: RouterLock;
  /** Runs of this boot on the router that have not ended (pending, reverting, rolling-back): router/open-runs.ts. */
  openRuns?: Array<{ run: string; state: string }>;
  /** md5 of the sections a plan depends on, as the router hashed them (see gather/script.ts); empty without md5sum. */
  fingerprint?: string;
  /**
   * Which network stack answered: the kernel's boot id with the links' indexes, names and MACs (a
   * container's or namespace's links differ from its host's under one boot id). Two hosts of a run
   * with the same one are one router under two names. Absent where the kernel gives no boot id.
   */
  identity?: string;
  /** The session's effective uid (0: root), as the facts script ran: with become, the target user's. */
  uid?: number;
  /**
   * net.ipv4.ip_forward as read (the shell's own read), for a warning only: not among `sysctls`,
   * whose values a rollback compares and the fingerprint hashes (a review: a router set to forward
   * by hand after the warning refused its rollback). Absent where not read (recordings).
   */
  ipForward?: string;
  /** The kernel modules of a firewall's reverse-path match that are loaded (nft_fib_ipv4, ipt_rpfilter): a warning's only, as ipForward. */
  rpFilterModules?: string[];
}

/** A file of teqlctl's boot configuration as it is on the router. */
export interface BootFileFact {
  path: string;
  /** The file's text; undefined for a symlink. */
  content?: string;
  executable?: boolean;
  /** Where a symlink points (the unit's enablement link). */
  symlink?: string;
}

/** What brings the router's interfaces up at boot, and teqlctl's own boot files. */
export interface BootFact {
  files: BootFileFact[];
  /** Interfaces systemd-networkd manages (not `unmanaged`): name -> the .network file it uses. */
  networkd: Record<string, string>;
  /** The rp_filter settings of the sysctl files (sysctl.d(5)), which put their values back at boot or when they are applied again. */
  sysctlFiles?: SysctlFileSetting[];
  /** Interfaces NetworkManager manages (its device state says managed=true): it removes addresses and routes it did not make when it activates or reapplies them. */
  networkManager?: string[];
  /** systemd's version where networkd manages a link or systemd runs the boot (absent: neither, or facts of an older teqlctl). */
  networkdVersion?: number;
  /** Interfaces declared by `iface` in /etc/network/interfaces(.d) and brought up at boot by `ifup -a` (auto, allow-auto), when ifupdown is installed. */
  ifupdown: string[];
  /** Those of them declared `inet static` (an address ifupdown adds with `ip addr add`). */
  ifupdownStatic?: string[];
  /** Those declared `inet dhcp` (or inet6), however raised (auto, allow-hotplug): ifup starts a DHCP client there, which flushes the link's addresses (udhcpc's deconfig, dhclient's FAIL). */
  ifupdownDhcp?: string[];
  /** What runs the boot: systemd, OpenRC, or neither (absent: facts read before it was gathered, from systemd routers). */
  init?: InitSystem;
  /** OpenRC's `local` service is in the default runlevel, so /etc/local.d/*.start runs at boot. */
  openrcLocal?: boolean;
  /** Without systemd or OpenRC: a boot script (inittab, rcS, rcS.d, rc2.d, rc.local) runs `ifup -a`. Unknown in older facts. */
  ifupAtBoot?: boolean;
  /** Without systemd or OpenRC: the shell finds run-parts, which ifupdown runs its hooks with. Unknown in older facts. */
  runParts?: boolean;
  /** The userland is BusyBox's (/bin/ls is BusyBox), as on OpenWrt, Alpine and embedded images. */
  busybox?: boolean;
  /** teqlctl's folders (/var/lib/teqlctl, /etc/teqlctl) that are on a file system a reboot empties (tmpfs, ramfs): path -> its type. */
  volatile?: Record<string, string>;
}

export type InitSystem = 'systemd' | 'openrc' | 'none';

/** A sysctl file's setting: where (file:line), the key in dotted form (a glob where written so), the value. */
export interface SysctlFileSetting {
  at: string;
  key: string;
  value: string;
  /** A `-key` line without a value: the key is left out of the files' globs. */
  exclude?: true;
}

/** Added to Facts by the boot and baseline sections (optional: older fixtures have neither). */
export interface Facts {
  boot?: BootFact;
  /**
   * What teqlctl found before it first changed something, kept on the router across runs and
   * reboots: `sysctl:<name>` -> value, `link:<dev>` -> `up|down mtu N`, `module:sch_teql` -> `not loaded`.
   * `state: absent` restores from it; teardown leaves it empty.
   */
  baseline?: Record<string, string>;
}
