// The run's end decided once, for real: the confirmation, the dead-man's revert and teqlctl's own
// rollback run under dash and BusyBox's sh against a router's run files in a temporary folder,
// alone and racing each other.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { revertScript } from '../../src/deadman/arm-script.js';
import { closeRunScript, confirmScript } from '../../src/deadman/confirm-script.js';
import { rollbackScript } from '../../src/deadman/rollback-script.js';
import { decide, RESERVE, RESERVE_BLOCKS, whoDecided, writeReserve } from '../../src/router/decision.js';
import { CONFIRM_MARKER, REVERTED_MARKER } from '../../src/router/markers.js';
import { LOCK_DIR, RUNS_DIR } from '../../src/router/paths.js';

const exec = promisify(execFile);
const SHELLS: Array<[string, string[]]> = [['dash', ['/bin/dash', '-c']], ['busybox sh', ['/bin/busybox', 'sh', '-c']]];
const RUN = 'r1';

/** A pending run with its lock, as arming leaves them; returns the folder and a script runner. */
function router(shell: string[]) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-decide-'));
  const dir = join(root, 'runs', RUN);
  mkdirSync(dir, { recursive: true });
  mkdirSync(join(root, 'lock'));
  writeFileSync(join(dir, 'state'), 'pending\n');
  writeFileSync(join(root, 'lock', 'owner'), `run=${RUN}\nowner=t@t\n`);
  const local = (script: string) => script.replaceAll(RUNS_DIR, join(root, 'runs')).replaceAll(LOCK_DIR, join(root, 'lock'));
  const run = async (script: string) => {
    try {
      const r = await exec(shell[0]!, [...shell.slice(1), local(script)], { encoding: 'utf8' });
      return { code: 0, stdout: r.stdout };
    } catch (err) {
      const e = err as { code: number; stdout: string };
      return { code: e.code, stdout: e.stdout };
    }
  };
  const state = () => readFileSync(join(dir, 'state'), 'utf8').trim();
  return { dir, root, run, state };
}

