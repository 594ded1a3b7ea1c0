// Which network stack a script ran on: the kernel's boot id with every link's index, name and MAC
// (but the teqlN equalizers).
// Two inventory names whose routers answer with the same one are one router (play: same-router.ts;
// rollback). A container or network namespace under the same kernel has links of its own, so it
// is another. From `ip -j link show` (netlink), not /sys/class/net, which shows the host's links
// in a namespace whose sysfs was not mounted again.
import { createHash } from 'node:crypto';
import { readBootId } from './boot-id.js';

export const IDENTITY_MARKER = '@@teqlctl-identity';

/** Shell: one line, the marker, `boot=ID` and the links' JSON (one `ip` process). */
export const IDENTITY_LINE = `${readBootId('tq_bi')}; printf '${IDENTITY_MARKER}\\tboot=%s\\t' "$tq_bi"; ip -j link show 2>/dev/null || echo`;

/** The boot id and every link's index, name and MAC, as one string; undefined without a boot id. */
export function stackIdentity(bootLine: string, links: readonly any[]): string | undefined {
  const boot = /^boot=(\S+)/m.exec(bootLine)?.[1];
  if (boot === undefined) return undefined;
  // Not the equalizers: loading sch_teql (a run's first step) creates them, and a router read
  // again after a run (a later play or serial: batch) must still be known.
  const stack = links.filter((l) => !/^teql\d+$/.test(String(l.ifname))).map((l) => `${l.ifindex}:${l.ifname}:${l.address ?? ''}`).sort().join(' ');
  return `${boot} ${createHash('sha256').update(stack).digest('hex').slice(0, 16)}`;
}

/** The identity IDENTITY_LINE printed in `stdout`; undefined where it printed none or no links. */
export function identityIn(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(`${IDENTITY_MARKER}\t`));
  if (line === undefined) return undefined;
  const [, boot = '', json = ''] = line.split('\t');
  try {
    const links = JSON.parse(json);
    return Array.isArray(links) && links.length > 0 ? stackIdentity(boot, links) : undefined;
  } catch {
    return undefined;
  }
}
