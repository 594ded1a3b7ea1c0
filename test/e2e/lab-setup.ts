// vitest globalSetup for the e2e project: one lab per lane (lanes.ts), booted pristine, stopped at the end.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/lab/paths.js';
import { startTable } from './fault-matrix/harness.js';
import { clearClaims, laneCount, laneEnv, prepareLane } from './lanes.js';
import { closeMasters, removeStaleMuxDirs } from './ssh-mux.js';
import { measureLabSpeed } from './lab-speed.js';

/** Runs `teqlctl lab ...`; `quiet` keeps its output unless it fails. */
function lab(args: string[], quiet = false, env: Record<string, string> = {}): Promise<void> {
  const cli = join(projectRoot(), 'dist', 'cli', 'main.js');
  return new Promise((resolve, reject) => {
    // Not quiet before the tests: the first run builds the image, and its progress is worth seeing.
    // From the project root: `lab up` writes inventories/lab.yml there, where teqlctl.ts reads it.
    const child = spawn(process.execPath, [cli, 'lab', ...args], { cwd: projectRoot(), env: { ...process.env, ...env }, stdio: ['ignore', quiet ? 'pipe' : 'inherit', quiet ? 'pipe' : 'inherit'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`teqlctl lab ${args.join(' ')}${env.TEQLCTL_LAB_DIR ? ` (lab ${env.TEQLCTL_LAB_DIR})` : ''} exited ${code} (did \`npm run build\` run?)\n${output}`)),
    );
  });
}

export async function setup(): Promise<void> {
  // The fault matrix's table of this run starts with its header alone (the fault files append to it).
  startTable();
  const lanes = Array.from({ length: laneCount() }, (_, i) => i + 1);
  // A lab left running by an earlier session may carry its changes: stop it, so every router boots
  // pristine. Lanes of an earlier run with more lanes too: an idle lab still costs CPU.
  for (const lane of [1, 2, 3, 4]) if (lane <= lanes.length || existsSync(laneEnv(lane).TEQLCTL_LAB_DIR ?? '')) await lab(['down'], false, laneEnv(lane));
  // Lane 1 first: it builds the image when it is missing or build-image.sh changed, and the other
  // lanes share it. They boot one after another: two first boots at once would crawl on 2 cores.
  for (const lane of lanes) {
    prepareLane(lane);
    await lab(['up'], false, laneEnv(lane));
  }
  // The lab's speed today, for CI's time guard (lab-speed.ts); lane 1's router a, pristine after.
  await measureLabSpeed('before');
  await closeMasters();
  clearClaims();
}

export async function teardown(): Promise<void> {
  // And after the files, silently: the lower figure of the two counts.
  await measureLabSpeed('after');
  await closeMasters();
  // Quiet: the count reporter's line must stay the last one printed, where CI reads it.
  await Promise.all(Array.from({ length: laneCount() }, (_, i) => lab(['down'], true, laneEnv(i + 1))));
  removeStaleMuxDirs();
}
