// `lab down`: stops only the QEMUs named by our pidfiles, and waits until they are gone.
import { log } from './log.js';
import { labPaths } from './paths.js';
import { readPid } from './pidfile.js';
import { stopRouter } from './router.js';
import { readTopologyRecord } from './topology-record.js';
import { ALL_ROUTERS, describeTopology } from './topology.js';

export async function labDown(): Promise<void> {
  const p = labPaths();
  await Promise.all(
    // Every router the lab may run (h too): a hub lab's h is stopped with its spokes.
    ALL_ROUTERS.map(async (r) => {
      const pid = readPid(p.pidfile(r));
      if (r === 'h' && pid === undefined) return;
      const stopped = await stopRouter(p, r);
      log(stopped ? `router ${r}: stopped (pid ${pid})` : `router ${r}: was not running`);
    }),
  );
  // Kept, like inventories/lab.yml: a `lab reset` boots the same shape again; the next `lab up` picks its own.
  const record = readTopologyRecord(p);
  if (record) log(`topology of the last \`lab up\`, kept for \`lab reset\`: ${describeTopology(record)}`);
}
