// The lab's two routers, replayed: the lab inventory (as `lab up` writes it) and playbooks/teql.yml,
// loaded as `teqlctl play` loads them, and run against recorded routers.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRun } from '../../src/load/index.js';
import { renderInventory } from '../../src/lab/inventory.js';
import type { LoadedRun } from '../../src/load/types.js';
import { runPlay } from '../../src/play/run-play.js';
import { RunLog } from '../../src/play/run-log.js';
import type { PlayOptions } from '../../src/play/run-state.js';
import type { RunReport } from '../../src/play/report.js';
import { RecordedRouter } from '../helpers/replay-transport.js';

const ROOT = join(import.meta.dirname, '../..');

export function labRun(): LoadedRun {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-play-test-'));
  const inventory = join(dir, 'lab.yml');
  writeFileSync(inventory, renderInventory({ sshPorts: { a: 2201, b: 2202 }, privateKeyFile: join(dir, 'id'), knownHostsFile: join(dir, 'known_hosts') }));
  return loadRun(inventory, join(ROOT, 'playbooks', 'teql.yml'));
}

export interface Lab {
  routers: Record<'router_a' | 'router_b', RecordedRouter>;
  /** The lab's run, or `loaded` (the lab's playbook reshaped by a test). */
  run(opts?: Partial<PlayOptions>, loaded?: LoadedRun): Promise<RunReport>;
}

export function replayedLab(): Lab {
  const routers = { router_a: new RecordedRouter('a'), router_b: new RecordedRouter('b') };
  return {
    routers,
    run: (opts = {}, loaded = labRun()) => runPlay(loaded, {
      runId: 'test-run-1',
      confirmTimeoutSec: 120,
      owner: 'tester@test',
      check: false,
      forks: 2,
      mode: 'silent',
      log: new RunLog(undefined, []),
      connect: async (host) => routers[host as keyof typeof routers].connect(host),
      connectFresh: async (host) => routers[host as keyof typeof routers].connect(host),
      showPlan: () => undefined,
      approve: async () => true,
      interrupted: () => false,
      ...opts,
    }),
  };
}
