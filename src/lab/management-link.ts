// `lab cut` / `lab restore`: unplug or replug a router's management NIC without stopping the
// router, so tests can lose a router mid-run while its own timers keep running.
import { labPaths } from './paths.js';
import { monitorCommand } from './monitor.js';
import { recordedInterfaces } from './topology-record.js';
import type { Router } from './topology.js';
import { log } from './log.js';

export async function setManagementLink(router: Router, up: boolean): Promise<void> {
  const p = labPaths();
  // QEMU knows the NIC by its netdev id (n0 in every topology); the guest's name is for the message.
  const answer = await monitorCommand(p.monitor(router), `set_link n0 ${up ? 'on' : 'off'}`);
  if (answer) log(`router ${router}: ${answer}`);
  const nic = recordedInterfaces(p, router)?.management ?? 'the management NIC';
  log(`router ${router}: management link ${up ? 'restored' : `cut (${nic} has no carrier; the router keeps running)`}`);
}
