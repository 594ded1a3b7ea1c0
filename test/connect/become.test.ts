import { describe, expect, it } from 'vitest';
import { doasProbeCommand, newPrompt, probeCommand, readProbe, scriptCommand } from '../../src/connect/become.js';

describe('become command lines', () => {
  it('no become: the script on stdin of /bin/sh (by path: BusyBox timeout runs a bare sh as its own ash), under a timeout', () => {
    expect(scriptCommand({ kind: 'none' }, 120)).toEqual({ command: 'timeout 120 /bin/sh -s' });
  });

  it('NOPASSWD: sudo -n, and SSH_CONNECTION carried past env_reset', () => {
    expect(scriptCommand({ kind: 'sudo', user: 'root' }, 60)).toEqual({ command: 'sudo -n env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s' });
    expect(scriptCommand({ kind: 'sudo', user: 'netadm' }, 60).command).toBe('sudo -n -u netadm env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s');
  });

  it('with a password: never in the command; given only after sudo shows its own prompt; -k so sudo always asks', () => {
    const { command, sudo } = scriptCommand({ kind: 'sudo', user: 'root', password: 'hunter2 $x' }, 60, '[P]');
    expect(command).toBe(`sudo -k -S -p '[P]' env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s`);
    expect(command).not.toContain('hunter2');
    expect(sudo).toEqual({ prompt: '[P]', password: 'hunter2 $x' });
    expect(newPrompt()).toMatch(/^\[teqlctl-sudo-[0-9a-f]{24}\]$/);
    expect(newPrompt()).not.toBe(newPrompt());
  });

  it('probes are bounded and carry no password either', () => {
    expect(probeCommand('root')).toEqual({ command: 'timeout 30 sudo -k -n true' });
    expect(probeCommand('root', 'pw', '[P]')).toEqual({ command: `timeout 30 sudo -k -S -p '[P]' true`, sudo: { prompt: '[P]', password: 'pw' } });
    expect(probeCommand('netadm', 'pw', '[P]').command).toBe(`timeout 30 sudo -k -S -p '[P]' -u netadm true`);
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
    expect(scriptCommand({ kind: 'doas', user: 'root' }, 60)).toEqual({ command: 'doas -n env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s' });
    expect(scriptCommand({ kind: 'doas', user: 'netadm' }, 60).command).toBe('doas -n -u netadm env SSH_CONNECTION="$SSH_CONNECTION" timeout 60 /bin/sh -s');
    expect(doasProbeCommand('root')).toEqual({ command: 'timeout 30 doas -n true' });
  });
  it("reads OpenDoas's answers", () => {
    expect(readProbe(1, 'doas: Authorization required\n')).toBe('password required');
    expect(readProbe(1, 'doas: Authentication required\n')).toBe('password required');
    expect(readProbe(1, 'doas: Operation not permitted\n')).toBe('failed');
  });
});
