// Experiment (not part of `npm run bench`): what teqlctl's facts script costs on an emulated lab
// router, section by section, and what the same output costs with fewer processes (builtin `read`
// instead of `$(cat ...)`, no modinfo when sch_teql is loaded). Read-only on the routers.
//   npm run build && npx tsx bench/experiments/facts-script.ts [runs]
import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import { labPaths, inventoryPath } from '../../src/lab/paths.js';
import { factsScript } from '../../src/gather/script.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { loadRun } from '../../src/load/index.js';
import { chapterSysctls } from '../fleet/sim-host.js';
import { labCli, sshPortOf } from '../lab/lab.js';
import { CHAPTER } from '../lab/teqlctl.js';
import { connect, exec } from '../lib/floor.js';
import { withLabLock } from '../lib/lock.js';
import { median } from '../lib/stats.js';
import type ssh2 from 'ssh2';

const runs = Number(process.argv[2] ?? 7);

function run(c: ssh2.Client, script: string): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    c.exec('sh -s', (err, stream) => {
      if (err) return reject(err);
      let stdout = '';
      stream.on('data', (d: Buffer) => (stdout += d.toString()));
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => resolve({ ms: performance.now() - t, stdout }));
      stream.end(script);
    });
  });
}

/** Per section: its command alone, 5 times in a loop, timed on the router (ms per run). */
function sectionTimer(script: string): string {
  const lines = script.split('\n');
  const out = ['export LANG=C LC_ALL=C', 'now() { read up _ < /proc/uptime; echo "$up"; }'];
  for (let i = 0; i < lines.length; i++) {
    const m = /^echo '@@teqlctl-section (\S+)'$/.exec(lines[i]!);
    if (!m || m[1] === 'end') continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !lines[j]!.startsWith("echo '@@teqlctl-section"); j++) body.push(lines[j]!);
    out.push(`a=$(now); for i in 1 2 3 4 5; do { ${body.join('\n')}\n} >/dev/null 2>&1; done; b=$(now); echo "${m[1]} $a $b"`);
  }
  return out.join('\n') + '\n';
}

await withLabLock('experiment: facts script cost', async () => {
  await labCli('up');
  const loaded = loadRun(inventoryPath(), CHAPTER);
  const current = factsScript(chapterSysctls(loaded));
  // The lean rewrite this experiment measured has landed in src/gather/script.ts: both are the same now.
  const lean = current;
  const p = labPaths();
  for (const router of ['a', 'b'] as const) {
    const c = await connect({ host: '127.0.0.1', port: sshPortOf(router), user: 'root', privateKeyFile: p.key, knownHostsFile: p.knownHosts });
    try {
      await exec(c, 'true');
      const a: number[] = [];
      const b: number[] = [];
      let same = true;
      for (let i = 0; i < runs; i++) {
        const x = await run(c, current);
        const y = await run(c, lean);
        a.push(x.ms);
        b.push(y.ms);
        same &&= x.stdout === y.stdout && isDeepStrictEqual(parseFacts('h', x.stdout), parseFacts('h', y.stdout));
      }
      console.log(`router ${router}: facts script ${median(a).toFixed(0)} ms, lean ${median(b).toFixed(0)} ms (median of ${runs}, one round trip each, open connection); identical output: ${same}`);
      const t = await run(c, sectionTimer(current));
      const tl = await run(c, sectionTimer(lean));
      const costLean = tl.stdout.trim().split('\n').map((l) => l.split(' ')).map(([n, s, e]) => `${n} ${(((Number(e) - Number(s)) * 1000) / 5).toFixed(0)}`);
      const cost = t.stdout.trim().split('\n').map((l) => l.split(' ')).map(([n, s, e]) => `${n} ${(((Number(e) - Number(s)) * 1000) / 5).toFixed(0)}`);
      console.log(`  per section, its commands alone on the router, ms: ${cost.join(', ')}`);
      console.log(`  the same, lean script: ${costLean.join(', ')}`);
    } finally {
      c.end();
    }
  }
});
