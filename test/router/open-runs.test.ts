// A run of this boot not ended (pending with its timer, or its undo running) refuses a new run's
// first arm and teqlctl rollback's lock, as a held lock does, and is listed in the facts: its lock
// may have been removed by `teqlctl unlock`. The scripts run in the shells routers have, over a
// runs folder laid out in a temporary one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listOpenRunsLines, OPEN_RUN_GRACE_SEC, OPEN_RUN_MARKER, recordUndoerLine, refuseOpenRunLines } from '../../src/router/open-runs.js';

const SHELLS = [['dash'], ['busybox', 'sh'], ['bash']];

interface RunFiles { state?: string; boot?: string; timeout?: number; ageSec?: number }

function layout(runs: Record<string, RunFiles>): string {
  const root = mkdtempSync(join(tmpdir(), 'open-runs-'));
  writeFileSync(join(root, 'boot-id'), 'this-boot\n');
  for (const [id, r] of Object.entries(runs)) {
    const d = join(root, 'runs', id);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'meta'), `run=${id}\nowner=op@host\ntimeout=${r.timeout ?? 120}\n${r.boot === undefined ? '' : `boot=${r.boot}\n`}seq=1\n`);
    if (r.state !== undefined) {
      writeFileSync(join(d, 'state'), r.state);
      const at = Date.now() / 1000 - (r.ageSec ?? 0);
      utimesSync(join(d, 'state'), at, at);
    }
  }
  return root;
}

function sh(shell: string[], script: string): { code: number; out: string } {
  try {
    return { code: 0, out: execFileSync(shell[0]!, [...shell.slice(1), '-c', script], { encoding: 'utf8' }) };
  } catch (err) {
    const e = err as { status: number; stdout: string };
    return { code: e.status, out: e.stdout };
  }
}

const list = (shell: string[], root: string) => sh(shell, listOpenRunsLines(join(root, 'runs'), join(root, 'boot-id'), join(root, 'boot-lock'))).out.trim().split('\n').filter(Boolean).sort();

/** The boot script's lock as it records its holder: "pid boot\nstart\n". */
function bootLock(root: string, pid: number, boot: string, start: string): void {
  mkdirSync(join(root, 'boot-lock'), { recursive: true });
  writeFileSync(join(root, 'boot-lock', 'holder'), `${pid} ${boot}\n${start}\n`);
}
const startOf = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19]!;

/** The first arm's check, freeing a stand-in lock folder as the arm frees its lock. */
function arm(shell: string[], root: string, self = 'mine') {
  mkdirSync(join(root, 'lock'), { recursive: true });
  const r = sh(shell, `${refuseOpenRunLines(self, `rmdir ${join(root, 'lock')}`, join(root, 'runs'), join(root, 'boot-id'))}\necho armed`);
  return { ...r, locked: existsSync(join(root, 'lock')) };
}

