// The e2e helpers' shared SSH connections (test/e2e/ssh-mux.ts): pure parts, no lab.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { announced, muxDir, muxOptions, removeStaleMuxDirs, retryAlone, STARTED, unannounced } from './e2e/ssh-mux.js';

const r = (code: number, stdout: string, stderr = '') => ({ code, stdout, stderr });

describe('shared connections of the e2e helpers', () => {
  it('a folder per process, and none where a socket path (and OpenSSH\'s temporary one beside it) would pass 107 bytes', () => {
    expect(muxDir('/tmp', 4242)).toBe('/tmp/teqlctl-e2e-mux-4242');
    // 26 + 1 + 40 + 17 = 84 <= 107; 49 + 1 + 40 + 17 = 107; 50 + ... = 108.
    expect(muxDir(`/${'x'.repeat(27)}`, 4242)).toHaveLength(49);
    expect(muxDir(`/${'x'.repeat(28)}`, 4242)).toBeUndefined();
  });

  it('one master per router and user, named by %C in that folder, that ends a dead connection', () => {
    const o = muxOptions('/tmp/m');
    expect(o).toContain('ControlMaster=auto');
    expect(o).toContain('ControlPath=/tmp/m/%C');
    expect(o).toContain('ServerAliveInterval=5');
  });

  it('a command says that it started, and the helpers see its output without that line', () => {
    const ran = spawnSync('sh', ['-c', announced('echo one; echo two >&2; exit 3')], { encoding: 'utf8' });
    expect([ran.status, ran.stdout, ran.stderr]).toEqual([3, `${STARTED}\none\n`, 'two\n']);
    const out = ran.stdout;
    expect(unannounced(r(0, out))).toEqual({ result: r(0, 'one\n'), started: true });
    expect(unannounced(r(255, ''))).toEqual({ result: r(255, ''), started: false });
  });

  it('runs a command again alone only when it never started, and not when no connection can be made', () => {
    expect(retryAlone(r(0, ''), false)).toBe(false);
    expect(retryAlone(r(1, '', 'mux_client_request_session: read from master failed: Broken pipe'), false)).toBe(false);
    expect(retryAlone(r(255, '', 'mux_client_request_session: read from master failed: Broken pipe'), false)).toBe(true);
    expect(retryAlone(r(255, '', ''), false)).toBe(true);
    // It started (an `ip addr add` may have run): never twice, whatever ended it.
    expect(retryAlone(r(255, '', 'Timeout, server 127.0.0.1 not responding.'), true)).toBe(false);
    expect(retryAlone(r(255, '', 'ssh: connect to host 127.0.0.1 port 2201: Connection refused'), false)).toBe(false);
    expect(retryAlone(r(255, '', 'Connection timed out during banner exchange'), false)).toBe(false);
    expect(retryAlone(r(255, '', 'Host key verification failed.'), false)).toBe(false);
  });

  it("removes the socket folders of workers that are gone, and only theirs", () => {
    const base = mkdtempSync(join(tmpdir(), 'teqlctl-mux-base-'));
    for (const name of ['teqlctl-e2e-mux-11', 'teqlctl-e2e-mux-22', 'other-33']) mkdirSync(join(base, name));
    removeStaleMuxDirs(base, (pid) => pid === 22);
    expect(['teqlctl-e2e-mux-11', 'teqlctl-e2e-mux-22', 'other-33'].map((n) => existsSync(join(base, n)))).toEqual([false, true, true]);
  });
});
