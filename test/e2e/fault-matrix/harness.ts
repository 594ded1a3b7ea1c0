// The fault matrix's tools: a controller started in the background whose stderr can be waited on,
// the two reference states every row must end in (pristine, converged), and the table of results.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sshRun } from '../lab.js';
import { sleep } from '../wait.js';
import { normalizeState, STATE_SCRIPT } from '../router-state.js';
import { CHAPTER, LAB_INVENTORY, ROOT } from '../teqlctl.js';

export type End = 'pristine' | 'converged';
export type States = { a: string; b: string };

/**
 * One round trip per router, both at once: its state as readState shows it plus teqlctl's boot
 * files (persist), whether every run on it is decided, and whether the lock is held.
 */
async function look(r: 'a' | 'b'): Promise<{ state: string; decided: boolean; lock: 'free' | 'held' }> {
  const res = await sshRun(r, `${STATE_SCRIPT}\necho "## boot files"; ${BOOT_FILES}\necho "@@decided"; ${UNDECIDED} && echo undecided || echo decided\necho "@@lock"; test -e /run/teqlctl.lock && echo held || echo free\n`);
  if (res.code !== 0) throw new Error(`reading router ${r} failed: ${res.stderr}`);
  const [state = '', rest = ''] = res.stdout.split('@@decided\n');
  const [decided = '', lock = ''] = rest.split('@@lock\n');
  return { state: normalizeState(state), decided: decided.trim() === 'decided', lock: lock.trim() === 'held' ? 'held' : 'free' };
}

/** The names in /etc/teqlctl, hidden ones and dangling symlinks too (as `ls -A` listed them), by the shell's globs; printf, not echo: a name is printed as it is. */
const BOOT_FILES = 'for f in /etc/teqlctl/* /etc/teqlctl/.[!.]* /etc/teqlctl/..?*; do { [ -e "$f" ] || [ -L "$f" ]; } && printf "%s\\n" "${f##*/}"; done';

/** Is a run still undecided on the router (pending, or its revert or rollback still running)? */
const UNDECIDED = '( for s in /var/lib/teqlctl/runs/*/state; do [ -f "$s" ] || continue; st=; read -r st < "$s"; case "$st" in pending|reverting|rolling-back) exit 0;; esac; done; exit 1 )';

export async function lookBoth() {
  const [a, b] = await Promise.all([look('a'), look('b')]);
  return { a, b };
}

export async function routersNow(): Promise<States> {
  const { a, b } = await lookBoth();
  return { a: a.state, b: b.state };
}

export interface Controller {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves when stderr matches (e.g. "holding at verify"), rejects after `ms`. */
  waitFor: (re: RegExp, ms?: number) => Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

/** `teqlctl play --yes --json` of the chapter (or of `files`), in the background. */
export function startPlay(args: string[], files: { inventory: string; playbook: string } = { inventory: LAB_INVENTORY, playbook: CHAPTER }): Controller {
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/cli/main.js'), 'play', '-i', files.inventory, files.playbook, '--yes', '--json', ...args], {
    cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>((r) => child.on('close', (code, signal) => r({ code, signal, stdout })));
  const waitFor = async (re: RegExp, ms = 120_000) => {
    const end = Date.now() + ms;
    while (!re.test(stderr)) {
      if (Date.now() > end || child.exitCode !== null) throw new Error(`controller never printed ${re}; stderr:\n${stderr}\nstdout:\n${stdout}`);
      await sleep(200);
    }
  };
  return { child, stderr: () => stderr, waitFor, done };
}

/** Waits until router `r` says `cond` (a shell test) is true. */
export async function routerUntil(r: 'a' | 'b', cond: string, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while ((await sshRun(r, cond).catch(() => ({ code: 1 }))).code !== 0) {
    if (Date.now() > end) throw new Error(`router ${r} never satisfied: ${cond}`);
    await sleep(300);
  }
}

type Look = Awaited<ReturnType<typeof lookBoth>>;
type Locks = { a: 'free' | 'held'; b: 'free' | 'held' };

/**
 * Polls until both routers are in their expected end state, with the expected locks and no run
 * undecided, in two looks in a row (an end that changes right after, such as a timer left armed,
 * is not taken for settled): how long that took (or -1), and the last look, which classify takes
 * instead of reading both routers once more.
 */
export async function settle(ref: Record<End, States>, want: { a: End; b: End }, ms: number, locks: Locks = { a: 'free', b: 'free' }): Promise<{ ms: number; seen?: Look }> {
  const start = Date.now();
  let matched = 0;
  while (Date.now() - start < ms) {
    const now = await lookBoth().catch(() => undefined);
    const ends = now !== undefined && now.a.state === ref[want.a].a && now.b.state === ref[want.b].b && now.a.decided && now.b.decided && now.a.lock === locks.a && now.b.lock === locks.b;
    matched = ends ? matched + 1 : 0;
    if (matched === 2) return { ms: Date.now() - start, seen: now };
    await sleep(500);
  }
  return { ms: -1 };
}

/** The end state each router is in now, or in `seen` (pristine, converged, or HALF: a defect), and its lock. */
export async function classify(ref: Record<End, States>, seen?: Look): Promise<{ a: string; b: string; locks: Locks }> {
  const now = seen ?? await lookBoth();
  const name = (r: 'a' | 'b') => (now[r].state === ref.pristine[r] ? 'pristine' : now[r].state === ref.converged[r] ? 'converged' : 'HALF-CONFIGURED');
  return { a: name('a'), b: name('b'), locks: { a: now.a.lock, b: now.b.lock } };
}

export const TABLE = join(tmpdir(), 'teqlctl-fault-matrix.md');

const HEADER = '| fault | persist | router_a | router_b | exit | teqlctl status says | settled after |\n|---|---|---|---|---|---|---|\n';

/** Starts this run's table (lab-setup.ts, before any file): rows are only appended, from any lane. */
export function startTable(): void {
  writeFileSync(TABLE, HEADER);
}

/** Appends a row. */
export function tableRow(cells: string[]): void {
  appendFileSync(TABLE, `| ${cells.map((c) => c.replace(/\|/g, '/')).join(' | ')} |\n`);
}

export const TABLE_FILE = TABLE;
