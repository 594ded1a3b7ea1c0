// Early checks on a real shell (dash and BusyBox's sh, reading their script from stdin as a router's
// does), with a stand-in `ping` on PATH: started before the facts, collected after the barrier, or
// stopped and cleaned up when the shell is told to end.
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { beforeMarker } from '../../src/connect/transport.js';
import { checkKey, earlyChecksCollect, earlyChecksStart } from '../../src/verify/early-checks.js';
import { parseChecks } from '../../src/verify/ping-script.js';
import type { Check } from '../../src/plan/types.js';

const MARKER = '@@teqlctl-barrier';
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-s']], ['busybox sh', ['/bin/busybox', 'sh', '-s']]];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const check = (to: string): Check => ({ task: 'ping', to, count: 3, timeout: 2, pos: { file: 'p.yml', line: 1, col: 1 } });

/**
 * A stand-in ping (and optionally a failing mktemp), as shell functions that exec them: BusyBox's sh
 * runs its own applets before anything on PATH. And a TMPDIR of its own, to see what is left there.
 */
function fakeTools(o: { mktempFails?: boolean } = {}): { bin: string; tmp: string; env: NodeJS.ProcessEnv; prefix: string } {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-early-'));
  const bin = join(root, 'bin');
  const tmp = join(root, 'tmp');
  for (const d of [bin, tmp]) mkdirSync(d);
  // 10.0.0.1 answers; 10.0.0.9 never does (sleeps, its pid written down); anything else fails at once.
  const ping = [
    '#!/bin/sh',
    'for a; do last=$a; done',
    'case $last in',
    '  10.0.0.1) echo "3 packets transmitted, 3 received, 0% packet loss"; exit 0;;',
    // Still a process named ping while it waits (the trap kills pings only): no exec of sleep.
    `  10.0.0.9) echo $$ > "${root}/sleeper.pid"; while :; do sleep 1; done;;`,
    '  *) echo "3 packets transmitted, 0 received, 100% packet loss"; exit 1;;',
    'esac',
  ].join('\n');
  writeFileSync(join(bin, 'ping'), ping + '\n');
  chmodSync(join(bin, 'ping'), 0o755);
  if (o.mktempFails) {
    writeFileSync(join(bin, 'mktemp'), '#!/bin/sh\necho "mktemp: No space left on device" >&2\nexit 1\n');
    chmodSync(join(bin, 'mktemp'), 0o755);
  }
  const prefix = `ping() { exec '${bin}/ping' "$@"; }\n` + (o.mktempFails ? `mktemp() { '${bin}/mktemp' "$@"; }\nmkdir() { echo "mkdir: No space left on device" >&2; return 1; }\n` : '');
  return { bin, tmp, env: { ...process.env, TMPDIR: tmp }, prefix };
}

