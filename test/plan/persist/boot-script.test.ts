// The boot script's revert of a run left pending by a reboot, run for real under dash and BusyBox's
// sh in a temporary folder (ip, tc and modprobe as logging stand-ins): a run its revert settles is
// reverted and the script starts over once; one it cannot settle must not hold up the boot.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootScript } from '../../../src/plan/persist/boot-script.js';
import { RESUMABLE_MARK } from '../../../src/router/markers.js';
import { BOOT_ID_FILE, BOOT_LOCK_DIR, BOOT_SCRIPT, LOCK_OWNER, RUNS_DIR } from '../../../src/router/paths.js';

const SHELLS: Array<[string, string]> = [['dash', '/bin/dash'], ['busybox sh', '/bin/busybox sh']];

function router(shell: string, revert: string, state = 'pending', resumable = true) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-boot-'));
  const bin = join(root, 'bin');
  const run = join(root, 'runs', 'r1');
  mkdirSync(bin);
  mkdirSync(run, { recursive: true });
  for (const tool of ['ip', 'tc', 'modprobe']) {
    writeFileSync(join(bin, tool), `#!/bin/sh\n[ "$1" = -V ] && { echo "${tool} utility, iproute2-6.1.0"; exit 0; }\necho "${tool} $*" >> ${root}/calls\n`);
    chmodSync(join(bin, tool), 0o755);
  }
  writeFileSync(join(run, 'state'), `${state}\n`);
  // Every run that armed has a meta file (this one as an older teqlctl wrote it: no boot line).
  writeFileSync(join(run, 'meta'), 'run=r1\nowner=t@t\n');
  // The revert as the harness sees it: counted, then `revert` (what the real one would do here).
  writeFileSync(join(run, 'revert.sh'), `${resumable ? `${RESUMABLE_MARK}\n` : ''}echo "x $*" >> ${root}/reverts\n${revert}\n`);
  const script = bootScript({ host: 'a', steps: [{ kind: 'address', dev: 'teql0', cidr: '10.9.9.1/31' }], teql: { maxEqualizers: 1 }, sysctls: [] }, new Set())
    .replaceAll(RUNS_DIR, join(root, 'runs'))
    .replaceAll(LOCK_OWNER, join(root, 'lock-owner'))
    .replaceAll(BOOT_ID_FILE, join(root, 'boot-id'))
    .replaceAll(BOOT_LOCK_DIR, join(root, 'boot.lock'))
    .replaceAll(BOOT_SCRIPT, join(root, 'boot.sh'))
    .replace(/for d in [^;]*; do/, `for d in ${bin}; do`)
    // By its path: BusyBox's sh runs its own modprobe applet before any on PATH.
    .replace('run modprobe', `run ${bin}/modprobe`);
  const path = join(root, 'boot.sh');
  writeFileSync(path, script, { mode: 0o755 });
  const boot = () => {
    const r = spawnSync('/usr/bin/timeout', ['10', ...shell.split(' '), path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, stderr: r.stderr };
  };
  /** Two boot scripts at once, as two interfaces' if-up.d hooks start them. */
  const bootTwice = async () => Promise.all([0, 1].map(() => new Promise<{ code: number | null; stderr: string }>((done) => {
    const c = spawn('/usr/bin/timeout', ['20', ...shell.split(' '), path], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.on('close', (code) => done({ code, stderr }));
  })));
  const count = (name: string) => {
    try {
      return readFileSync(join(root, name), 'utf8').trim().split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  const revertArgs = () => readFileSync(join(root, 'reverts'), 'utf8').split('\n').filter(Boolean).map((l) => l.slice(2));
  /**
   * Another run's folder, named to sort after r1 (a later run) or before it. `metaAt`: when its meta
   * was written (a minute after r1's by default: armed after it); null: no meta, a folder teqlctl's
   * rollback made for a run that never armed.
   */
  const otherRun = (name: string, st: string, metaAt: Date | null = new Date(Date.now() + 60_000), seq?: number) => {
    mkdirSync(join(root, 'runs', name));
    writeFileSync(join(root, 'runs', name, 'state'), `${st}\n`);
    if (metaAt === null) return;
    writeFileSync(join(root, 'runs', name, 'meta'), `run=${name}\nboot=some-boot\n${seq === undefined ? '' : `seq=${seq}\n`}`);
    utimesSync(join(root, 'runs', name, 'meta'), metaAt, metaAt);
  };
  writeFileSync(join(root, 'boot-id'), 'this-boot\n');
  /** The lock's owner file; `boot`: the boot it was taken in (none: an older teqlctl's lock). */
  const lockedBy = (id: string, boot?: string) => writeFileSync(join(root, 'lock-owner'), `run=${id}\nowner=t@t\n${boot === undefined ? '' : `boot=${boot}\n`}`);
  /** The boot run r1 was armed in, as its meta records it (none: an older teqlctl's run). */
  const armedIn = (boot: string, seq?: number) => writeFileSync(join(run, 'meta'), `run=r1\nowner=t@t\nstarted=2026-12-01T00:00:00Z\ntimeout=120\nsummary=x\nboot=${boot}\n${seq === undefined ? '' : `seq=${seq}\n`}`);
  const decidedBy = () => ['confirm', 'revert', 'rollback'].filter((w) => { try { readFileSync(join(run, 'decided', w)); return true; } catch { return false; } });
  return { boot, bootTwice, root, revertArgs, otherRun, lockedBy, armedIn, decidedBy, reverts: () => count('reverts'), calls: () => count('calls'), state: () => readFileSync(join(run, 'state'), 'utf8').trim(), path };
}

describe.each(SHELLS)('the boot script, under %s', (_name, shell) => {
  it('two at once (two if-up.d hooks): the second waits for the first, the run is reverted once, no apply meets a revert half done', async () => {
    const r = router(shell, `echo reverting > "$(dirname "$0")/state"; sleep 1; echo reverted > "$(dirname "$0")/state"`);
    const [one, two] = await r.bootTwice();
    expect([one!.code, two!.code], one!.stderr + two!.stderr).toEqual([0, 0]);
    expect(r.reverts()).toBe(1);
    expect(r.state()).toBe('reverted');
    expect(one!.stderr + two!.stderr).not.toMatch(/left as it is/);
    // Each applied the configuration once the revert was over: modprobe and the address, twice.
    expect(r.calls()).toBe(4);
    expect(existsSync(join(r.root, 'boot.lock'))).toBe(false);
  });

  it('two at once, the first\'s revert writing the old script back: the second, a stale copy, runs the old script, not the reverted configuration (a review)', async () => {
    // The revert as a file-write step does it: beside the script, then renamed over it.
    const r = router(shell, `d=$(cd "$(dirname "$0")/../.." && pwd); sleep 1; printf '#!/bin/sh\\necho old-configured >> %s/calls\\n' "$d" > "$d/boot.new"; chmod 755 "$d/boot.new"; mv -f "$d/boot.new" "$d/boot.sh"; echo reverted > "$(dirname "$0")/state"`);
    const [one, two] = await r.bootTwice();
    expect([one!.code, two!.code], one!.stderr + two!.stderr).toEqual([0, 0]);
    expect(r.reverts()).toBe(1);
    const calls = readFileSync(join(r.root, 'calls'), 'utf8').trim().split('\n');
    // Each copy ran the old script once; neither applied the reverted run's modprobe and address.
    expect(calls).toEqual(['old-configured', 'old-configured']);
  });

  it('a script edited by hand, its id line gone: runs once more from disk, then as it is, never exec\'ing itself for ever (a second review)', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`, 'confirmed');
    writeFileSync(r.path, readFileSync(r.path, 'utf8').replace(/^# teqlctl boot script [0-9a-f]{16}\n/m, ''), { mode: 0o755 });
    const res = r.boot();
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/has no id line of its own \(edited by hand\?\): run as it is/);
    // modprobe and the address, once.
    expect(r.calls()).toBe(2);
  });

  it('a boot lock without a holder (its script killed between mkdir and its record) is taken over after 3 s; two waiters on a stale lock take it in turn', async () => {
    const r = router(shell, `echo reverting > "$(dirname "$0")/state"; sleep 1; echo reverted > "$(dirname "$0")/state"`);
    mkdirSync(join(r.root, 'boot.lock'));
    const [one, two] = await r.bootTwice();
    expect([one!.code, two!.code], one!.stderr + two!.stderr).toEqual([0, 0]);
    expect(r.reverts()).toBe(1);
    expect(one!.stderr + two!.stderr).not.toMatch(/left as it is/);
    expect(existsSync(join(r.root, 'boot.lock'))).toBe(false);
  });

  it('a boot lock left by a boot script that died is taken over at once', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    mkdirSync(join(r.root, 'boot.lock'));
    writeFileSync(join(r.root, 'boot.lock', 'holder'), '999999999 this-boot\n');
    const res = r.boot();
    expect(res.code, res.stderr).toBe(0);
    expect(r.reverts()).toBe(1);
  });

  it('a boot lock whose holder\'s pid another process has now (its start time differs) is taken over at once (it waited 300 s, then failed)', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    mkdirSync(join(r.root, 'boot.lock'));
    // This test's own process: alive, of this boot, but not started at tick 1.
    writeFileSync(join(r.root, 'boot.lock', 'holder'), `${process.pid} this-boot\n1\n`);
    const res = r.boot();
    expect(res.code, res.stderr).toBe(0);
    expect(r.reverts()).toBe(1);
    expect(existsSync(join(r.root, 'boot.lock'))).toBe(false);
  });

  it('the lock names its holder as an older script reads it (pid and boot id on the first line), its start time on the second', () => {
    const r = router(shell, `cat "$(dirname "$0")/../../boot.lock/holder" > "$(dirname "$0")/../../holder-seen"; echo reverted > "$(dirname "$0")/state"`);
    const res = r.boot();
    expect(res.code, res.stderr).toBe(0);
    expect(readFileSync(join(r.root, 'holder-seen'), 'utf8')).toMatch(/^\d+ this-boot\n\d+\n$/);
  });

  it('a boot lock whose holder is the process it names (pid and start time) is waited for, then taken once it is gone', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    mkdirSync(join(r.root, 'boot.lock'));
    // Orphaned at once, so that init reaps it when it ends (this test's own child would stay a zombie, its /proc entry with it).
    const pid = spawnSync('sh', ['-c', 'sleep 2 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).stdout.trim();
    const start = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19]!;
    writeFileSync(join(r.root, 'boot.lock', 'holder'), `${pid} this-boot\n${start}\n`);
    const began = Date.now();
    const res = r.boot();
    expect(res.code, res.stderr).toBe(0);
    expect(Date.now() - began).toBeGreaterThanOrEqual(1500);
    expect(r.reverts()).toBe(1);
  });

  it('a pending run its revert settles: reverted once, then the (restored) script runs to its end', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(1);
    expect(r.state()).toBe('reverted');
    // modprobe and the address: the configuration of the script, run once after the revert.
    expect(r.calls()).toBe(2);
  });

  it('a pending run its revert cannot settle (decided elsewhere, or a read-only disk): said, not run again and again; the boot goes on', () => {
    const r = router(shell, 'exit 0');
    const res = r.boot();
    expect(res.code, 'the boot script ends (124 is the 10 s timeout)').toBe(1);
    expect(r.reverts()).toBe(1);
    expect(r.state()).toBe('pending');
    expect(res.stderr).toMatch(/run .*r1 is still pending after its revert .*see teqlctl status/);
    expect(r.calls()).toBe(2);
  });

  it('a revert that leaves another pending run (its state rewritten to pending): the script starts over once only', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"; mkdir -p "$(dirname "$0")/../r2"; [ -f "$(dirname "$0")/../r2/state" ] || { echo pending > "$(dirname "$0")/../r2/state"; cp "$0" "$(dirname "$0")/../r2/revert.sh"; }`);
    const res = r.boot();
    expect(res.code).not.toBe(124);
    expect(r.reverts()).toBe(2);
  });

  it.each([['reverting', 'reverted'], ['rolling-back', 'rolled-back']])('a run whose undo a power cut interrupted (%s): its revert is resumed, and the script starts over once', (from, to) => {
    const r = router(shell, `[ "$1" = resume ] && echo ${to} > "$(dirname "$0")/state"`, from);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.revertArgs()).toEqual(['resume']);
    expect(r.state()).toBe(to);
    expect(r.calls()).toBe(2);
  });

  it('a resumed undo that cannot finish (a read-only disk): said with the state it stays in, and the unit fails', () => {
    const r = router(shell, 'exit 0', 'rolling-back');
    const res = r.boot();
    expect(res.code).toBe(1);
    expect(r.revertArgs()).toEqual(['resume']);
    expect(res.stderr).toMatch(/run .*r1 is still rolling-back after its revert/);
  });

  it('a run whose state a power cut left empty (truncated by a decider, not yet written) is taken as pending: reverted with `boot`', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`, '');
    expect(r.boot().code).toBe(0);
    expect(r.revertArgs()).toEqual(['boot']);
    expect(r.state()).toBe('reverted');
  });

  it('a pending run is reverted with `boot` (its applier pid is the previous boot\'s: nothing to stop)', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    r.boot();
    expect(r.revertArgs()).toEqual(['boot']);
  });

  it('an interrupted undo is not resumed when a later run exists (it would undo that run\'s configuration): said, the boot goes on', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`, 'reverting');
    r.otherRun('r2', 'confirmed');
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(r.state()).toBe('reverting');
    expect(res.stderr).toContain('teqlctl boot: run r1 is reverting, and a later run exists: its undo is not resumed');
    // An earlier run does not stop it.
    const s = router(shell, `[ "$1" = resume ] && echo reverted > "$(dirname "$0")/state"`, 'reverting');
    s.otherRun('r0', 'confirmed');
    expect(s.boot().code).toBe(0);
    expect(s.state()).toBe('reverted');
  });

  it('an undo whose run holds the lock is running now (the unit restarted, an ifup by hand): not resumed beside it', () => {
    const r = router(shell, 'exit 0', 'rolling-back');
    r.lockedBy('r1');
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(res.stderr).toContain('teqlctl boot: run r1 is rolling-back and holds the lock');
  });

  it('a lock of this boot holds; one taken in an earlier boot (a /run kept across reboots) does not: its undo is resumed', () => {
    const live = router(shell, 'exit 0', 'rolling-back');
    live.lockedBy('r1', 'this-boot');
    expect(live.boot().stderr).toContain('teqlctl boot: run r1 is rolling-back and holds the lock');
    expect(live.reverts()).toBe(0);
    expect(live.calls(), 'nothing applied beside the undo').toBe(0);
    const stale = router(shell, `[ "$1" = resume ] && echo rolled-back > "$(dirname "$0")/state"`, 'rolling-back');
    stale.lockedBy('r1', 'an-earlier-boot');
    const res = stale.boot();
    expect(res.code).toBe(0);
    expect(res.stderr).toContain("teqlctl boot: run r1's lock is from an earlier boot (/run kept across the reboot): nothing holds it, its undo is resumed");
    expect(stale.revertArgs()).toEqual(['resume']);
    expect(stale.state()).toBe('rolled-back');
  });

  it('a revert.sh that cannot resume (an older teqlctl\'s, a rollback\'s redo) is not run for it: said, the unit does not fail', () => {
    const r = router(shell, 'exit 0', 'reverting', false);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(res.stderr).toContain('teqlctl boot: run r1 is reverting, and its revert.sh cannot finish it');
  });

  it('a pending run armed in this boot (the unit restarted, an ifup ran the hook, mid-run) is left to its own dead-man: not reverted, the boot goes on', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    r.armedIn('this-boot');
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(r.state()).toBe('pending');
    expect(r.decidedBy()).toEqual([]);
    expect(res.stderr).toContain('teqlctl boot: run r1 was armed in this boot: its own dead-man decides it, not the boot script');
    // Nor is this script's configuration applied over the run's (an older script put back what a
    // teardown removed; a newer one re-applied a run its dead-man had undone: a review).
    expect(res.stderr).toContain('teqlctl boot: run r1 of this boot is not decided yet or holds the lock: the configuration is left to it, not applied now');
    expect(r.calls()).toBe(0);
  });

  it('a run holding the lock in this boot (before its arm, or persisting after its confirmation): nothing applied over it; a lock whose shell is gone, or of an earlier boot, holds nothing', () => {
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const live = router(shell, 'exit 0', 'confirmed');
      writeFileSync(join(live.root, 'lock-owner'), `run=r2\nowner=t@t\npid=${sleeper.pid}\nboot=this-boot\n`);
      const res = live.boot();
      expect(res.code).toBe(0);
      expect(res.stderr).toContain('teqlctl boot: run r2 of this boot is not decided yet or holds the lock');
      expect(live.calls()).toBe(0);
      const earlier = router(shell, 'exit 0', 'confirmed');
      writeFileSync(join(earlier.root, 'lock-owner'), `run=r2\nowner=t@t\npid=${sleeper.pid}\nboot=an-earlier-boot\n`);
      expect(earlier.boot().code).toBe(0);
      expect(earlier.calls()).toBe(2);
    } finally {
      sleeper.kill();
    }
    // Its pid another process now (the start time differs): holds nothing either.
    const sleeper2 = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const reused = router(shell, 'exit 0', 'confirmed');
      writeFileSync(join(reused.root, 'lock-owner'), `run=r2\nowner=t@t\npid=${sleeper2.pid}\nboot=this-boot\nstart=1\n`);
      expect(reused.boot().code).toBe(0);
      expect(reused.calls()).toBe(2);
    } finally {
      sleeper2.kill();
    }
    // Only a lock of this very boot counts (a second review): one without a boot line (an older
    // teqlctl's, on a /run kept across reboots, its pid reused by an early process) or taken by a
    // session teqlctl could not find (pid 1) held up every boot until `teqlctl unlock`.
    const sleeper3 = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      for (const owner of [`run=r2\nowner=t@t\npid=${sleeper3.pid}\n`, 'run=r2\nowner=t@t\npid=1\nboot=this-boot\n']) {
        const legacy = router(shell, 'exit 0', 'confirmed');
        writeFileSync(join(legacy.root, 'lock-owner'), owner);
        expect(legacy.boot().code, owner).toBe(0);
        expect(legacy.calls(), owner).toBe(2);
      }
    } finally {
      sleeper3.kill();
    }
    const gone = router(shell, 'exit 0', 'confirmed');
    writeFileSync(join(gone.root, 'lock-owner'), 'run=r2\nowner=t@t\npid=999999999\nboot=this-boot\n');
    expect(gone.boot().code).toBe(0);
    expect(gone.calls()).toBe(2);
  });

  it('a pending run of an earlier boot, the latest: reverted as its timer would have', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    r.armedIn('an-earlier-boot');
    r.otherRun('r0', 'confirmed');
    expect(r.boot().code).toBe(0);
    expect(r.revertArgs()).toEqual(['boot']);
    expect(r.state()).toBe('reverted');
  });

  it("an older teqlctl's pending run (no boot line) with a run armed after it: abandoned, not reverted over the later configuration (until 2026-12-07 its undo erased the baseline's entries; a review)", () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    r.otherRun('r2', 'confirmed', undefined, 6);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(r.state()).toBe('abandoned');
    expect(res.stderr).toContain('teqlctl boot: run r1 was left pending by an earlier restart, and a later run exists: not reverted');
  });

  it('a pending run of an earlier boot with a run armed after it: not reverted over the later configuration, decided as abandoned for good', () => {
    const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    r.armedIn('an-earlier-boot');
    r.otherRun('r2', 'confirmed');
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(r.state()).toBe('abandoned');
    expect(r.decidedBy()).toEqual(['revert']);
    expect(res.stderr).toContain('teqlctl boot: run r1 was left pending by an earlier restart, and a later run exists: not reverted');
    // The next boot says nothing more of it.
    expect(r.boot().stderr).not.toContain('r1');
  });

  it('the run a reboot cut is reverted whatever follows it that is not a run armed after it: a rollback\'s folder of a run that never armed (no meta), a later name whose meta is older (a controller\'s clock behind); an older teqlctl\'s run without a boot line with nothing after it', () => {
    for (const setup of [
      (r: ReturnType<typeof router>) => { r.armedIn('an-earlier-boot'); r.otherRun('r2', 'rolled-back', null); },
      (r: ReturnType<typeof router>) => { r.armedIn('an-earlier-boot'); r.otherRun('r2', 'confirmed', new Date(Date.now() - 3_600_000)); },
      (r: ReturnType<typeof router>) => { r.otherRun('r0', 'confirmed'); },
    ]) {
      const r = router(shell, `echo reverted > "$(dirname "$0")/state"`);
      setup(r);
      expect(r.boot().code).toBe(0);
      expect(r.revertArgs()).toEqual(['boot']);
      expect(r.state()).toBe('reverted');
    }
    // The same for an undo a power cut interrupted: a rollback's folder after it does not stop its resume.
    const u = router(shell, `[ "$1" = resume ] && echo reverted > "$(dirname "$0")/state"`, 'reverting');
    u.armedIn('an-earlier-boot');
    u.otherRun('r2', 'rolled-back', null);
    expect(u.boot().code).toBe(0);
    expect(u.revertArgs()).toEqual(['resume']);
  });

  it('where the runs record the order the router armed them (seq=), that decides which came later, whatever the clocks said', () => {
    const inPast = new Date(Date.now() - 3_600_000);
    // Armed after r1, though the router's clock was set back at boot (no battery): its meta looks
    // older. Before, r1 was reverted over it.
    const behind = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    behind.armedIn('an-earlier-boot', 5);
    behind.otherRun('r2', 'confirmed', inPast, 6);
    expect(behind.boot().code).toBe(0);
    expect(behind.reverts()).toBe(0);
    expect(behind.state()).toBe('abandoned');
    // Armed after r1 by a controller whose clock is behind: its name sorts first.
    const named = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    named.armedIn('an-earlier-boot', 5);
    named.otherRun('r0', 'confirmed', undefined, 6);
    expect(named.boot().code).toBe(0);
    expect(named.state()).toBe('abandoned');
    // Named after r1, its meta newer (touched since), but armed before it: r1 is the one a reboot cut.
    const before = router(shell, `echo reverted > "$(dirname "$0")/state"`);
    before.armedIn('an-earlier-boot', 5);
    before.otherRun('r2', 'confirmed', undefined, 4);
    expect(before.boot().code).toBe(0);
    expect(before.revertArgs()).toEqual(['boot']);
    expect(before.state()).toBe('reverted');
    // An undo a power cut interrupted, with a run armed after it whose name sorts first: not
    // resumed (by name alone it was the last run, and its undo would have undone r0's configuration).
    const undo = router(shell, `[ "$1" = resume ] && echo reverted > "$(dirname "$0")/state"`, 'reverting');
    undo.armedIn('an-earlier-boot', 5);
    undo.otherRun('r0', 'confirmed', undefined, 6);
    const res = undo.boot();
    expect(res.code).toBe(0);
    expect(undo.reverts()).toBe(0);
    expect(res.stderr).toContain('teqlctl boot: run r1 is reverting, and a later run exists: its undo is not resumed');
    // A rollback's undo of a run it decided before the run armed (its folder has no meta: nothing of
    // it began, its undo is empty), cut by a power cut: resumed and so ended, though runs came after
    // (left rolling-back, it would stop a teardown's boot script from retiring for good; a review).
    const bare = router(shell, `[ "$1" = resume ] && echo rolled-back > "$(dirname "$0")/state"`, 'rolling-back');
    rmSync(join(bare.path, '..', 'runs', 'r1', 'meta'));
    bare.otherRun('r2', 'confirmed', undefined, 3);
    expect(bare.boot().code).toBe(0);
    expect(bare.revertArgs()).toEqual(['resume']);
    expect(bare.state()).toBe('rolled-back');
  });

  it('a pending run that cannot be recorded as abandoned (decided already) is said as such, and the unit fails', () => {
    const r = router(shell, 'exit 0');
    r.armedIn('an-earlier-boot');
    r.otherRun('r2', 'confirmed');
    mkdirSync(join(r.path, '..', 'runs', 'r1', 'decided'));
    const res = r.boot();
    expect(res.code).toBe(1);
    expect(r.state()).toBe('pending');
    expect(r.reverts()).toBe(0);
    expect(res.stderr).toContain('it could not be recorded as abandoned (decided by another, or a read-only disk)');
  });

  it.each(['confirmed', 'reverted', 'rolled-back', 'rollback-confirmed'])('a %s run is left alone: no revert runs', (st) => {
    const r = router(shell, 'exit 0', st);
    const res = r.boot();
    expect(res.code).toBe(0);
    expect(r.reverts()).toBe(0);
    expect(r.state()).toBe(st);
    expect(r.calls()).toBe(2);
  });
});

describe('bootScript with sch_teql built into the kernel', () => {
  it('loads nothing (a BusyBox modprobe would not find it); a module is loaded as before', () => {
    const model = { host: 'a', steps: [{ kind: 'teql-up' as const, dev: 'teql0' }], sysctls: [] };
    expect(bootScript({ ...model, teql: { maxEqualizers: 1, builtin: true } }, new Set())).not.toContain('modprobe');
    expect(bootScript({ ...model, teql: { maxEqualizers: 2 } }, new Set())).toContain('run modprobe sch_teql max_equalizers=2');
  });
});

