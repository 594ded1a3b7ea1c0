// Property test of the safety net on router states nobody wrote a test for: from a random prior
// state (built by shell commands on the lab's routers), a run of the chapter that fails
// verification, or that succeeds and is undone by `teqlctl rollback`, or whose controller is
// SIGKILLed once it applied (the routers' dead-man reverts it), must leave each router exactly as
// it was. Each trial prints its recipe, the exit codes and every difference; exit 1 on any.
//   npm run build && npx tsx bench/experiments/prior-states.ts [COUNT] [SEED] [MODE]
// MODE (optional): verify | rollback | deadman, else each trial picks one; `regressions` runs the
// cases found so far instead (prior-states-recipe.ts). Holds the lab lock
// (/tmp/teqlctl-lab.lock) one trial at a time, so others get the lab between trials.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { withLabLock } from '../lib/lock.js';
import { seededRandom } from './seeded-random.js';
import { resetRouters, sshRun } from '../../test/e2e/lab.js';
import { appliedAndPending, quiet } from '../../test/e2e/run-state.js';
import { CHAPTER, LAB_INVENTORY, ROOT, teqlctl } from '../../test/e2e/teqlctl.js';
import { eventually, sleep } from '../../test/e2e/wait.js';
import { priorRecipe, REGRESSIONS, type Mode, type Step } from './prior-states-recipe.js';
import { diffStates, normalizeState, STATE_SCRIPT } from './prior-states-read.js';

type R = 'a' | 'b';
const count = Number(process.argv[2] ?? 10);
const seed = Number(process.argv[3] ?? 1);
const regressions = process.argv[4] === 'regressions';
const onlyMode = regressions ? undefined : (process.argv[4] as Mode | undefined);
const CONFIRM_TIMEOUT = 15;

async function readRouter(router: R): Promise<string[]> {
  const r = await sshRun(router, STATE_SCRIPT);
  if (r.code !== 0) throw new Error(`reading router ${router} failed (${r.code}): ${r.stderr}`);
  return normalizeState(r.stdout);
}
const readBoth = async () => ({ a: await readRouter('a'), b: await readRouter('b') });

async function prepare(steps: Step[]): Promise<void> {
  for (const router of ['a', 'b'] as const) {
    const script = steps.filter((s) => s.router === router).map((s) => s.cmd).join('\n');
    if (!script) continue;
    const r = await sshRun(router, `set -e\n${script}\n`);
    if (r.code !== 0) throw new Error(`recipe on ${router} failed (${r.code}): ${r.stderr}`);
  }
}

/** Verification fails after every change is applied: the LAN ping goes to an address nobody has. */
const FAIL_VERIFY = ['-e', 'peer_lan_address=203.0.113.77'];

async function runTrial(mode: Mode, extra: string[], playbook = CHAPTER): Promise<string> {
  const play = ['play', '-i', LAB_INVENTORY, playbook, '--yes', ...extra];
  if (mode === 'verify') {
    const r = await teqlctl([...play, ...FAIL_VERIFY]);
    return `play ${r.code}${said(r.code, r.stdout + r.stderr)}`;
  }
  if (mode === 'rollback') {
    const r = await teqlctl(play);
    if (r.code !== 0) return `play ${r.code}${said(r.code, r.stdout + r.stderr)}`;
    const rb = await teqlctl(['rollback', '-i', LAB_INVENTORY]);
    return `play 0, rollback ${rb.code}${rb.code === 0 ? '' : `: ${(rb.stdout + rb.stderr).trim().split('\n').slice(-3).join(' | ')}`}`;
  }
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), ...play, '--confirm-timeout', String(CONFIRM_TIMEOUT), '--debug-hold-before-confirm', '600'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let exit: number | null | undefined;
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.on('close', (code) => (exit = code));
  // Held between verifying and confirming: every change applied and verified, nothing confirmed.
  const held = await eventually(120_000, async () => exit !== undefined || (out.includes('debug: --debug-hold-before-confirm') && (await appliedAndPending('a')) && (await appliedAndPending('b'))));
  if (exit !== undefined) return `play ${exit} (before the kill)${said(exit ?? -1, out)}`;
  child.kill('SIGKILL');
  await sleep(CONFIRM_TIMEOUT * 1000);
  const calm = await eventually(40_000, async () => (await quiet('a')) && (await quiet('b')));
  const dead = `dead-man ${calm ? 'done' : 'NOT quiet after 55 s'}`;
  if (!held) return `play not held after applying within 120 s, SIGKILLed; ${dead}: ${out.trim().split('\n').slice(-3).join(' | ')}`;
  return `play SIGKILLed after applying; ${dead}`;
}

