// Records the facts script's output on the lab routers, pristine and converged, into bench/fixtures/.
// Run once (and again when the facts script changes): npx tsx bench/record-fixtures.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectSsh } from '../src/connect/ssh-transport.js';
import { factsScript } from '../src/gather/script.js';
import { loadRun } from '../src/load/index.js';
import { inventoryPath } from '../src/lab/paths.js';
import { chapterSysctls } from './fleet/sim-host.js';
import { CHAPTER, timedPlay } from './lab/teqlctl.js';
import { labCli, ROOT, sshPortOf } from './lab/lab.js';
import { withLabLock } from './lib/lock.js';

const OUT = join(ROOT, 'bench', 'fixtures');

async function record(state: 'pristine' | 'converged'): Promise<void> {
  const loaded = loadRun(inventoryPath(), CHAPTER);
  const script = factsScript(chapterSysctls(loaded));
  writeFileSync(join(OUT, 'facts-script.sh'), script);
  for (const [host, router] of [['router_a', 'a'], ['router_b', 'b']] as const) {
    const t = await connectSsh(host, loaded.inventory.hosts.get(host)!.connection);
    try {
      const res = await t.run('facts', script);
      if (res.code !== 0) throw new Error(`facts on ${host} exited ${res.code}: ${res.stderr}`);
      writeFileSync(join(OUT, `${router}-${state}.txt`), res.stdout);
      console.log(`recorded ${router}-${state}.txt (${res.stdout.length} bytes)`);
    } finally {
      await t.close();
    }
  }
}

await withLabLock('record facts fixtures', async () => {
  await labCli('up');
  await labCli('reset');
  await record('pristine');
  const r = await timedPlay([], { router_a: sshPortOf('a'), router_b: sshPortOf('b') });
  if (r.exitCode !== 0) throw new Error(`the chapter did not converge: ${r.summary}`);
  await record('converged');
  await labCli('reset');
}, (l) => console.log(l));
