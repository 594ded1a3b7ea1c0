// The staged apply on a real shell (dash and BusyBox's sh, reading their script from stdin as a
// router's does): the steps run, the marker shows, and the shell then waits at the barrier until the
// controller sends the rest; a controller that closes stdin instead leaves nothing more run.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stepsScript } from '../../src/apply/script.js';
import { beforeMarker } from '../../src/connect/transport.js';
import { checksScript } from '../../src/verify/ping-script.js';
import type { Op } from '../../src/plan/ops.js';

const MARKER = '@@teqlctl-barrier';
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-s']], ['busybox sh', ['/bin/busybox', 'sh', '-s']]];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(shell: string[], script: string) {
  const child = spawn(shell[0]!, shell.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
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

describe.each(SHELLS)('a staged apply under %s', (_name, shell) => {
  const staged = (dir: string, o: { before?: string } = {}) => {
    const ops: Op[] = [0, 1].map((i) => ({ kind: 'file-write', path: join(dir, `step${i}`), content: `${i}\n`, executable: false }));
    return stepsScript(ops, { ...o, then: `echo facts-read`, barrier: MARKER });
  };

  it('runs every step and the re-read, prints the marker, then waits for the rest of its script', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-staged-'));
    const sh = start(shell, staged(dir));
    const head = await sh.reached();
    expect(head).toMatch(/facts-read\n$/);
    expect([0, 1].map((i) => existsSync(join(dir, `step${i}`)))).toEqual([true, true]);
    // Still there, waiting: nothing after the barrier ran.
    await sleep(300);
    expect(sh.child.exitCode).toBeNull();
    expect(existsSync(join(dir, 'checked'))).toBe(false);
    sh.child.stdin.end(`echo checked > '${dir}/checked'; echo checks-done\n`);
    expect(await sh.done).toBe(0);
    expect(existsSync(join(dir, 'checked'))).toBe(true);
    expect(sh.out()).toMatch(new RegExp(`${MARKER}\\nchecks-done\\n$`));
  });

  it('ends without running anything more when the controller closes stdin (a failed phase, a dead controller)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-staged-'));
    const sh = start(shell, staged(dir));
    expect(await sh.reached()).toBeDefined();
    sh.child.stdin.end();
    expect(await sh.done).toBe(0);
    expect(sh.out().endsWith(`${MARKER}\n`)).toBe(true);
  });

  it('gives the steps /dev/null as input, so a command that reads stdin can neither block at the barrier nor eat the rest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-staged-'));
    const sh = start(shell, staged(dir, { before: 'cat; read line || echo no-input' }));
    const head = await sh.reached();
    expect(head).toContain('no-input');
    sh.child.stdin.end(`echo rest-ran\n`);
    expect(await sh.done).toBe(0);
    expect(sh.out()).toMatch(/rest-ran\n$/);
  });

  it('the pings after the barrier wait for themselves only, not for the dead-man timer the same shell started (no systemd)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-staged-'));
    // As arm-script.ts starts the timer where there is no systemd: a background child of this shell.
    const sh = start(shell, staged(dir, { before: 'setsid sh -c "sleep 30" </dev/null >/dev/null 2>&1 &' }));
    expect(await sh.reached()).toBeDefined();
    const fakePing = 'ping() { echo "3 packets transmitted, 3 received"; }\n';
    const started = Date.now();
    sh.child.stdin.end(fakePing + checksScript([{ task: 't', to: '10.0.0.1', count: 3, timeout: 1, pos: { file: 'p', line: 1, col: 1 } }]));
    expect(await sh.done).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(sh.out()).toContain('@@teqlctl-check 0 0 1');
  });

  it('a failing step ends the script before the barrier, with its exit status', async () => {
    const ops: Op[] = [{ kind: 'file-write', path: '/dev/null/step0', content: '0\n', executable: false }];
    const sh = start(shell, stepsScript(ops, { barrier: MARKER }));
    expect(await sh.done).toBe(1);
    expect(sh.out()).not.toContain(MARKER);
  });
});
