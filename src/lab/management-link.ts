// `lab cut` / `lab restore`: unplug or replug a router's management NIC (eth0) without stopping
// the router, so tests can lose a router mid-run while its own timers keep running.
import { labPaths } from './paths.js';
import { monitorCommand } from './monitor.js';
import type { Router } from './topology.js';
import { log } from './log.js';

export async function setManagementLink(router: Router, up: boolean): Promise<void> {
  const answer = await monitorCommand(labPaths().monitor(router), `set_link n0 ${up ? 'on' : 'off'}`);
  if (answer) log(`router ${router}: ${answer}`);
  log(`router ${router}: management link ${up ? 'restored' : 'cut (eth0 has no carrier; the router keeps running)'}`);
}
