// `lab status`: for each router, whether it runs and how to reach it.
import { existsSync } from 'node:fs';
import { staleReason } from './image.js';
import { buildScript, labPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { currentSshPort, sshTarget } from './router.js';
import { sshCommandLine } from './ssh-args.js';
import { ROUTERS } from './topology.js';

export function labStatus(): void {
  const p = labPaths();
  const out: string[] = [`lab dir: ${p.dir}`];
  const stale = existsSync(p.baseImage) ? staleReason(p, buildScript()) : 'not built yet';
  out.push(`image:   ${p.baseImage} (${stale ? `stale: ${stale}` : 'current'})`);
  for (const r of ROUTERS) {
    const pid = runningPid(p.pidfile(r));
    out.push(
      '',
      `router ${r}: ${pid !== undefined ? `running, pid ${pid}` : 'not running'}`,
      `  ssh port:    127.0.0.1:${currentSshPort(p, r)}`,
      `  console log: ${p.consoleLog(r)}`,
      `  reach it:    teqlctl lab ssh ${r}`,
      `               ${sshCommandLine(sshTarget(p, r))}`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}
