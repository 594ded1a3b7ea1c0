// The fault matrix's tools: a controller started in the background whose stderr can be waited on,
// the two reference states every row must end in (pristine, converged), and the table of results.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sshRun } from '../lab.js';
import { bothStates, sleep } from '../wait.js';
import { CHAPTER, LAB_INVENTORY, ROOT } from '../teqlctl.js';

export type End = 'pristine' | 'converged';
export type States = { a: string; b: string };

/** Each router's state as readState shows it, plus teqlctl's boot files (persist). */
export async function routersNow(): Promise<States> {
  const s = await bothStates();
  const extra = async (r: 'a' | 'b') => `## boot files\n${(await sshRun(r, 'ls -A /etc/teqlctl 2>/dev/null | sort')).stdout}`;
  return { a: s.a + (await extra('a')), b: s.b + (await extra('b')) };
}

export interface Controller {
  child: ChildProcess;
  stderr: () => string;
  /** Resolves when stderr matches (e.g. "holding at verify"), rejects after `ms`. */
  waitFor: (re: RegExp, ms?: number) => Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string }>;
}

/** `teqlctl play --yes --json` of the chapter, in the background. */
export function startPlay(args: string[]): Controller {
  const child = spawn(process.execPath, [resolve(ROOT, 'dist/src/cli/main.js'), 'play', '-i', LAB_INVENTORY, CHAPTER, '--yes', '--json', ...args], {
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

/** No run still pending on the router: whoever decides the run has decided and finished. */
const DECIDED = 'for s in /var/lib/teqlctl/runs/*/state; do [ -f "$s" ] || continue; case "$(cat "$s")" in pending|reverting|rolling-back) exit 1;; esac; done; exit 0';

/** Polls until both routers are in their expected end state and no run is undecided; how long that took, or -1. */
export async function settle(ref: Record<End, States>, want: { a: End; b: End }, ms: number): Promise<number> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const now = await routersNow().catch(() => undefined);
    if (now && now.a === ref[want.a].a && now.b === ref[want.b].b) {
      const decided = await Promise.all((['a', 'b'] as const).map(async (r) => (await sshRun(r, DECIDED).catch(() => ({ code: 1 }))).code === 0));
      if (decided.every(Boolean)) return Date.now() - start;
    }
    await sleep(1000);
  }
  return -1;
}

/** The end state each router is in now: pristine, converged, or HALF (anything else: a defect). */
export async function classify(ref: Record<End, States>): Promise<{ a: string; b: string }> {
  const now = await routersNow();
  const name = (r: 'a' | 'b') => (now[r] === ref.pristine[r] ? 'pristine' : now[r] === ref.converged[r] ? 'converged' : 'HALF-CONFIGURED');
  return { a: name('a'), b: name('b') };
}

const TABLE = join(tmpdir(), 'teqlctl-fault-matrix.md');

export function startTable(): void {
  writeFileSync(TABLE, '| fault | persist | router_a | router_b | exit | teqlctl status says | settled after |\n|---|---|---|---|---|---|---|\n');
}

export function tableRow(cells: string[]): void {
  appendFileSync(TABLE, `| ${cells.map((c) => c.replace(/\|/g, '/')).join(' | ')} |\n`);
}

export const TABLE_FILE = TABLE;
