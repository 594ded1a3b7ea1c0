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

/** The shell command that prints the carrier (0/1) of the NIC with `mac`, or nothing if it has none to read. */
export function carrierCommand(mac: string): string {
  return `for d in /sys/class/net/*; do [ "$(cat "$d/address" 2>/dev/null)" = "${mac}" ] && cat "$d/carrier" 2>/dev/null; done; true`;
}

export async function waitForLinkCarrier(p: LabPaths, router: LabRouter, link: number, up: boolean): Promise<void> {
  const want = up ? '1' : '0';
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
    // An interface that is administratively down has no carrier to read: the wire's state is all there is.
    if (seen === want || seen === '') return;
    if (Date.now() >= deadline) {
      throw new LabError(`router ${router}: link ${link}: its kernel still reports carrier ${seen} ${WAIT_MS / 1000} s after the switch`, 'look at the router (`teqlctl lab ssh ROUTER ip link`)');
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
