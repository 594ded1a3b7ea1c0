// `lab reset [ROUTER]`: back to pristine by throwing the overlay away and booting again.
import { log, seconds } from './log.js';
import { labPaths } from './paths.js';
import { bootRouter, currentSshPort, stopRouter, waitRouter } from './router.js';
import { RUN_TOOLS, requireTools } from './tools.js';
import type { Router } from './topology.js';

export async function labReset(routers: Router[]): Promise<void> {
  requireTools(RUN_TOOLS);
  const p = labPaths();
  await Promise.all(
    routers.map(async (r) => {
      const started = Date.now();
      const port = currentSshPort(p, r); // read before the stop forgets the port it was booted with
      await stopRouter(p, r);
      const pid = await bootRouter(p, r, port);
      log(`router ${r}: fresh overlay, QEMU started (pid ${pid})`);
      await waitRouter(p, r);
      log(`router ${r}: pristine and accepting SSH after ${seconds(started)}`);
    }),
  );
}
