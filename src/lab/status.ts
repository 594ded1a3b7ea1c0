// `lab status`: the topology, and for each router whether it runs, its interfaces and how to reach it.
import { existsSync } from 'node:fs';
import { staleReason } from './image.js';
import { buildScript, labPaths } from './paths.js';
import { runningPid } from './pidfile.js';
import { currentSshPort, sshTarget } from './router.js';
import { sshCommandLine } from './ssh-args.js';
import { currentTopology, recordedInterfaces } from './topology-record.js';
import { describeTopology, routersOf } from './topology.js';

export function labStatus(): void {
  const p = labPaths();
  const out: string[] = [`lab dir:  ${p.dir}`];
  const stale = existsSync(p.baseImage) ? staleReason(p, buildScript()) : 'not built yet';
  out.push(`image:    ${p.baseImage} (${stale ? `stale: ${stale}` : 'current'})`);
  out.push(`topology: ${describeTopology(currentTopology(p))} (of the last \`lab up\`; \`lab reset\` boots it again)`);
  for (const r of routersOf(currentTopology(p))) {
    const pid = runningPid(p.pidfile(r));
    const nics = recordedInterfaces(p, r);
    out.push(
      '',
      `router ${r}: ${pid !== undefined ? `running, pid ${pid}` : 'not running'}`,
      `  interfaces:  ${nics ? `${nics.management} (management), links ${nics.links.join(' ')}` : 'not known yet (read once it answers SSH)'}`,
      `  ssh port:    127.0.0.1:${currentSshPort(p, r)}`,
      `  console log: ${p.consoleLog(r)}`,
      `  reach it:    teqlctl lab ssh ${r}`,
      `               ${sshCommandLine(sshTarget(p, r))}`,
    );
  }
  process.stdout.write(out.join('\n') + '\n');
}
