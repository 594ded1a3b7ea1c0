// After `lab cut --link K` / `lab restore --link K`: wait until the router's kernel has seen the
// carrier change. QEMU's set_link returns at once, but the guest learns of it by an interrupt that a
// software-emulated CPU may handle a second later: a test that reads the router's links right after
// the command saw the old state (eth2 UP) and compared it with the new one.
import { LabError } from '../errors.js';
import { log } from './log.js';
import type { LabPaths } from './paths.js';
import { sshTarget } from './router.js';
import { runSsh } from './run-ssh.js';
import { macAddress, type LabRouter } from './topology.js';

const WAIT_MS = 20_000;
const POLL_MS = 250;

/**
 * The shell command that prints `CARRIER OPERSTATE` of the NIC with `mac` (carrier `none` where it
 * has none to read: administratively down), or nothing without such a NIC. The NIC itself (a
 * `device` link in sysfs), not a VLAN or bridge that shares its MAC. The operstate too: the carrier
 * changes at once, the operstate (and a route's linkdown) when the kernel's linkwatch runs, up to
 * a second later, and teqlctl's facts read the operstate.
 */
export function carrierCommand(mac: string, sysfs = '/sys/class/net'): string {
  return `for d in ${sysfs}/*; do [ -e "$d/device" ] && [ "$(cat "$d/address" 2>/dev/null)" = "${mac}" ] || continue; c=$(cat "$d/carrier" 2>/dev/null) || c=none; printf '%s %s\\n' "\${c:-none}" "$(cat "$d/operstate" 2>/dev/null)"; break; done; true`;
}

/** Whether `seen` (carrierCommand's output) is the state the switch asked for; true where there is nothing to wait for. */
export function carrierSettled(seen: string, up: boolean): boolean {
  const [carrier, operstate] = seen.trim().split(/\s+/);
  if (!carrier || carrier === 'none') return true;
  return up ? carrier === '1' && (operstate === 'up' || operstate === 'unknown') : carrier === '0' && operstate !== 'up';
}

export async function waitForLinkCarrier(p: LabPaths, router: LabRouter, link: number, up: boolean): Promise<void> {
  const command = carrierCommand(macAddress(router, link));
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const r = await runSsh(sshTarget(p, router), [command], { timeoutMs: 10_000 });
    // No SSH (its management link cut too, or it is rebooting): nobody can look; the cut itself is done.
    if (r.code !== 0) {
      log(`router ${router}: link ${link}: its carrier could not be read over SSH (${r.stderr.trim() || `exit ${r.code}`}); not waited for`);
      return;
    }
    const seen = r.stdout.trim();
    if (carrierSettled(seen, up)) return;
    if (Date.now() >= deadline) {
      throw new LabError(`router ${router}: link ${link}: its kernel still reports carrier and operstate "${seen}" ${WAIT_MS / 1000} s after the switch`, 'look at the router (`teqlctl lab ssh ROUTER ip link`)');
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
