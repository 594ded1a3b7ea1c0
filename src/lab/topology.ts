// The lab's shape: two routers, 2 to 4 links, their ports, MACs and PCI slots. Plain data, read by the pure builders.
import { ConfigError, LabError } from '../errors.js';

/** The lab's pair (the default topology). `lab up --routers 3` adds the hub h (routersOf). */
export const ROUTERS = ['a', 'b'] as const;
export type Router = (typeof ROUTERS)[number];
/** Any router the lab may run: the pair, and the hub of `--routers 3`. */
export const ALL_ROUTERS = ['a', 'b', 'h'] as const;
export type LabRouter = (typeof ALL_ROUTERS)[number];

export const DEFAULT_SSH_PORTS: Record<LabRouter, number> = { a: 2201, b: 2202, h: 2203 };
export const MEMORY_MB = 512;
// A reboot under software emulation on a busy 2-core host was seen to need over 120 s (CI).
const DEFAULT_BOOT_TIMEOUT_S = 240;

/** How long a router may take to accept SSH; TEQLCTL_LAB_BOOT_TIMEOUT (seconds) lengthens it on slow hosts. */
export function bootTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TEQLCTL_LAB_BOOT_TIMEOUT;
  const seconds = raw && /^\d+$/.test(raw) ? Number(raw) : DEFAULT_BOOT_TIMEOUT_S;
  return seconds * 1000;
}

export function isRouter(name: string): name is LabRouter {
  return (ALL_ROUTERS as readonly string[]).includes(name);
}

/** The routers of a topology: a and b, or with `--routers 3` the hub h first, then its spokes a and b. */
export function routersOf(t: LabTopology): LabRouter[] {
  return t.hub ? ['h', 'a', 'b'] : [...ROUTERS];
}

export function otherRouter(router: LabRouter): LabRouter {
  return router === 'a' ? 'b' : 'a';
}

/** 1 for a, 2 for b, 3 for h: used in ports and MACs so that each router's numbers are easy to recognise. */
export function routerIndex(router: LabRouter): 1 | 2 | 3 {
  return router === 'a' ? 1 : router === 'b' ? 2 : 3;
}

/** The env var that moves a router's forwarded SSH port, e.g. TEQLCTL_LAB_SSH_PORT_A. */
export function sshPortEnvVar(router: LabRouter): string {
  return `TEQLCTL_LAB_SSH_PORT_${router.toUpperCase()}`;
}

export function sshPort(router: LabRouter, env: NodeJS.ProcessEnv = process.env): number {
  const name = sshPortEnvVar(router);
  const raw = env[name];
  if (raw === undefined || raw === '') return DEFAULT_SSH_PORTS[router];
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65535) {
    throw new LabError(`${name}=${raw} is not a TCP port`, `set ${name} to a number from 1024 to 65535, or unset it`);
  }
  return port;
}

/** How many links join a and b, and which interface names the guests' kernels give. */
export type NameScheme = 'eth' | 'predictable';
/** Who configures the link NICs at boot: nobody (they stay down), or systemd-networkd (up, no address). */
export type LinkManager = 'none' | 'networkd';
/** The routers' userland: Debian 12 with systemd, or BusyBox + dash + iproute2 + OpenSSH without systemd. */
export type Flavor = 'debian' | 'busybox';
export interface LabTopology {
  links: number;
  names: NameScheme;
  /** Absent means 'none' (records written before the option existed). */
  linkManager?: LinkManager;
  /** Absent means 'debian' (records written before the option existed). */
  flavor?: Flavor;
  /**
   * `--routers 3`: hub and spokes. The hub h has 2 x `links` link NICs: its first `links` wired to
   * a's, the next `links` to b's; a and b are not wired to each other.
   */
  hub?: true;
}
export const NAME_SCHEMES: readonly NameScheme[] = ['eth', 'predictable'];
export const LINK_MANAGERS: readonly LinkManager[] = ['none', 'networkd'];
export const FLAVORS: readonly Flavor[] = ['debian', 'busybox'];
export const MIN_LINKS = 2;
export const MAX_LINKS = 4;
export const DEFAULT_TOPOLOGY: LabTopology = { links: 2, names: 'eth' };

