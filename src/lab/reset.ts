// `lab reset [ROUTER]`: back to pristine. A running router restores the state saved after its
// first boot (`loadvm`, about a second); one that is not running, or has no saved state, boots.
import { existsSync } from 'node:fs';
import { LabError } from '../errors.js';
import { log, seconds } from './log.js';
import { labPaths, type LabPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { bootRouter, currentSshPort, settleRouter, sshTarget, stopRouter, waitRouter } from './router.js';
import { syncGuestClock } from './guest-clock.js';
import { restorePristine } from './snapshot.js';
import { RUN_TOOLS, requireTools } from './tools.js';
import { currentTopology, recordedLinkPortBase } from './topology-record.js';
import type { LabRouter, Router } from './topology.js';

async function restoreRunning(p: LabPaths, r: LabRouter, started: number): Promise<boolean> {
  if (runningPid(p.pidfile(r)) === undefined) return false;
  const failed = await restorePristine(p, r);
  if (failed) {
    log(`router ${r}: no saved pristine state to restore (${failed}); booting it again`);
    return false;
  }
  // The clock's own login proves SSH as well: only when it fails is the router waited for (as
  // after a boot), and its clock set then. One login per restore, not two (~0.8 s each here).
  if (!(await syncGuestClock(sshTarget(p, r), r, { quiet: true }))) {
    await waitRouter(p, r);
    await syncGuestClock(sshTarget(p, r), r);
  }
  log(`router ${r}: pristine (saved state restored) and accepting SSH after ${seconds(started)}`);
  return true;
}

async function bootAgain(p: LabPaths, r: LabRouter, started: number): Promise<void> {
  const port = currentSshPort(p, r); // read before the stop forgets the port it was booted with
  await stopRouter(p, r);
  // The topology and link ports of the last `lab up` (which wrote the inventory too), where the peer listens.
  const boot = await bootRouter(p, r, port, currentTopology(p), recordedLinkPortBase(p));
  log(`router ${r}: fresh overlay, QEMU started (pid ${boot.pid})${boot.fromSnapshot ? ', resumed from its saved pristine state' : ''}`);
  await waitRouter(p, r);
  await settleRouter(p, boot);
  log(`router ${r}: pristine and accepting SSH after ${seconds(started)}`);
}

export async function labReset(routers: LabRouter[]): Promise<void> {
  requireTools(RUN_TOOLS);
  const p = labPaths();
  if (!existsSync(p.baseImage) || !existsSync(p.knownHosts)) {
    throw new LabError(`the lab has not been set up in ${p.dir}`, 'run `teqlctl lab up` first');
  }
  await Promise.all(
    routers.map(async (r) => {
      const started = Date.now();
      if (!(await restoreRunning(p, r, started))) await bootAgain(p, r, started);
    }),
  );
}
