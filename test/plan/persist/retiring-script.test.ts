// The boot script a teardown leaves until its run is confirmed, run for real under dash and
// BusyBox's sh in a temporary folder: at boot it reverts the teardown a restart left pending (and
// runs the boot script its revert wrote back), it retires with its starters once nothing is
// pending, and the confirmation's `retire` removes it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterConfirmation, retiringFiles, retiringScript } from '../../../src/plan/persist/retiring-script.js';
import { BOOT_DIR, BOOT_ID_FILE, BOOT_LOCK_DIR, BOOT_SCRIPT, BOOT_UNIT, BOOT_UNIT_WANTS, LOCK_OWNER, RUNS_DIR } from '../../../src/router/paths.js';
import { pristineFacts } from '../../helpers/facts.js';

const SHELLS: Array<[string, string]> = [['dash', '/bin/dash'], ['busybox sh', '/bin/busybox sh']];

function router(shell: string, state: string, armedBoot = 'an-earlier-boot', revertDelay = 0) {
  const root = mkdtempSync(join(tmpdir(), 'teqlctl-retiring-'));
  const etc = join(root, 'etc');
  const run = join(root, 'runs', 'r1');
  mkdirSync(join(etc, 'teqlctl'), { recursive: true });
  mkdirSync(run, { recursive: true });
  writeFileSync(join(root, 'boot-id'), 'this-boot\n');
  writeFileSync(join(run, 'state'), `${state}\n`);
  writeFileSync(join(run, 'meta'), `run=r1\nowner=t@t\nboot=${armedBoot}\n`);
  // The teardown's undo, as the harness sees it: the old boot script written back (beside it, then
  // renamed, as a file-write step does: the running shell keeps reading its own), the run reverted.
  const oldScript = `#!/bin/sh\necho configured >> ${root}/calls\n`;
  writeFileSync(join(run, 'revert.sh'), `echo "x $*" >> ${root}/reverts\nsleep ${revertDelay}\nprintf '%s' '${oldScript}' > ${etc}/teqlctl/new && chmod 755 ${etc}/teqlctl/new && mv -f ${etc}/teqlctl/new ${etc}/teqlctl/boot.sh\necho reverted > "$(dirname "$0")/state"\n`);
  const unit = join(etc, 'unit.service');
  const wants = join(etc, 'wants.service');
  writeFileSync(unit, '[Service]\n');
  writeFileSync(wants, '');
  const path = join(etc, 'teqlctl', 'boot.sh');
  const script = retiringScript('a', [BOOT_UNIT_WANTS, BOOT_UNIT])
    .replaceAll(BOOT_UNIT_WANTS, wants)
    .replaceAll(BOOT_UNIT, unit)
    .replaceAll(BOOT_SCRIPT, path)
    .replaceAll(`${BOOT_DIR} `, `${join(etc, 'teqlctl')} `)
    .replaceAll(RUNS_DIR, join(root, 'runs'))
    .replaceAll(LOCK_OWNER, join(root, 'lock-owner'))
    .replaceAll(BOOT_ID_FILE, join(root, 'boot-id'))
    .replaceAll(BOOT_LOCK_DIR, join(root, 'boot.lock'))
    // No systemd here: the reload is not tried (no /run/systemd/system), whatever this machine runs.
    .replaceAll('/run/systemd/system', join(root, 'no-systemd'));
  writeFileSync(path, script, { mode: 0o755 });
  const exec = (...args: string[]) => {
    const r = spawnSync('/usr/bin/timeout', ['10', ...shell.split(' '), path, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, stderr: r.stderr };
  };
  /** Two at once (the unit and an if-up.d hook), the second started while the first reverts. */
  const execTwice = async () => {
    const start = () => new Promise<number | null>((done) => spawn('/usr/bin/timeout', ['20', ...shell.split(' '), path], { stdio: 'ignore' }).on('close', done));
    const first = start();
    await new Promise((r) => setTimeout(r, 300));
    return Promise.all([first, start()]);
  };
  const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : '');
  return {
    exec,
    execTwice,
    left: () => [wants, unit, path, join(etc, 'teqlctl')].filter(existsSync).map((f) => f.slice(etc.length + 1)),
    calls: () => read(join(root, 'calls')).trim(),
    reverts: () => read(join(root, 'reverts')).trim(),
    state: () => read(join(run, 'state')).trim(),
    run,
  };
}