/** `--links`, `--names`, ... and `--routers` as typed; undefined means the default. */
export function parseTopology(links: string | undefined, names: string | undefined, manager?: string, flavor?: string, routers?: string): LabTopology {
  if (routers !== undefined && routers !== '2' && routers !== '3') {
    throw new ConfigError(`--routers ${routers} is not 2 or 3`, undefined, '2: routers a and b wired to each other; 3: a hub h wired to a and to b');
  }
  if (routers === '3' && links !== undefined && links !== '2') {
    // The hub's NICs: 2 x links link NICs besides its management NIC, within the 4 link slots.
    throw new ConfigError(`--routers 3 takes 2 links to each spoke, not --links ${links}`, undefined, 'leave out --links with --routers 3');
  }
  const n = links === undefined ? DEFAULT_TOPOLOGY.links : /^\d+$/.test(links) ? Number(links) : NaN;
  if (!(n >= MIN_LINKS && n <= MAX_LINKS)) {
    throw new ConfigError(`--links ${links} is not a number of links from ${MIN_LINKS} to ${MAX_LINKS}`, undefined, `e.g. \`teqlctl lab up --links 3\``);
  }
  const scheme = names ?? DEFAULT_TOPOLOGY.names;
  if (!(NAME_SCHEMES as readonly string[]).includes(scheme)) {
    throw new ConfigError(`--names ${names} is not one of ${NAME_SCHEMES.join(', ')}`, undefined, 'eth: eth0, eth1, ... (net.ifnames=0); predictable: what udev names them (ens3, ens4, ...)');
  }
  if (manager !== undefined && !(LINK_MANAGERS as readonly string[]).includes(manager)) {
    throw new ConfigError(`--link-manager ${manager} is not one of ${LINK_MANAGERS.join(', ')}`, undefined, 'none: the links stay unmanaged and down; networkd: systemd-networkd brings them up (no address)');
  }
  if (flavor !== undefined && !(FLAVORS as readonly string[]).includes(flavor)) {
    throw new ConfigError(`--flavor ${flavor} is not one of ${FLAVORS.join(', ')}`, undefined, 'debian: Debian 12 with systemd; busybox: a BusyBox userland, dash, iproute2 and OpenSSH, no systemd');
  }
  if (routers === '3' && flavor === 'busybox') {
    throw new ConfigError('--routers 3 runs the debian flavour only', undefined, 'leave out --flavor busybox with --routers 3');
  }
  if (flavor === 'busybox' && (scheme !== 'eth' || manager === 'networkd')) {
    // No udev renames NICs and no networkd runs in the busybox flavour: what was asked cannot be given.
    throw new ConfigError('--flavor busybox has no udev and no systemd-networkd', undefined, 'leave out --names predictable and --link-manager networkd with --flavor busybox');
  }
  return {
    links: n,
    names: scheme as NameScheme,
    ...(manager === 'networkd' ? { linkManager: 'networkd' as const } : {}),
    ...(flavor === 'busybox' ? { flavor: 'busybox' as const } : {}),
    ...(routers === '3' ? { hub: true as const } : {}),
  };
}

export function flavorOf(t: LabTopology): Flavor {
  return t.flavor ?? 'debian';
}

export function linkManagerOf(t: LabTopology): LinkManager {
  return t.linkManager ?? 'none';
}

export function sameTopology(x: LabTopology, y: LabTopology): boolean {
  return x.links === y.links && x.names === y.names && linkManagerOf(x) === linkManagerOf(y) && flavorOf(x) === flavorOf(y) && Boolean(x.hub) === Boolean(y.hub);
}

export function describeTopology(t: LabTopology): string {
  const manager = linkManagerOf(t) === 'networkd' ? ', links managed by systemd-networkd' : '';
  const flavor = flavorOf(t) === 'busybox' ? ', BusyBox routers without systemd' : '';
  const shape = t.hub ? `3 routers (hub h, ${t.links} links to each of a and b)` : `${t.links} links`;
  return `${shape}, ${t.names === 'eth' ? 'eth names (net.ifnames=0)' : 'predictable names'}${manager}${flavor}`;
}

/** 1..N: link k joins a's k-th link NIC to b's k-th; the hub has 1..2N (a's, then b's). */
export function linkNumbers(t: LabTopology, router: LabRouter = 'a'): number[] {
  return Array.from({ length: t.hub && router === 'h' ? 2 * t.links : t.links }, (_, i) => i + 1);
}

/** The router and link at the other end of `router`'s link `link`. */
export function linkPeer(t: LabTopology, router: LabRouter, link: number): { router: LabRouter; link: number } {
  if (!t.hub) return { router: otherRouter(router), link };
  if (router === 'h') return link <= t.links ? { router: 'a', link } : { router: 'b', link: link - t.links };
  return { router: 'h', link: router === 'a' ? link : link + t.links };
}

const DEFAULT_LINK_PORT_BASE = 40000;

/**
 * The first of the lab's UDP link ports: $TEQLCTL_LAB_LINK_PORT_BASE, else 40000. A second lab on
 * the same host (its own TEQLCTL_LAB_DIR and SSH ports, as the e2e suite's second lane runs) needs
 * its own links, or its routers would be wired to the first lab's.
 */
export function linkPortBase(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TEQLCTL_LAB_LINK_PORT_BASE;
  if (raw === undefined || raw === '') return DEFAULT_LINK_PORT_BASE;
  const base = Number(raw);
  if (!/^\d+$/.test(raw) || base < 1024 || base > 65535 - 40) {
    throw new LabError(`TEQLCTL_LAB_LINK_PORT_BASE=${raw} is not a port the lab can count up from`, 'set it to a number from 1024 to 65495, or unset it (40000)');
  }
  return base;
}

/** UDP port on which `router` listens for link `link` (1..8), from the base: 40011, 40012, ..., 40021, 40022, .... */
export function linkPort(router: LabRouter, link: number, env: NodeJS.ProcessEnv = process.env): number {
  return linkPortFrom(linkPortBase(env), router, link);
}

/** As linkPort, from a base already chosen (the one a running lab was booted with). */
export function linkPortFrom(base: number, router: LabRouter, link: number): number {
  return base + 10 * routerIndex(router) + link;
}

/** Fixed MACs (QEMU's 52:54:00 prefix): 52:54:00:7e:<router>:<nic>, nic 0 = management, k = link k. */
export function macAddress(router: LabRouter, nic: number): string {
  return `52:54:00:7e:0${routerIndex(router)}:0${nic}`;
}

/**
 * Pinned PCI slots, so that predictable names do not depend on the order QEMU creates devices in:
 * the disk in slot 2, the management NIC in slot 3, link k in slot 3+k.
 */
export const DISK_PCI_SLOT = 2;
export function nicPciSlot(nic: number): number {
  return 3 + nic;
}
