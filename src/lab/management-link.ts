// `lab cut` / `lab restore`: unplug or replug a router's management NIC without stopping the
// router, so tests can lose a router mid-run while its own timers keep running.
import { labPaths } from './paths.js';
import { monitorCommand } from './monitor.js';
import { recordedInterfaces } from './topology-record.js';
import type { LabRouter, Router } from './topology.js';
import { log } from './log.js';
import { waitForLinkCarrier } from './link-carrier.js';
import { LabError } from '../errors.js';

/**
 * `link`: one of the links between the routers (1..4) instead: its wire goes dead at this end (no
 * carrier), as a cut fibre would, so a bundle over it fails its pings while the others work.
 */
export async function setManagementLink(router: LabRouter, up: boolean, link?: number): Promise<void> {
  const p = labPaths();
  if (link !== undefined) {
    const said = await monitorCommand(p.monitor(router), `set_link n${link} ${up ? 'on' : 'off'}`);
    if (/not found|error/i.test(said)) throw new LabError(`router ${router}: link ${link}: ${said.trim()} (does the lab have ${link} links? \`lab up --links N\`)`);
    await waitForLinkCarrier(p, router, link, up);
    log(`router ${router}: link ${link} ${up ? 'restored' : 'cut (no carrier at this end; the router keeps running)'}`);
    return;
  }
  // QEMU knows the NIC by its netdev id (n0 in every topology); the guest's name is for the message.
  const answer = await monitorCommand(p.monitor(router), `set_link n0 ${up ? 'on' : 'off'}`);
  if (answer) log(`router ${router}: ${answer}`);
  const nic = recordedInterfaces(p, router)?.management ?? 'the management NIC';
  log(`router ${router}: management link ${up ? 'restored' : `cut (${nic} has no carrier; the router keeps running)`}`);
}
