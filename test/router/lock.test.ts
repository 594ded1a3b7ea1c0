import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockHeldBy, lockUnusable, parseLock, READ_LOCK, releaseLockLine, takeLockScript } from '../../src/router/lock.js';
import { BOOT_ID_FILE, LOCK_DIR, LOCK_OWNER } from '../../src/router/paths.js';

/** READ_LOCK run by sh against an owner file of our own instead of the router's. */
function readLockOf(owner: string, bootId = 'this-boot'): string {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-lock-'));
  writeFileSync(join(dir, 'owner'), owner);
  writeFileSync(join(dir, 'boot_id'), `${bootId}\n`);
  return execFileSync('sh', ['-c', READ_LOCK.replaceAll(LOCK_OWNER, join(dir, 'owner')).replaceAll(BOOT_ID_FILE, join(dir, 'boot_id'))], { encoding: 'utf8' });
}

describe('the lock, read and parsed', () => {
  it('is held by a live run when the pid that took it still exists', () => {
    const out = readLockOf(`run=r1\nowner=op@host\nstarted=2026-01-01T00:00:00Z\npid=${process.pid}\n`);
    expect(parseLock(out)).toEqual({ run: 'r1', owner: 'op@host', started: '2026-01-01T00:00:00Z', alive: true });
  });

  it('is a dead run\'s when taken in an earlier boot (a /run kept across reboots), even if its pid exists now', () => {
    const owner = `run=r1\nowner=op@host\nstarted=x\npid=${process.pid}\nboot=an-earlier-boot\n`;
    expect(parseLock(readLockOf(owner))?.alive).toBe(false);
    expect(parseLock(readLockOf(owner, 'an-earlier-boot'))?.alive).toBe(true);
  });

  it('is a dead run\'s when its pid is another process now (its start time differs: a review found a reused pid kept it alive); an older lock without a start time is judged by its pid', () => {
    const start = readFileSync(`/proc/${process.pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[19];
    expect(parseLock(readLockOf(`run=r1\npid=${process.pid}\nstart=${start}\n`))?.alive).toBe(true);
    expect(parseLock(readLockOf(`run=r1\npid=${process.pid}\nstart=1\n`))?.alive).toBe(false);
    expect(parseLock(readLockOf(`run=r1\npid=${process.pid}\n`))?.alive).toBe(true);
  });

  it('is a dead run\'s when that pid is gone', () => {
    expect(parseLock(readLockOf('run=r1\nowner=op@host\nstarted=x\npid=999999999\n'))?.alive).toBe(false);
  });

  it('prints the owner file line by line, the last even without its newline', () => {
    expect(readLockOf('run=r1\nowner=op@host\nstarted=s\npid=999999999')).toBe('run=r1\nowner=op@host\nstarted=s\npid=999999999\nalive=0\n');
    expect(readLockOf(`run=r1\npid=${process.pid}`)).toBe(`run=r1\npid=${process.pid}\nalive=1\n`);
  });

  it('is no lock when nothing was printed (no owner file)', () => {
    expect(execFileSync('sh', ['-c', READ_LOCK.replaceAll(LOCK_OWNER, '/nonexistent/owner')], { encoding: 'utf8' })).toBe('');
    expect(parseLock('')).toBeUndefined();
  });

  it('fills what the owner file lacks with ?', () => {
    expect(parseLock('run=r2\nalive=0')).toEqual({ run: 'r2', owner: '?', started: '?', alive: false });
  });
});

describe('taking and freeing the lock', () => {
  it('tells a lock held by another run from the apply output, naming the holder', () => {
    expect(lockHeldBy('@@teqlctl-lock held\nrun=r0\nowner=x@y\n')).toBe('run=r0 owner=x@y');
    expect(lockHeldBy('@@teqlctl-step 0 0\n')).toBeUndefined();
  });

  it('keeps only plain characters of the owner in the script', () => {
    const script = takeLockScript('r1', "op'; rm -rf /; echo '@host");
    expect(script).toContain("'op___rm_-rf____echo__@host'");
    expect(script).not.toContain('rm -rf /;');
  });

  it('records the boot it was taken in (a lock on a /run kept across reboots is then told from a live one)', () => {
    const take = (bootId?: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'teqlctl-lock-'));
      if (bootId !== undefined) writeFileSync(join(dir, 'boot_id'), `${bootId}\n`);
      const script = takeLockScript('r1', 'op@host', 'now').replaceAll(LOCK_OWNER, join(dir, 'lock', 'owner')).replaceAll(LOCK_DIR, join(dir, 'lock')).replaceAll(BOOT_ID_FILE, join(dir, 'boot_id'));
      execFileSync('sh', ['-c', script], { encoding: 'utf8' });
      return readFileSync(join(dir, 'lock', 'owner'), 'utf8');
    };
    expect(take('6b1e0c2a-0000-4000-8000-000000000001')).toMatch(/^run=r1\nowner=op@host\nstarted=now\npid=\d+\nboot=6b1e0c2a-0000-4000-8000-000000000001\nstart=\d+\n$/);
    // No boot id to read: the lock is taken all the same, with an empty boot line (counted as live).
    expect(take()).toMatch(/\nboot=\nstart=\d+\n$/);
  });

  it("records the SSH server's process of the session, Dropbear's as OpenSSH's: not an ancestor up to pid 1, that would never die", () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-lock-'));
    const script = takeLockScript('r1', 'op@host', 'now').replaceAll(LOCK_OWNER, join(dir, 'lock', 'owner')).replaceAll(LOCK_DIR, join(dir, 'lock')).replaceAll(BOOT_ID_FILE, join(dir, 'boot_id'));
    // A shell named as Dropbear's session process is (its comm), running the script in a child sh.
    const dropbear = join(dir, 'dropbear');
    copyFileSync('/bin/dash', dropbear);
    execFileSync('chmod', ['755', dropbear]);
    const out = execFileSync(dropbear, ['-c', `sh -c '${script.replaceAll("'", "'\\''")}'; echo "session=$$"`], { encoding: 'utf8' });
    const session = /session=(\d+)/.exec(out)![1];
    expect(readFileSync(join(dir, 'lock', 'owner'), 'utf8')).toContain(`\npid=${session}\n`);
  });

  it('no /run to take it in (an OpenWrt before 24.10): refused as unusable with mkdir\'s words, not as held by a run with no name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-lock-'));
    const script = takeLockScript('r1', 'op@host', 'now').replaceAll(LOCK_OWNER, join(dir, 'run', 'lock', 'owner')).replaceAll(LOCK_DIR, join(dir, 'run', 'lock')).replaceAll(BOOT_ID_FILE, join(dir, 'boot_id'));
    for (const shell of ['sh', 'dash']) {
      const r = spawnSync(shell, ['-c', script], { encoding: 'utf8' });
      expect(r.status).toBe(3);
      expect(lockHeldBy(r.stdout)).toBeUndefined();
      expect(lockUnusable(r.stdout)).toMatch(/^cannot take teqlctl's lock \/run\/teqlctl\.lock: mkdir: .*No such file or directory; nothing was changed \(.*ln -s \/tmp\/run \/run/);
    }
  });

  it('a session that is not root (the lock\'s folder is root\'s): refused as unusable, saying how to become root, not to free space in /run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-lock-'));
    chmodSync(dir, 0o755);
    const script = takeLockScript('r1', 'op@host', 'now').replaceAll(LOCK_OWNER, join(dir, 'lock', 'owner')).replaceAll(LOCK_DIR, join(dir, 'lock')).replaceAll(BOOT_ID_FILE, join(dir, 'boot_id'));
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'sh', '-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(lockUnusable(r.stdout)).toMatch(/Permission denied; nothing was changed \(the session on the router is not root: log in as root \(ansible_user: root\), or become root \(ansible_become: true\)\)$/);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('an owner that cannot be written (a full /run): the lock is given back, and the run refused as unusable', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-lock-'));
    // The owner's path is a directory: the write fails as it would on a full tmpfs.
    const owner = join(dir, 'owner-dir');
    mkdirSync(owner);
    const script = takeLockScript('r1', 'op@host', 'now').replaceAll(LOCK_OWNER, owner).replaceAll(LOCK_DIR, join(dir, 'lock')).replaceAll(BOOT_ID_FILE, join(dir, 'boot_id'));
    const r = spawnSync('sh', ['-c', script], { encoding: 'utf8' });
    expect(r.status).toBe(3);
    expect(lockUnusable(r.stdout)).toContain(`cannot write ${owner} (is /run full?); nothing was changed (free space in /run (\`df /run\`), or make it writable)`);
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  it('a lock whose owner file is empty (left by a run that could not record itself) is named as such, with the way out', () => {
    expect(lockHeldBy('@@teqlctl-lock held\n')).toBe(`a lock that names no run yet (${LOCK_OWNER} is empty or missing: another run taking it this very moment, or one that could not write it); run again, and if it stays, \`teqlctl unlock\` removes it`);
    expect(lockHeldBy('@@teqlctl-lock held\nrun=r0\nowner=x\n')).toBe('run=r0 owner=x');
  });

  it('refuses a run id that could reach the shell unquoted', () => {
    expect(() => takeLockScript('r1; reboot', 'op')).toThrow(/unsafe run id/);
    expect(() => releaseLockLine('$(reboot)')).toThrow(/unsafe run id/);
  });

  it('frees the lock only for the run that holds it', () => {
    expect(releaseLockLine('r1')).toBe("grep -qx 'run=r1' /run/teqlctl.lock/owner 2>/dev/null && rm -rf /run/teqlctl.lock");
  });
});
