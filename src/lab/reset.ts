// `lab reset [ROUTER]`: back to pristine by throwing the overlay away and booting again.
import { existsSync } from 'node:fs';
import { LabError } from '../errors.js';
import { log, seconds } from './log.js';
import { labPaths } from './paths.js';
import { bootRouter, currentSshPort, stopRouter, waitRouter } from './router.js';
import { RUN_TOOLS, requireTools } from './tools.js';
import { currentTopology } from './topology-record.js';
import type { Router } from './topology.js';

export async function labReset(routers: Router[]): Promise<void> {
  requireTools(RUN_TOOLS);
  const p = labPaths();
  if (!existsSync(p.baseImage) || !existsSync(p.knownHosts)) {
    throw new LabError(`the lab has not been set up in ${p.dir}`, 'run `teqlctl lab up` first');
  }
  const topology = currentTopology(p); // that of the last `lab up`, which wrote the inventory too
  await Promise.all(
    routers.map(async (r) => {
      const started = Date.now();
      const port = currentSshPort(p, r); // read before the stop forgets the port it was booted with
      await stopRouter(p, r);
      const pid = await bootRouter(p, r, port, topology);
      log(`router ${r}: fresh overlay, QEMU started (pid ${pid})`);
      await waitRouter(p, r);
      log(`router ${r}: pristine and accepting SSH after ${seconds(started)}`);
    }),
  );
}
