import { describe, expect, it } from 'vitest';
import { doasProbeCommand, probeCommand, readProbe, scriptCommand } from '../../src/connect/become.js';

describe('become command lines', () => {
  it('no become: the script on stdin of /bin/sh (by path: BusyBox timeout runs a bare sh as its own ash), under a timeout', () => {
    expect(scriptCommand({ kind: 'none' }, 120)).toEqual({ command: 'timeout 120 /bin/sh -s', stdinPrefix: '' });
  });

  it('NOPASSWD: sudo -n, and SSH_CONNECTION carried past env_reset', () => {
    expect(scriptCommand({ kind: 'sudo', user: 'root' }, 60)).toEqual({ command: 'sudo -n env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s', stdinPrefix: '' });
    expect(scriptCommand({ kind: 'sudo', user: 'netadm' }, 60).command).toBe('sudo -n -u netadm env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s');
  });

  it('with a password: it is the first stdin line, never in the command; -k so sudo always reads it', () => {
    const { command, stdinPrefix } = scriptCommand({ kind: 'sudo', user: 'root', password: 'hunter2 $x' }, 60);
    expect(command).toBe(`sudo -k -S -p '' env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s`);
    expect(command).not.toContain('hunter2');
    expect(stdinPrefix).toBe('hunter2 $x\n');
  });

  it('probes are bounded and carry no password either', () => {
    expect(probeCommand('root', false)).toBe('timeout 30 sudo -k -n true');
    expect(probeCommand('root', true)).toBe(`timeout 30 sudo -k -S -p '' true`);
    expect(probeCommand('netadm', true)).toBe(`timeout 30 sudo -k -S -p '' -u netadm true`);
  });
});

describe("reading sudo's answer", () => {
  it.each([
    [0, '', 'ok'],
    [1, 'sudo: a password is required\n', 'password required'],
    [1, 'sudo: no password was provided\n', 'password required'],
    [1, 'Sorry, try again.\nsudo: no password was provided\nsudo: 1 incorrect password attempt\n', 'password rejected'],
    [124, '', 'timeout'],
    [1, 'operator is not in the sudoers file.\n', 'failed'],
  ] as const)('exit %s, %j -> %s', (code, stderr, verdict) => {
    expect(readProbe(code, stderr)).toBe(verdict);
  });

});

describe('doas', () => {
  it('runs the script through doas -n (a nopass rule), carrying SSH_CONNECTION, never with a password', () => {
    expect(scriptCommand({ kind: 'doas', user: 'root' }, 60)).toEqual({ command: 'doas -n env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s', stdinPrefix: '' });
    expect(scriptCommand({ kind: 'doas', user: 'netadm' }, 60).command).toBe('doas -n -u netadm env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s');
    expect(doasProbeCommand('root')).toBe('timeout 30 doas -n true');
  });
  it("reads OpenDoas's answers", () => {
    expect(readProbe(1, 'doas: Authorization required\n')).toBe('password required');
    expect(readProbe(1, 'doas: Authentication required\n')).toBe('password required');
    expect(readProbe(1, 'doas: Operation not permitted\n')).toBe('failed');
  });
});
