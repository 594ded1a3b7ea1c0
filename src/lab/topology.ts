// The lab's fixed shape: two routers, their ports and MACs. Plain data, read by the pure builders.
import { LabError } from '../errors.js';

export const ROUTERS = ['a', 'b'] as const;
export type Router = (typeof ROUTERS)[number];

export const DEFAULT_SSH_PORTS: Record<Router, number> = { a: 2201, b: 2202 };
export const MEMORY_MB = 512;
const DEFAULT_BOOT_TIMEOUT_S = 120;

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

/** UDP port on which `router` listens for link `link` (1 = eth1, 2 = eth2): 40011, 40012, 40021, 40022. */
export function linkPort(router: Router, link: 1 | 2): number {
  return 40000 + 10 * routerIndex(router) + link;
}

/** Fixed MACs (QEMU's 52:54:00 prefix): 52:54:00:7e:<router>:<nic>. */
export function macAddress(router: Router, nic: 0 | 1 | 2): string {
  return `52:54:00:7e:0${routerIndex(router)}:0${nic}`;
}
