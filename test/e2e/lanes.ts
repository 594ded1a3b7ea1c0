// The e2e suite runs its files in lanes, side by side, each lane against a lab of its own: most of
// a file's time is routers waiting (dead-man timers, pings, boots), not CPU, so two labs on two
// cores take far less wall time than one lab taking every file in turn (issue 13).
//
// Lane 1 is the default lab (or $TEQLCTL_LAB_DIR, and its ports). Lane n > 1 is the same lab kind
// moved out of its way: its own folder beside it, SSH ports +10(n-1), link ports +100(n-1), its
// own inventory and run journals. It shares lane 1's image and keys (symlinks): one image build serves all.
import { existsSync, lstatSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { labDir, labPaths } from '../../src/lab/paths.js';
import { ALL_ROUTERS, linkPortBase, sshPort, sshPortEnvVar } from '../../src/lab/topology.js';

const DEFAULT_LANES = 2;
const MAX_LANES = 4;

/** How many labs the suite runs: $TEQLCTL_E2E_LANES (1 runs every file on one lab, in turn), else 2. */
export function laneCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.TEQLCTL_E2E_LANES;
  if (raw === undefined || raw === '') return DEFAULT_LANES;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_LANES) throw new Error(`TEQLCTL_E2E_LANES=${raw}: give a number from 1 to ${MAX_LANES}`);
  return n;
}

/** Which lane a vitest worker runs: its pool id (1..maxWorkers, unique among the running workers). */
export function laneOfWorker(env: NodeJS.ProcessEnv = process.env): number {
  const id = Number(env.VITEST_POOL_ID ?? '1');
  return ((Number.isInteger(id) && id > 0 ? id : 1) - 1) % laneCount(env) + 1;
}

/** The variables that point teqlctl, its lab commands and the e2e helpers at lane `lane`'s lab. */
export function laneEnv(lane: number, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (lane === 1) return {};
  const dir = `${labDir(env)}-lane${lane}`;
  const vars: Record<string, string> = {
    TEQLCTL_LAB_DIR: dir,
    TEQLCTL_LAB_INVENTORY: join(dir, 'lab.yml'),
    TEQLCTL_LAB_LINK_PORT_BASE: String(linkPortBase(env) + 100 * (lane - 1)),
    // Its own run journals: `teqlctl rollback` and `status` of one lane never see the other's runs.
    XDG_STATE_HOME: join(dir, 'state'),
  };
  for (const router of ALL_ROUTERS) vars[sshPortEnvVar(router)] = String(sshPort(router, env) + 10 * (lane - 1));
  return vars;
}

/** Makes lane `lane`'s folder, with lane 1's image and keys linked in (a no-op for lane 1). */
export function prepareLane(lane: number, env: NodeJS.ProcessEnv = process.env): void {
  const vars = laneEnv(lane, env);
  if (!vars.TEQLCTL_LAB_DIR) return;
  const first = labPaths(labDir(env));
  const own = labPaths(vars.TEQLCTL_LAB_DIR);
  mkdirSync(own.dir, { recursive: true });
  for (const [from, to] of [[first.imageDir, own.imageDir], [first.keysDir, own.keysDir]] as const) {
    mkdirSync(from, { recursive: true });
    if (!existsSync(to) && !isSymlink(to)) symlinkSync(from, to, 'dir');
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
