// The e2e suite runs its files in lanes, side by side, each lane against a lab of its own (issue
// 13): where there are cores to spare, two labs take less wall time than one lab taking every file
// in turn. Each lane needs about a core for its emulated routers (see laneCount).
//
// Lane 1 is the default lab (or $TEQLCTL_LAB_DIR, and its ports). Lane n > 1 is the same lab kind
// moved out of its way: its own folder beside it, SSH ports +10(n-1), link ports +100(n-1), its
// own inventory and run journals. It shares lane 1's image and keys (symlinks): one image build serves all.
import { existsSync, linkSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { labDir, labPaths } from '../../src/lab/paths.js';
import { ALL_ROUTERS, linkPortBase, sshPort, sshPortEnvVar } from '../../src/lab/topology.js';

const MAX_LANES = 4;
// One lane kept 1.2 of this machine's 2 cores busy (its two emulated routers, mostly); two lanes on
// 2 cores slowed each file by ~1.7x (fault-races 616 s -> 1031 s) and made the 15 s dead-man of the
// fault matrix fire before the rows' hold points. So a lane per 2 cores.
const CORES_PER_LANE = 2;

/**
 * How many labs the suite runs: $TEQLCTL_E2E_LANES (1 runs every file on one lab, in turn), else
 * one per 2 cores (1 on a 2-core machine), at most 4.
 */
export function laneCount(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const raw = env.TEQLCTL_E2E_LANES;
  if (raw === undefined || raw === '') return Math.min(MAX_LANES, Math.max(1, Math.floor(cores / CORES_PER_LANE)));
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > MAX_LANES) throw new Error(`TEQLCTL_E2E_LANES=${raw}: give a number from 1 to ${MAX_LANES}`);
  return n;
}

/** The file a worker holds while it runs on lane `lane`: its pid, in the lane's lab folder. */
export function claimFile(lane: number, env: NodeJS.ProcessEnv = process.env): string {
  return join(laneEnv(lane, env).TEQLCTL_LAB_DIR ?? labDir(env), 'e2e-lane.claim');
}

/** A living node process (a vitest worker), not a dead one's pid reused by something else. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return true; // no /proc: trust the signal check
  }
}

/**
 * Takes the first lane no living worker holds, and holds it until this process exits. Not by
 * VITEST_POOL_ID: after the unit group, the e2e workers' pool ids were seen to map two files onto
 * one lab (both fault files then failed on each other's locks). A claim left by a killed worker
 * names a dead pid and is taken over. Waits while every lane is held (more workers than lanes).
 */
export async function claimLane(env: NodeJS.ProcessEnv = process.env, pid = process.pid): Promise<number> {
  // One lab: nothing to share out. (vitest stops a worker with SIGTERM, so the exit hook below may
  // not run: later claims then mostly take over dead holders' files.)
  if (laneCount(env) === 1) return 1;
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    for (let lane = 1; lane <= laneCount(env); lane++) {
      const file = claimFile(lane, env);
      mkdirSync(join(file, '..'), { recursive: true });
      // Written whole, then linked into place: link fails if the claim exists, and a claim is never
      // seen half-written (an empty claim read as a dead holder put two workers on one lane).
      const mine = `${file}.${pid}`;
      writeFileSync(mine, String(pid));
      let taken = false;
      try {
        linkSync(mine, file);
        taken = true;
      } catch {
        // held (or just taken): read who holds it
      } finally {
        rmSync(mine, { force: true });
      }
      if (!taken) {
        let holder: number;
        try {
          holder = Number(readFileSync(file, 'utf8').trim());
        } catch {
          lane--; // released meanwhile: the same lane again
          continue;
        }
        if (holder === pid) return lane;
        if (Number.isInteger(holder) && holder > 0 && alive(holder)) continue;
        // A dead holder's claim: replaced whole by ours (rename), then read back after a moment,
        // since two workers may take over the same dead claim at once: the last rename wins, and
        // the other sees a living holder and goes on to the next lane.
        writeFileSync(mine, String(pid));
        renameSync(mine, file);
        await new Promise((r) => setTimeout(r, 200));
        if (readFileSync(file, 'utf8').trim() !== String(pid)) continue;
      }
      process.once('exit', () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(pid)) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      });
      return lane;
    }
    if (Date.now() > deadline) throw new Error(`no e2e lane came free in 15 minutes: ${Array.from({ length: laneCount(env) }, (_, i) => claimFile(i + 1, env)).join(', ')} are held`);
    await new Promise((r) => setTimeout(r, 500));
  }
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

/** Removes every lane's claim, before any worker starts: claims of an earlier, killed run. */
export function clearClaims(env: NodeJS.ProcessEnv = process.env): void {
  for (let lane = 1; lane <= laneCount(env); lane++) rmSync(claimFile(lane, env), { force: true });
}

/**
 * `env K=V ...` for a command run by tmux: tmux starts it with its server's environment (whichever
 * worker started the server), not the caller's, so the lane's variables are passed on the line.
 */
export function laneCommandPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const keys = [...Object.keys(laneEnv(2, {})), 'TEQLCTL_E2E_LANE'];
  const set = keys.filter((k) => env[k] !== undefined && env[k] !== '').map((k) => `${k}='${env[k]!.replace(/'/g, `'\\''`)}'`);
  return set.length > 0 ? `env ${set.join(' ')} ` : '';
}
