// The lab's shape: two routers, 2 to 4 links, their ports, MACs and PCI slots. Plain data, read by the pure builders.
import { LabError } from '../errors.js';

export const ROUTERS = ['a', 'b'] as const;
export type Router = (typeof ROUTERS)[number];

export const DEFAULT_SSH_PORTS: Record<Router, number> = { a: 2201, b: 2202 };
export const MEMORY_MB = 512;
// A reboot under software emulation on a busy 2-core host was seen to need over 120 s (CI).
const DEFAULT_BOOT_TIMEOUT_S = 240;

/** How long a router may take to accept SSH; TEQLCTL_LAB_BOOT_TIMEOUT (seconds) lengthens it on slow hosts. */
export function bootTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TEQLCTL_LAB_BOOT_TIMEOUT;
  const seconds = raw && /^\d+$/.test(raw) ? Number(raw) : DEFAULT_BOOT_TIMEOUT_S;
  return seconds * 1000;
}

export function isRouter(name: string): name is Router {
  return (ROUTERS as readonly string[]).includes(name);
}

export function otherRouter(router: Router): Router {
  return router === 'a' ? 'b' : 'a';
}

/** 1 for a, 2 for b: used in ports and MACs so that each router's numbers are easy to recognise. */
export function routerIndex(router: Router): 1 | 2 {
  return router === 'a' ? 1 : 2;
}

/** The env var that moves a router's forwarded SSH port, e.g. TEQLCTL_LAB_SSH_PORT_A. */
export function sshPortEnvVar(router: Router): string {
  return `TEQLCTL_LAB_SSH_PORT_${router.toUpperCase()}`;
}

export function sshPort(router: Router, env: NodeJS.ProcessEnv = process.env): number {
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
}
export const NAME_SCHEMES: readonly NameScheme[] = ['eth', 'predictable'];
export const LINK_MANAGERS: readonly LinkManager[] = ['none', 'networkd'];
export const FLAVORS: readonly Flavor[] = ['debian', 'busybox'];
export const MIN_LINKS = 2;
export const MAX_LINKS = 4;
export const DEFAULT_TOPOLOGY: LabTopology = { links: 2, names: 'eth' };

/** `--links` and `--names` as typed; undefined means the default. */
export function parseTopology(links: string | undefined, names: string | undefined, manager?: string, flavor?: string): LabTopology {
  const n = links === undefined ? DEFAULT_TOPOLOGY.links : /^\d+$/.test(links) ? Number(links) : NaN;
  if (!(n >= MIN_LINKS && n <= MAX_LINKS)) {
    throw new LabError(`--links ${links} is not a number of links from ${MIN_LINKS} to ${MAX_LINKS}`, `e.g. \`teqlctl lab up --links 3\``);
  }
  const scheme = names ?? DEFAULT_TOPOLOGY.names;
  if (!(NAME_SCHEMES as readonly string[]).includes(scheme)) {
    throw new LabError(`--names ${names} is not one of ${NAME_SCHEMES.join(', ')}`, 'eth: eth0, eth1, ... (net.ifnames=0); predictable: what udev names them (ens3, ens4, ...)');
  }
  if (manager !== undefined && !(LINK_MANAGERS as readonly string[]).includes(manager)) {
    throw new LabError(`--link-manager ${manager} is not one of ${LINK_MANAGERS.join(', ')}`, 'none: the links stay unmanaged and down; networkd: systemd-networkd brings them up (no address)');
  }
  if (flavor !== undefined && !(FLAVORS as readonly string[]).includes(flavor)) {
    throw new LabError(`--flavor ${flavor} is not one of ${FLAVORS.join(', ')}`, 'debian: Debian 12 with systemd; busybox: a BusyBox userland, dash, iproute2 and OpenSSH, no systemd');
  }
  if (flavor === 'busybox' && (scheme !== 'eth' || manager === 'networkd')) {
    // No udev renames NICs and no networkd runs in the busybox flavour: what was asked cannot be given.
    throw new LabError('--flavor busybox has no udev and no systemd-networkd', 'leave out --names predictable and --link-manager networkd with --flavor busybox');
  }
  return {
    links: n,
    names: scheme as NameScheme,
    ...(manager === 'networkd' ? { linkManager: 'networkd' as const } : {}),
    ...(flavor === 'busybox' ? { flavor: 'busybox' as const } : {}),
  };
}

export function flavorOf(t: LabTopology): Flavor {
  return t.flavor ?? 'debian';
}

export function linkManagerOf(t: LabTopology): LinkManager {
  return t.linkManager ?? 'none';
}

export function sameTopology(x: LabTopology, y: LabTopology): boolean {
  return x.links === y.links && x.names === y.names && linkManagerOf(x) === linkManagerOf(y) && flavorOf(x) === flavorOf(y);
}

export function describeTopology(t: LabTopology): string {
  const manager = linkManagerOf(t) === 'networkd' ? ', links managed by systemd-networkd' : '';
  const flavor = flavorOf(t) === 'busybox' ? ', BusyBox routers without systemd' : '';
  return `${t.links} links, ${t.names === 'eth' ? 'eth names (net.ifnames=0)' : 'predictable names'}${manager}${flavor}`;
}

/** 1..N: link k joins a's k-th link NIC to b's k-th. */
export function linkNumbers(t: LabTopology): number[] {
  return Array.from({ length: t.links }, (_, i) => i + 1);
}

/** UDP port on which `router` listens for link `link` (1..4): 40011, 40012, ..., 40021, 40022, .... */
export function linkPort(router: Router, link: number): number {
  return 40000 + 10 * routerIndex(router) + link;
}

/** Fixed MACs (QEMU's 52:54:00 prefix): 52:54:00:7e:<router>:<nic>, nic 0 = management, k = link k. */
export function macAddress(router: Router, nic: number): string {
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
