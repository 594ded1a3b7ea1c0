// Experiment (not part of `npm run bench`): what the dead-man's switch adds to a cold apply on an
// emulated lab router. Times, over one open connection, the pieces of teqlctl's own scripts: the
// arm prefix of the first apply batch (lock, run files, undo scripts, systemd-run timer), its parts,
// the confirmation, and a bare round trip. Every timer armed here is stopped, every file removed,
// and router a is reset at the end.
//   npm run build && npx tsx bench/experiments/deadman.ts [runs]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type ssh2 from 'ssh2';
import { armScript } from '../../src/deadman/arm-script.js';
import { closeRunScript, confirmScript } from '../../src/deadman/confirm-script.js';
import { LOCK_DIR, runDir } from '../../src/router/paths.js';
import { parseFacts } from '../../src/gather/parse-facts.js';
import { inventoryPath, labPaths } from '../../src/lab/paths.js';
import { loadRun } from '../../src/load/index.js';
import { planHost } from '../../src/plan/plan-host.js';
import { labCli, ROOT, sshPortOf } from '../lab/lab.js';
import { CHAPTER } from '../lab/teqlctl.js';
import { connect, exec } from '../lib/floor.js';
import { withLabLock } from '../lib/lock.js';
import { median } from '../lib/stats.js';

const runs = Number(process.argv[2] ?? 5);

function run(c: ssh2.Client, script: string): Promise<{ ms: number; code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    c.exec('sh -s', (err, stream) => {
      if (err) return reject(err);
      let out = '';
      let code = -1;
      stream.on('data', (d: Buffer) => (out += d.toString()));
      stream.stderr.on('data', (d: Buffer) => (out += d.toString()));
      stream.on('exit', (n: number | null) => { code = n ?? -1; });
      stream.on('close', () => resolve({ ms: performance.now() - t, code, out }));
      stream.end(script);
    });
  });
}

await withLabLock('experiment: dead-man cost', async () => {
  await labCli('up');
  const loaded = loadRun(inventoryPath(), CHAPTER);
  const tasks = loaded.plays[0]!.tasks.get('router_a')!;
  const plan = planHost('router_a', tasks, parseFacts('router_a', readFileSync(join(ROOT, 'bench', 'fixtures', 'a-pristine.txt'), 'utf8')));
  const undo = plan.plan.phases.flatMap((p) => p.changes).flatMap((c) => c.steps.map((s) => s.undo));
  const p = labPaths();
  const c = await connect({ host: '127.0.0.1', port: sshPortOf('a'), user: 'root', privateKeyFile: p.key, knownHostsFile: p.knownHosts });
  const t: Record<string, number[]> = { bare: [], arm: [], sessionPid: [], systemdRun: [], systemdRunNoBlock: [], confirm: [], close: [] };
  try {
    await exec(c, 'true');
    for (let i = 0; i < runs; i++) {
      const runId = `bench-deadman-${Date.now()}-${i}`;
      const arm = armScript({ runId, owner: 'bench', batch: 0, undo, timeoutSec: 600, first: true, summary: 'bench experiment', redo: [] });
      t.bare!.push((await run(c, 'true\n')).ms);
      const a = await run(c, `export LANG=C LC_ALL=C\n${arm}\n`);
      if (a.code !== 0) throw new Error(`arm exited ${a.code}: ${a.out}`);
      t.arm!.push(a.ms);
      t.confirm!.push((await run(c, confirmScript(runId, 'bench'))).ms);
      t.close!.push((await run(c, closeRunScript(runId, 'rolled-back'))).ms);
      await run(c, `rm -rf ${runDir(runId)}; grep -q 'owner=bench' ${LOCK_DIR}/owner 2>/dev/null && rm -rf ${LOCK_DIR}; true\n`);
      t.sessionPid!.push((await run(c, arm.split('\n')[0]! + '\n')).ms);
      for (const [key, extra] of [['systemdRun', ''], ['systemdRunNoBlock', '--no-block ']] as const) {
        const unit = `bench-deadman-${Date.now()}-${i}`;
        t[key]!.push((await run(c, `systemd-run ${extra}--quiet --unit=${unit} --on-active=600 --timer-property=AccuracySec=1s /bin/true\n`)).ms);
        await run(c, `systemctl stop ${unit}.timer ${unit}.service >/dev/null 2>&1; true\n`);
      }
    }
  } finally {
    c.end();
    await labCli('reset', 'a'); // whatever the cleanup missed, a is pristine again
  }
  const m = (k: string) => median(t[k]!).toFixed(0);
  console.log(`router a, median of ${runs}, one round trip each over an open connection (ms):`);
  console.log(`  bare round trip (true): ${m('bare')}`);
  console.log(`  arm prefix of the first apply batch (lock, run files, undo of ${undo.length} steps, timer): ${m('arm')}`);
  console.log(`    of which: the lock's sshd-pid walk alone ${m('sessionPid')}; systemd-run timer alone ${m('systemdRun')} (--no-block: ${m('systemdRunNoBlock')})`);
  console.log(`  confirm (over the new connection): ${m('confirm')}; close after a rollback: ${m('close')}`);
});
