// A timer's pid is the timer's only while its start time matches (a reused pid is another process):
// status does not call a fired timer armed, and disarming does not kill what got its number.
import { execFileSync, spawnSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { disarm } from '../../src/deadman/confirm-script.js';
import { timerLines } from '../../src/deadman/timer-lines.js';
import { parseRuns, runsScript } from '../../src/deadman/runs-script.js';
import { PROC_START_FN } from '../../src/router/proc-start.js';
import { LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';

/** Field 22 of /proc/PID/stat, as Node reads it. */
const startOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19]!;
const SHELLS = [['dash'], ['busybox', 'sh']];

describe('a process known by its pid and start time', () => {
  it.each(SHELLS)('%s: tq_started reads the start time of a living process, nothing for a gone one', (...shell) => {
    const out = execFileSync(shell[0]!, [...shell.slice(1), '-c', `${PROC_START_FN}; tq_started ${process.pid}; echo "a=$tq_st"; tq_started 999999999; echo "b=$tq_st"`], { encoding: 'utf8' });
    expect(out).toBe(`a=${startOf(process.pid)}\nb=\n`);
  });

  it('status: a timer pid now held by another process is not armed; the right start time, or none recorded (an older teqlctl), is', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-start-'));
    const armed = (timer: string) => {
      const runs = join(root, `runs-${Math.random()}`);
      mkdirSync(join(runs, 'r1'), { recursive: true });
      writeFileSync(join(runs, 'r1', 'state'), 'pending\n');
      writeFileSync(join(runs, 'r1', 'timer'), timer);
      const script = runsScript().replaceAll(RUNS_DIR, runs).replaceAll(LOCK_DIR, join(root, 'lock'));
      return parseRuns(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).runs[0]!.armed;
    };
    expect(armed(`pid ${process.pid} 1\n`)).toBe(false);
    expect(armed(`pid ${process.pid} ${startOf(process.pid)}\n`)).toBe(true);
    expect(armed(`pid ${process.pid}\n`)).toBe(true);
  });

  it('disarming kills the timer only while its pid is still the timer\'s', async () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-start-'));
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    await new Promise((r) => setTimeout(r, 100));
    const confirmWith = (start: string) => {
      mkdirSync(join(root, 'r1'), { recursive: true });
      writeFileSync(join(root, 'r1', 'state'), 'pending\n');
      writeFileSync(join(root, 'r1', 'timer'), `pid ${stranger.pid} ${start}\n`);
      execFileSync('sh', ['-c', `${disarm(join(root, 'r1'))}\ntrue`], { encoding: 'utf8' });
    };
    try {
      confirmWith('1');
      await new Promise((r) => setTimeout(r, 200));
      // Still running: not gone, not a zombie (read from /proc: Node learns of an exit only later).
      expect(readFileSync(`/proc/${stranger.pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]).not.toBe('Z');
      const died = new Promise((r) => stranger.on('exit', (_c, sig) => r(sig)));
      confirmWith(startOf(stranger.pid!));
      expect(await died).toBe('SIGTERM');
    } finally {
      stranger.kill();
    }
  });
});

describe('arming without systemd', () => {
  it('without setsid (OpenWrt\'s BusyBox), start-stop-daemon starts the sleeper in a session of its own: it outlives the round trip\'s process group, is recorded, and disarming stops it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-ssd-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    // BusyBox's applets on the PATH, setsid hidden from `command -v` as OpenWrt's build leaves it out.
    const script = timerLines('r1', 30).join('\n').replaceAll('/run/systemd/system', join(root, 'no-systemd')).replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll('command -v setsid', 'command -v teqlctl-test-no-setsid').replaceAll('start-stop-daemon -S', 'busybox start-stop-daemon -S');
    // Under `timeout`, which kills its whole process group when its bound runs out (the round trip's
    // bound on the router), with the shell still there when it does.
    const r = spawnSync('timeout', ['-s', 'KILL', '2', 'busybox', 'sh', '-c', `${script}\necho "sid $(cut -d' ' -f6 /proc/$$/stat)"\nsleep 10`], { encoding: 'utf8' });
    expect(r.status ?? r.signal).toMatch(/^(137|SIGKILL)$/);
    const [kind, pid, start] = readFileSync(join(root, 'runs', 'r1', 'timer'), 'utf8').trim().split(' ');
    expect(kind).toBe('pid');
    // Still running, with its recorded start: it outlived the killed group.
    expect(start).toBe(startOf(Number(pid)));
    const session = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[3];
    expect(r.stdout).toMatch(/^sid \d+$/m);
    expect(`sid ${session}`).not.toBe(r.stdout.trim());
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toContain('sleep 30');
    expect(readFileSync(join(root, 'runs', 'r1', 'sleeper'), 'utf8').trim()).toMatch(/^\d+$/);
    execFileSync('sh', ['-c', `${disarm(join(root, 'runs', 'r1'))}\ntrue`]);
    await new Promise((r) => setTimeout(r, 200));
    const state = (() => { try { return readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]; } catch { return 'gone'; } })();
    expect(['gone', 'Z']).toContain(state);
  });

  it.each(SHELLS)('%s: records the sleeper shell with its start time, and disarming by that record stops it', async (...shell) => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    const script = timerLines('r1', 30).join('\n').replaceAll('/run/systemd/system', join(root, 'no-systemd')).replaceAll(RUNS_DIR, join(root, 'runs'));
    execFileSync(shell[0]!, [...shell.slice(1), '-c', script], { encoding: 'utf8' });
    const [kind, pid, start] = readFileSync(join(root, 'runs', 'r1', 'timer'), 'utf8').trim().split(' ');
    expect(kind).toBe('pid');
    expect(start).toBe(startOf(Number(pid)));
    for (let i = 0; i < 50 && !existsSync(join(root, 'runs', 'r1', 'sleeper')); i++) await new Promise((r) => setTimeout(r, 100));
    const sleep = readFileSync(join(root, 'runs', 'r1', 'sleeper'), 'utf8').trim();
    execFileSync('sh', ['-c', `${disarm(join(root, 'runs', 'r1'))}\ntrue`]);
    await new Promise((r) => setTimeout(r, 200));
    // Gone, or a zombie waiting for whatever reaps orphans here: the sleeper and its sleep.
    const state = (p: string) => { try { return readFileSync(`/proc/${p}/stat`, 'utf8').replace(/^.*\) /s, '')[0]; } catch { return 'gone'; } };
    expect(['gone', 'Z']).toContain(state(pid!));
    expect(['gone', 'Z']).toContain(state(sleep));
  });

  it('disarming kills the pid in `sleeper` only while it is the sleeper\'s child: a number another process has now is left alone (a review)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-arm-'));
    mkdirSync(join(root, 'runs', 'r1'), { recursive: true });
    const script = timerLines('r1', 30).join('\n').replaceAll('/run/systemd/system', join(root, 'no-systemd')).replaceAll(RUNS_DIR, join(root, 'runs'));
    execFileSync('sh', ['-c', script], { encoding: 'utf8' });
    const sleeperFile = join(root, 'runs', 'r1', 'sleeper');
    for (let i = 0; i < 50 && !existsSync(sleeperFile); i++) await new Promise((r) => setTimeout(r, 100));
    const own = readFileSync(sleeperFile, 'utf8').trim();
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(sleeperFile, `${stranger.pid}\n`);
      execFileSync('sh', ['-c', `${disarm(join(root, 'runs', 'r1'))}\ntrue`]);
      await new Promise((r) => setTimeout(r, 200));
      expect(readFileSync(`/proc/${stranger.pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0]).not.toBe('Z');
    } finally {
      stranger.kill();
      spawnSync('kill', [own]);
    }
  });
});