describe.each(SHELLS)('deciding a run under %s', (_name, shell) => {
  it('a confirmation of a pending run wins it; a revert that comes later does nothing', async () => {
    const r = router(shell);
    const confirmed = await r.run(confirmScript(RUN, 'x'));
    expect(confirmed.stdout).toContain(`${CONFIRM_MARKER} ok`);
    expect(await r.run(revertScript(RUN))).toEqual({ code: 0, stdout: '' });
    expect(r.state()).toBe('confirmed');
    expect(existsSync(join(r.dir, 'reverted_at'))).toBe(false);
    expect(readFileSync(join(r.dir, 'decided', 'by'), 'utf8').trim()).toBe('confirm');
  });

  it('a confirmation after the revert is refused and says who decided', async () => {
    const r = router(shell);
    await r.run(revertScript(RUN));
    const late = await r.run(confirmScript(RUN, 'x'));
    expect(late.code).toBe(1);
    expect(late.stdout).toContain(`${CONFIRM_MARKER} too-late reverted decided-by=revert`);
    expect(r.state()).toBe('reverted');
    expect(existsSync(join(r.root, 'lock'))).toBe(false);
  });

  it('racing each other 40 times: exactly one wins every time, and the loser knows', { timeout: 30_000 }, async () => {
    let inconsistent = 0;
    for (let i = 0; i < 40; i++) {
      const r = router(shell);
      const [confirm] = await Promise.all([r.run(confirmScript(RUN, 'x')), r.run(revertScript(RUN))]);
      const won = confirm.stdout.includes(`${CONFIRM_MARKER} ok`);
      const reverted = existsSync(join(r.dir, 'reverted_at'));
      const ok = won ? r.state() === 'confirmed' && !reverted : confirm.stdout.includes('too-late') && r.state() === 'reverted' && reverted;
      if (!ok) inconsistent++;
    }
    expect(inconsistent).toBe(0);
  });

  it("teqlctl's rollback after a partial confirmation rolls the confirmed host back and records it so", async () => {
    const r = router(shell);
    await r.run(confirmScript(RUN, 'x'));
    const claimed = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(claimed.stdout).not.toContain(REVERTED_MARKER);
    expect(r.state()).toBe('rolled-back');
    await r.run(closeRunScript(RUN, 'rolled-back'));
    expect(r.state()).toBe('rolled-back');
  });

  it("teqlctl's rollback whose rolling-back could not be written (an empty state, a full disk) is closed as rolled back all the same", async () => {
    const r = router(shell);
    await r.run(`${decide(r.dir.replace(join(r.root, 'runs'), RUNS_DIR), 'rollback')} && : > ${RUNS_DIR}/${RUN}/state`);
    expect(r.state()).toBe('');
    await r.run(closeRunScript(RUN, 'rolled-back'));
    expect(r.state()).toBe('rolled-back');
  });

  it("teqlctl's rollback after the dead-man reverted skips the undo and only reads the facts", async () => {
    const r = router(shell);
    await r.run(revertScript(RUN));
    const claimed = await r.run(rollbackScript(RUN, { then: 'echo FACTS' }));
    expect(claimed.stdout).toBe(`${REVERTED_MARKER}\nFACTS\n`);
  });

  it('arming writes the reserve (32 KiB) with builtins; whoever decides removes it once the run is recorded', async () => {
    for (const [script, state] of [[confirmScript(RUN, 'x'), 'confirmed'], [revertScript(RUN), 'reverted'], [rollbackScript(RUN, { then: 'true' }), 'rolled-back']] as const) {
      const r = router(shell);
      expect((await r.run(`${writeReserve(r.dir.replace(join(r.root, 'runs'), RUNS_DIR))} && echo written`)).stdout).toBe('written\n');
      expect(statSync(join(r.dir, RESERVE)).size).toBe(RESERVE_BLOCKS * 1024);
      await r.run(script);
      expect(r.state()).toBe(state);
      // The confirmation removes it in the background.
      for (let i = 0; i < 50 && existsSync(join(r.dir, RESERVE)); i++) await new Promise((done) => setTimeout(done, 20));
      expect(existsSync(join(r.dir, RESERVE)), state).toBe(false);
    }
  });

  it('a decision still made where mkdir failed for want of room: the reserve is freed and mkdir tried again', async () => {
    const r = router(shell);
    writeFileSync(join(r.dir, RESERVE), 'x');
    // A `mkdir` that fails while the reserve is there, as on a full disk, ahead of the real one on PATH.
    const bin = join(r.root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'mkdir'), `#!/bin/sh\n[ -e ${join(r.dir, RESERVE)} ] && { echo 'No space left on device' >&2; exit 1; }\nexec /bin/mkdir "$@"\n`, { mode: 0o755 });
    const reverted = await r.run(`PATH=${bin}:$PATH; ${revertScript(RUN)}`);
    expect(reverted.code).toBe(0);
    expect(r.state()).toBe('reverted');
    expect(readFileSync(join(r.dir, 'decided', 'by'), 'utf8').trim()).toBe('revert');
    // A second decider finds it decided, reserve or not.
    expect((await r.run(confirmScript(RUN, 'x'))).stdout).toContain('too-late reverted decided-by=revert');
  });

  it('a confirmation whose recorded state is larger than 4 KiB (written by cat) still confirms and records it whole', async () => {
    const r = router(shell);
    const after = Array.from({ length: 200 }, (_, i) => `route 10.${i >> 8}.${i & 255}.0/24 via 10.0.0.5 dev teql0 metric 0`).join('\n');
    expect(after.length).toBeGreaterThan(4096);
    const confirmed = await r.run(confirmScript(RUN, after));
    expect(confirmed.stdout).toContain(`${CONFIRM_MARKER} ok`);
    expect(readFileSync(join(r.dir, 'after-state'), 'utf8')).toBe(`${after}\n`);
    expect(r.state()).toBe('confirmed');
  });

  it("who decided is known from the decider's empty file when `by` could not be written, and from `by` for older runs", async () => {
    const r = router(shell);
    const who = async () => (await r.run(`d=${RUNS_DIR}/${RUN}; ${whoDecided('$d')}; echo "[$tq_by]"`)).stdout.trim();
    expect(await who()).toBe('[]');
    mkdirSync(join(r.dir, 'decided'));
    writeFileSync(join(r.dir, 'decided', 'by'), 'confirm\n');
    expect(await who()).toBe('[confirm]');
    writeFileSync(join(r.dir, 'decided', 'by'), '');
    writeFileSync(join(r.dir, 'decided', 'revert'), '');
    expect(await who()).toBe('[revert]');
  });

  it('a decider whose own empty file cannot be written goes on with the decision it made (a failed `: >` would end its shell)', async () => {
    const r = router(shell);
    // A `mkdir` that leaves a directory where the decider's empty file goes: writing it fails (EISDIR).
    const bin = join(r.root, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'mkdir'), '#!/bin/sh\n/bin/mkdir "$@" || exit 1\ncase "$1" in */decided) /bin/mkdir "$1/revert";; esac\n', { mode: 0o755 });
    const reverted = await r.run(`PATH=${bin}:$PATH; ${revertScript(RUN)}`);
    expect(reverted.code).toBe(0);
    expect(r.state()).toBe('reverted');
    expect(readFileSync(join(r.dir, 'decided', 'by'), 'utf8').trim()).toBe('revert');
  });
});
