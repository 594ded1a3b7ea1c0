// Logs and journals on the operator's machine: XDG folders, owner-only modes, a bounded count.
import { mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDir, privateDir, prune, writePrivateFile } from '../../src/play/local-files.js';
import { RunLog } from '../../src/play/run-log.js';

describe('local logs and journals', () => {
  it('honour XDG_CACHE_HOME (logs) and XDG_STATE_HOME (journals); relative values are ignored, as the spec says', () => {
    expect(localDir('logs', {}, '/home/me')).toBe('/home/me/.cache/teqlctl/logs');
    expect(localDir('runs', {}, '/home/me')).toBe('/home/me/.local/state/teqlctl/runs');
    expect(localDir('logs', { XDG_CACHE_HOME: '/x/cache' }, '/home/me')).toBe('/x/cache/teqlctl/logs');
    expect(localDir('runs', { XDG_STATE_HOME: '/x/state' }, '/home/me')).toBe('/x/state/teqlctl/runs');
    expect(localDir('runs', { XDG_STATE_HOME: 'rel' }, '/home/me')).toBe('/home/me/.local/state/teqlctl/runs');
  });

  it('are 0600 in folders 0700, even under a permissive umask and in a folder that existed', () => {
    const root = mkdtempSync(join(tmpdir(), 'teqlctl-local-'));
    const old = process.umask(0o022);
    try {
      const dir = join(root, 'a', 'teqlctl', 'runs');
      mkdirSync(dir, { recursive: true, mode: 0o755 });
      privateDir(dir);
      writePrivateFile(join(dir, 'r.json'), '{}');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'r.json')).mode & 0o777).toBe(0o600);
      // The logs' folder is made as the journals' is (play-output.ts); the log file itself 0600.
      privateDir(join(root, 'logs', 'new'));
      const log = new RunLog(join(root, 'logs', 'new', 'r.log'));
      log.note('x');
      expect(statSync(join(root, 'logs', 'new')).mode & 0o777).toBe(0o700);
      expect(statSync(join(root, 'logs', 'new', 'r.log')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('keep the newest files only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-prune-'));
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, `r${i}.json`), '');
      utimesSync(join(dir, `r${i}.json`), 1000 + i, 1000 + i);
    }
    expect(prune(dir, 3).map((p) => p.slice(dir.length + 1)).sort()).toEqual(['r0.json', 'r1.json']);
    expect(readdirSync(dir).sort()).toEqual(['r2.json', 'r3.json', 'r4.json']);
  });
});
