// The e2e helpers' shared SSH connections (test/e2e/ssh-mux.ts): pure parts, no lab.
import { describe, expect, it } from 'vitest';
import { muxDir, muxOptions, retryAlone } from './e2e/ssh-mux.js';

describe('shared connections of the e2e helpers', () => {
  it('a folder per process, and none where a socket path would pass 107 bytes', () => {
    expect(muxDir('/tmp', 4242)).toBe('/tmp/teqlctl-e2e-mux-4242');
    expect(muxDir(`/${'x'.repeat(60)}`, 4242)).toBeUndefined();
  });

  it('one master per router and user, named by %C in that folder, that ends a dead connection', () => {
    const o = muxOptions('/tmp/m');
    expect(o).toContain('ControlMaster=auto');
    expect(o).toContain('ControlPath=/tmp/m/%C');
    expect(o).toContain('ServerAliveInterval=5');
  });

  it('runs a command again alone only when the shared connection failed, not when no connection can be made', () => {
    const r = (code: number, stderr: string) => ({ code, stdout: '', stderr });
    expect(retryAlone(r(0, ''))).toBe(false);
    expect(retryAlone(r(1, 'mux_client_request_session: read from master failed: Broken pipe'))).toBe(false);
    expect(retryAlone(r(255, 'mux_client_request_session: read from master failed: Broken pipe'))).toBe(true);
    expect(retryAlone(r(255, 'Timeout, server 127.0.0.1 not responding.'))).toBe(true);
    expect(retryAlone(r(255, 'ssh: connect to host 127.0.0.1 port 2201: Connection refused'))).toBe(false);
    expect(retryAlone(r(255, 'Connection timed out during banner exchange'))).toBe(false);
    expect(retryAlone(r(255, 'Host key verification failed.'))).toBe(false);
  });
});