describe.each(SHELLS)('the retiring boot script, under %s', (_name, shell) => {
  it('a teardown a restart left pending: reverted at boot, then the boot script its revert wrote back runs; the starters stay', () => {
    const r = router(shell, 'pending');
    const res = r.exec();
    expect(res.code, res.stderr).toBe(0);
    expect(r.reverts()).toBe('x boot');
    expect(r.state()).toBe('reverted');
    expect(r.calls()).toBe('configured');
    expect(r.left()).toEqual(['wants.service', 'unit.service', 'teqlctl/boot.sh', 'teqlctl']);
  });

  it('two at once (the unit and a hook), the second waiting while the first reverts: the second does not retire the files the revert wrote back (a review)', async () => {
    const r = router(shell, 'pending', 'an-earlier-boot', 1);
    expect(await r.execTwice()).toEqual([0, 0]);
    expect(r.reverts()).toBe('x boot');
    expect(r.state()).toBe('reverted');
    expect(r.left()).toEqual(['wants.service', 'unit.service', 'teqlctl/boot.sh', 'teqlctl']);
    // The restored script ran, from the first copy and from the second (which found it on disk).
    expect(r.calls()).toBe('configured\nconfigured');
  });

  it('the confirmation retires it: the script, its starters and its folder are gone', () => {
    const r = router(shell, 'confirmed');
    const res = r.exec('retire');
    expect(res.code, res.stderr).toBe(0);
    expect(r.left()).toEqual([]);
    expect(r.reverts()).toBe('');
  });

  it('at boot with nothing pending (a confirmation cut before it retired it): it retires itself', () => {
    const r = router(shell, 'confirmed');
    const res = r.exec();
    expect(res.code, res.stderr).toBe(0);
    expect(r.left()).toEqual([]);
    expect(r.calls()).toBe('');
  });

  it('a run whose state a power cut left empty and whose revert cannot settle it (a read-only disk): said, and the script does not retire itself (a review)', () => {
    const r = router(shell, '');
    writeFileSync(join(r.run, 'revert.sh'), `echo "x $*" >> ${join(r.run, '..', '..', 'reverts')}\n`);
    const res = r.exec();
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('after its revert');
    expect(r.reverts()).toBe('x boot');
    expect(r.left()).toEqual(['wants.service', 'unit.service', 'teqlctl/boot.sh', 'teqlctl']);
  });

  it('run by a hook while its own run is pending in this boot: neither reverts nor retires (the run decides)', () => {
    const r = router(shell, 'pending', 'this-boot');
    const res = r.exec();
    expect(res.code, res.stderr).toBe(0);
    expect(r.reverts()).toBe('');
    expect(r.left()).toEqual(['wants.service', 'unit.service', 'teqlctl/boot.sh', 'teqlctl']);
  });
});

describe('what a confirmation leaves', () => {
  it('drops a retiring script and its starters from the recorded end state, nothing else', () => {
    const facts = pristineFacts();
    facts.boot = {
      ...facts.boot!,
      files: [
        { path: BOOT_SCRIPT, content: retiringScript('a', [BOOT_UNIT]), executable: true },
        { path: BOOT_UNIT, content: '[Service]\n', executable: false },
        { path: '/etc/sysctl.d/99-teqlctl.conf', content: 'x = 1\n', executable: false },
      ],
    };
    expect(retiringFiles(facts.boot.files)).toEqual([BOOT_SCRIPT, BOOT_UNIT]);
    expect(afterConfirmation(facts).boot!.files.map((f) => f.path)).toEqual(['/etc/sysctl.d/99-teqlctl.conf']);
    // An ordinary boot script is kept.
    facts.boot.files[0] = { path: BOOT_SCRIPT, content: '#!/bin/sh\n', executable: true };
    expect(afterConfirmation(facts)).toBe(facts);
  });
});