/** Why a run did not get to verify: its last lines, for a refusal or a failure. */
function said(code: number, text: string): string {
  return code === 0 || code === 5 ? '' : `: ${text.trim().split('\n').filter((l) => !l.startsWith('{')).slice(-2).join(' | ').slice(0, 400)}`;
}

/** PRIOR_ONLY=3,9: only those trials of the seed's sequence (to run a found case again). */
const only = process.env.PRIOR_ONLY ? process.env.PRIOR_ONLY.split(',').map(Number) : undefined;
let differing = 0;
let since = Date.now();
const outcomes = new Map<string, number>();
const rnd = seededRandom(seed);
const recipes = regressions ? REGRESSIONS : Array.from({ length: count }, () => priorRecipe(rnd, onlyMode));
for (let i = 0; i < recipes.length; i++) {
  const recipe = recipes[i]!;
  if (only && !only.includes(i + 1)) continue;
  // The lab is shared: a pause between trials, and a minute's pause every 9 minutes of use.
  if (Date.now() - since > 9 * 60_000) {
    await sleep(60_000);
    since = Date.now();
  } else await sleep(2000);
  console.log(`\n=== trial ${i + 1}/${recipes.length} (${regressions ? 'regressions' : `seed ${seed}`}), mode ${recipe.mode}${recipe.playbook ? `, ${recipe.playbook}` : ''}${recipe.extra.length ? `, ${recipe.extra.join(' ')}` : ''}`);
  for (const s of recipe.steps) console.log(`  ${s.router}# ${s.cmd}`);
  await withLabLock(`prior-states trial ${i + 1}`, async () => {
    await resetRouters('a', 'b');
    try {
      await prepare(recipe.steps);
    } catch (err) {
      console.log(`  recipe not applicable, trial skipped: ${(err as Error).message.trim()}`);
      outcomes.set('skipped', (outcomes.get('skipped') ?? 0) + 1);
      return;
    }
    await sleep(3000); // IPv6 DAD and operstate settle before the snapshot
    const before = await readBoth();
    const t0 = Date.now();
    const outcome = await runTrial(recipe.mode, recipe.extra, recipe.playbook);
    const took = ((Date.now() - t0) / 1000).toFixed(1);
    await sleep(1000);
    const after = await readBoth();
    const key = outcome.replace(/:.*/, '');
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
    console.log(`  outcome: ${outcome} (${took} s)`);
    for (const router of ['a', 'b'] as const) {
      const all = diffStates(before[router], after[router]);
      const kernel = all.filter((l) => / kernel-made /.test(l));
      if (kernel.length > 0) console.log(`  kernel-made on ${router} (not counted): ${kernel.join('; ')}`);
      const d = all.filter((l) => !kernel.includes(l));
      if (d.length === 0) continue;
      differing++;
      console.log(`  DIFFERENCE on ${router}:`);
      for (const line of d) console.log(`    ${line}`);
    }
  }, (line) => console.log(line));
}
await withLabLock('prior-states: reset at the end', () => resetRouters('a', 'b')).catch(() => {});
console.log(`\n${recipes.length} trials: ${[...outcomes].map(([k, n]) => `${n}x ${k}`).join('; ')}; ${differing} router(s) with a difference`);
process.exit(differing > 0 ? 1 : 0);