describe.each(SHELLS)('%s: runs of this boot not ended', (...shell) => {
  it('lists a pending run, one being undone and one whose state a power cut emptied; not the ended ones', () => {
    const root = layout({
      p: { state: 'pending\n', boot: 'this-boot' },
      r: { state: 'reverting\n', boot: 'this-boot' },
      b: { state: 'rolling-back\n', boot: 'this-boot' },
      e: { state: '', boot: 'this-boot' },
      ...Object.fromEntries(['confirmed', 'reverted', 'rolled-back', 'rollback-confirmed', 'abandoned'].map((s) => [s, { state: `${s}\n`, boot: 'this-boot' }])),
    });
    expect(list(shell, root)).toEqual(['b rolling-back', 'e emptied', 'p pending', 'r reverting']);
  });

  it("leaves out a run's own, pending, in its re-read after its changes", () => {
    const root = layout({ p: { state: 'pending\n', boot: 'this-boot' }, q: { state: 'pending\n', boot: 'this-boot' } });
    const own = sh(shell, listOpenRunsLines(join(root, 'runs'), join(root, 'boot-id'), join(root, 'boot-lock'), 'p')).out;
    expect(own).toBe('q pending\n');
  });

  it('leaves out runs of an earlier boot, of an unknown one (an older teqlctl), and folders without a state', () => {
    const root = layout({ old: { state: 'pending\n', boot: 'an-earlier-boot' }, older: { state: 'reverting\n' }, made: { boot: 'this-boot' } });
    expect(list(shell, root)).toEqual([]);
  });

  it('leaves out a run whose state was written longer ago than its undo could take (a pending one: its timer\'s seconds more)', () => {
    const root = layout({
      undone: { state: 'reverting\n', boot: 'this-boot', ageSec: OPEN_RUN_GRACE_SEC + 120 },
      fresh: { state: 'reverting\n', boot: 'this-boot', ageSec: OPEN_RUN_GRACE_SEC - 120 },
      waiting: { state: 'pending\n', boot: 'this-boot', timeout: 600, ageSec: OPEN_RUN_GRACE_SEC + 120 },
      lost: { state: 'pending\n', boot: 'this-boot', timeout: 60, ageSec: OPEN_RUN_GRACE_SEC + 240 },
    });
    expect(list(shell, root)).toEqual(['fresh reverting', 'waiting pending']);
  });

  it('takes a state stamped in the future (written while the clock was ahead, then stepped back) as of unknown age: open only while its timer or undo is seen alive (a review)', () => {
    const future = -3 * 365 * 86_400;
    const root = layout({
      stale: { state: 'reverting\n', boot: 'this-boot', ageSec: future },
      undoing: { state: 'reverting\n', boot: 'this-boot', ageSec: future },
      waiting: { state: 'pending\n', boot: 'this-boot', timeout: 60, ageSec: future },
    });
    const live = `${process.pid} ${startOf(process.pid)}\n`;
    writeFileSync(join(root, 'runs/undoing/undoer'), live);
    writeFileSync(join(root, 'runs/waiting/timer'), `pid ${live}`);
    expect(list(shell, root)).toEqual(['undoing reverting', 'waiting pending']);
  });

  it('keeps a run open past the bound while its undo still runs or its timer still waits (an undo held up by a hung command; a paused VM whose wall clock stepped on); not once that process is gone or its pid is another\'s', () => {
    const old = OPEN_RUN_GRACE_SEC + 600;
    const root = layout({
      undoing: { state: 'reverting\n', boot: 'this-boot', ageSec: old },
      back: { state: 'rolling-back\n', boot: 'this-boot', ageSec: old },
      gone: { state: 'reverting\n', boot: 'this-boot', ageSec: old },
      reused: { state: 'reverting\n', boot: 'this-boot', ageSec: old },
      waiting: { state: 'pending\n', boot: 'this-boot', timeout: 60, ageSec: old },
      fired: { state: 'pending\n', boot: 'this-boot', timeout: 60, ageSec: old },
    });
    const live = `${process.pid} ${startOf(process.pid)}\n`;
    writeFileSync(join(root, 'runs/undoing/undoer'), live);
    writeFileSync(join(root, 'runs/back/undoer'), live);
    writeFileSync(join(root, 'runs/gone/undoer'), `999999999 12\n`);
    writeFileSync(join(root, 'runs/reused/undoer'), `${process.pid} 1\n`);
    writeFileSync(join(root, 'runs/waiting/timer'), `pid ${live}`);
    writeFileSync(join(root, 'runs/fired/timer'), `pid ${process.pid} 1\n`);
    expect(list(shell, root)).toEqual(['back rolling-back', 'undoing reverting', 'waiting pending']);
  });

  it('asks systemd for a systemd dead-man past the bound: open while its service sleeps (or an older teqlctl\'s timer waits), not once ended', () => {
    const root = layout({ w: { state: 'pending\n', boot: 'this-boot', timeout: 60, ageSec: OPEN_RUN_GRACE_SEC + 600 } });
    writeFileSync(join(root, 'runs/w/timer'), 'systemd teqlctl-deadman-w\n');
    const scan = listOpenRunsLines(join(root, 'runs'), join(root, 'boot-id'), join(root, 'boot-lock'));
    // As systemctl show prints two units: each one's properties, a blank line between.
    const systemctl = (service: string, timer: string) => `systemctl() { [ "$*" = "show -p SubState teqlctl-deadman-w.service teqlctl-deadman-w.timer" ] && printf 'SubState=%s\\n\\nSubState=%s\\n' ${service} ${timer}; }\n`;
    expect(sh(shell, systemctl('running', 'dead') + scan).out).toBe('w pending\n');
    expect(sh(shell, systemctl('dead', 'waiting') + scan).out).toBe('w pending\n');
    expect(sh(shell, systemctl('dead', 'elapsed') + scan).out).toBe('');
    expect(sh(shell, systemctl('dead', 'dead') + scan).out).toBe('');
  });

  it('records the undo\'s own shell, which the scan then finds running', () => {
    const root = layout({ r: { state: 'reverting\n', boot: 'this-boot', ageSec: OPEN_RUN_GRACE_SEC + 600 } });
    const d = join(root, 'runs/r');
    // The undo records itself, then lists while it still runs (it is the listing shell itself).
    expect(sh(shell, `${recordUndoerLine(d)}\n${listOpenRunsLines(join(root, 'runs'), join(root, 'boot-id'), join(root, 'boot-lock'))}`).out).toBe('r reverting\n');
    // Once that shell has ended, the run is over.
    expect(list(shell, root)).toEqual([]);
  });

  it('counts a run as ended where find cannot tell its age (a BusyBox without -mmin): never a refusal until a restart', () => {
    const root = layout({ r: { state: 'reverting\n', boot: 'this-boot' } });
    const bin = join(root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'find'), '#!/bin/sh\necho "find: unrecognized: -mmin" >&2\nexit 1\n', { mode: 0o755 });
    const script = `PATH=${bin}:$PATH\n${listOpenRunsLines(join(root, 'runs'), join(root, 'boot-id'))}`;
    // BusyBox sh runs its own find applet before PATH: the stand-in is a function there.
    const asFunction = `find() { echo "find: unrecognized: -mmin" >&2; return 1; }\n${listOpenRunsLines(join(root, 'runs'), join(root, 'boot-id'))}`;
    expect(sh(shell, shell[0] === 'busybox' ? asFunction : script).out).toBe('');
  });

  it('lists the boot script of this boot while it runs (it may be undoing a run a restart cut); not one gone, nor one of an earlier boot', () => {
    const live = layout({});
    bootLock(live, process.pid, 'this-boot', startOf(process.pid));
    expect(list(shell, live)).toEqual([`(boot) the boot script still runs (pid ${process.pid}), maybe undoing a run a restart cut`]);
    const reused = layout({});
    bootLock(reused, process.pid, 'this-boot', '1');
    expect(list(shell, reused)).toEqual([]);
    const earlier = layout({});
    bootLock(earlier, process.pid, 'an-earlier-boot', startOf(process.pid));
    expect(list(shell, earlier)).toEqual([]);
  });

  it('refuses a first arm as a held lock, naming the run, the lock freed; arms past its own folder or an ended run', () => {
    const root = layout({ done: { state: 'confirmed\n', boot: 'this-boot' }, mine: { state: 'rolled-back\n', boot: 'this-boot' } });
    expect(arm(shell, root)).toEqual({ code: 0, out: 'armed\n', locked: true });
    const other = layout({ x1: { state: 'reverting\n', boot: 'this-boot' } });
    const refused = arm(shell, other);
    expect([refused.code, refused.locked]).toEqual([3, false]);
    expect(refused.out).toMatch(new RegExp(`^${OPEN_RUN_MARKER} run x1 is not ended here: reverting \\(its dead-man may still revert it, or its undo still run, though its lock /run/teqlctl.lock is gone: removed by teqlctl unlock, or freed by an undo that could not record its end\\); wait until teqlctl status shows it ended`));
    expect(arm(shell, other, 'x1').code).toBe(0);
  });
});