function start(shell: string[], script: string, env: NodeJS.ProcessEnv) {
  const child = spawn(shell[0]!, shell.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  const done = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  child.stdin.write(script);
  const reached = async () => {
    for (let i = 0; i < 200 && beforeMarker(stdout, MARKER) === undefined; i++) await sleep(25);
    return beforeMarker(stdout, MARKER);
  };
  return { child, done, reached, out: () => stdout };
}

/** Running: not gone, and not a zombie (one whose parent exited first waits to be reaped by init). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

describe.each(SHELLS)('early checks under %s', (_name, shell) => {
  const script = (checks: Check[], prefix: string, needs: string[] = []) => `${prefix}${earlyChecksStart(checks, needs)}{\necho facts-read\n} </dev/null\nprintf '%s\\n' '${MARKER}'\n`;

  it('start before the facts, and are collected after the barrier: each check once, with its output; nothing left behind', async () => {
    const tools = fakeTools();
    const checks = [check('10.0.0.1'), check('10.0.0.7')];
    const sh = start(shell, script(checks, tools.prefix), tools.env);
    expect(await sh.reached()).toBe('facts-read\n');
    sh.child.stdin.end(earlyChecksCollect(checks));
    expect(await sh.done).toBe(0);
    const after = sh.out().slice(sh.out().indexOf(MARKER) + MARKER.length + 1);
    const results = parseChecks(checks, after);
    expect(results.map((r) => [r.check.to, r.ok, r.attempts])).toEqual([['10.0.0.1', true, 1], ['10.0.0.7', false, 1]]);
    expect(results[1]!.summary).toContain('100% packet loss');
    expect(readdirSync(tools.tmp)).toEqual([]);
  });

  it('told to end instead (stdin closed: something is to change, or the controller is gone), stop their pings and remove their files', async () => {
    const tools = fakeTools();
    const checks = [check('10.0.0.9'), check('10.0.0.1')];
    const sh = start(shell, script(checks, tools.prefix), tools.env);
    expect(await sh.reached()).toBe('facts-read\n');
    const pidFile = join(tools.bin, '..', 'sleeper.pid');
    for (let i = 0; i < 100; i++) {
      try {
        readFileSync(pidFile);
        break;
      } catch {
        await sleep(25);
      }
    }
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(sleeper)).toBe(true);
    const ended = Date.now();
    sh.child.stdin.end();
    expect(await sh.done).toBe(0);
    expect(Date.now() - ended).toBeLessThan(5_000);
    expect(sh.out().endsWith(`${MARKER}\n`)).toBe(true);
    for (let i = 0; i < 40 && alive(sleeper); i++) await sleep(25);
    expect(alive(sleeper)).toBe(false);
    expect(readdirSync(tools.tmp)).toEqual([]);
  });

  it('start only if every path they need is there (an equalizer the play wants): else none, and every check reads as not run', async () => {
    const tools = fakeTools();
    const checks = [check('10.0.0.1')];
    for (const [needs, ran] of [[[tools.bin], true], [[tools.bin, join(tools.bin, 'teql0')], false]] as const) {
      const sh = start(shell, script(checks, tools.prefix, [...needs]), tools.env);
      expect(await sh.reached()).toBe('facts-read\n');
      sh.child.stdin.end(earlyChecksCollect(checks));
      expect(await sh.done).toBe(0);
      const after = sh.out().slice(sh.out().indexOf(MARKER) + MARKER.length + 1);
      expect(parseChecks(checks, after).map((r) => [r.ok, r.attempts]), JSON.stringify(needs)).toEqual(ran ? [[true, 1]] : [[false, 0]]);
    }
    expect(readdirSync(tools.tmp)).toEqual([]);
  });

  it('without a folder for their output (mktemp fails, and mkdir: /tmp full), start nothing: the facts are read, every check reads as not run', async () => {
    const tools = fakeTools({ mktempFails: true });
    const checks = [check('10.0.0.1')];
    const sh = start(shell, script(checks, tools.prefix), tools.env);
    expect(await sh.reached()).toBe('facts-read\n');
    sh.child.stdin.end(earlyChecksCollect(checks));
    expect(await sh.done).toBe(0);
    const after = sh.out().slice(sh.out().indexOf(MARKER) + MARKER.length + 1);
    expect(parseChecks(checks, after).map((r) => [r.ok, r.attempts, r.summary])).toEqual([[false, 0, 'not run']]);
  });
  it('without mktemp (a minimal BusyBox), make their folder by mkdir and run (every check was "not run" there, a review)', async () => {
    const tools = fakeTools();
    const checks = [check('10.0.0.1')];
    const sh = start(shell, `mktemp() { echo "mktemp: not found" >&2; return 127; }\n${script(checks, tools.prefix)}`, tools.env);
    expect(await sh.reached()).toBe('facts-read\n');
    sh.child.stdin.end(earlyChecksCollect(checks));
    expect(await sh.done).toBe(0);
    const after = sh.out().slice(sh.out().indexOf(MARKER) + MARKER.length + 1);
    expect(parseChecks(checks, after).map((r) => [r.ok, r.attempts])).toEqual([[true, 1]]);
  });
});

describe('checkKey', () => {
  it('matches the same ping whichever task asked for it, and tells different pings apart', () => {
    expect(checkKey({ ...check('10.0.0.1'), task: 'other', pos: { file: 'q.yml', line: 9, col: 3 } })).toBe(checkKey(check('10.0.0.1')));
    expect(checkKey({ ...check('10.0.0.1'), dev: 'eth1' })).not.toBe(checkKey(check('10.0.0.1')));
    expect(checkKey({ ...check('10.0.0.1'), count: 5 })).not.toBe(checkKey(check('10.0.0.1')));
  });
});
