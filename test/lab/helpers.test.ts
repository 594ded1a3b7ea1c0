import { describe, expect, it } from 'vitest';
import { LabError } from '../../src/errors.js';
import { tailLines } from '../../src/lab/console-log.js';
import { isOurQemuCmdline } from '../../src/lab/pidfile.js';
import { sshArgs } from '../../src/lab/ssh-args.js';
import { sshPort } from '../../src/lab/topology.js';
import { requireTools } from '../../src/lab/tools.js';

describe('sshPort', () => {
  it('defaults to 2201/2202 and follows TEQLCTL_LAB_SSH_PORT_A/B', () => {
    expect(sshPort('a', {})).toBe(2201);
    expect(sshPort('b', {})).toBe(2202);
    expect(sshPort('b', { TEQLCTL_LAB_SSH_PORT_B: '3302' })).toBe(3302);
  });
  it('names the env var when it is not a port', () => {
    expect(() => sshPort('a', { TEQLCTL_LAB_SSH_PORT_A: '22x' })).toThrow(LabError);
    expect(() => sshPort('a', { TEQLCTL_LAB_SSH_PORT_A: '70000' })).toThrow(/TEQLCTL_LAB_SSH_PORT_A/);
  });
});

describe('isOurQemuCmdline', () => {
  const ours = ['/usr/bin/qemu-system-x86_64', '-name', 'teqllab-a', '-pidfile', '/lab/run/a.pid', ''].join('\0');
  it('accepts our QEMU with our pidfile', () => expect(isOurQemuCmdline(ours, '/lab/run/a.pid')).toBe(true));
  it('rejects another pidfile or another program', () => {
    expect(isOurQemuCmdline(ours, '/lab/run/b.pid')).toBe(false);
    expect(isOurQemuCmdline(['bash', '-pidfile', '/lab/run/a.pid'].join('\0'), '/lab/run/a.pid')).toBe(false);
  });
});

describe('sshArgs', () => {
  it('always checks host keys strictly against the lab known_hosts', () => {
    const args = sshArgs({ port: 2201, key: '/k', knownHosts: '/kh' }, ['ip', '-br', 'a']);
    expect(args.join(' ')).toContain('-o StrictHostKeyChecking=yes -o UserKnownHostsFile=/kh');
    expect(args.join(' ')).not.toMatch(/StrictHostKeyChecking=(no|accept-new)/);
    expect(args.slice(-5)).toEqual(['root@127.0.0.1', '--', 'ip', '-br', 'a']);
  });
});

describe('tailLines', () => {
  it('keeps the last lines without a trailing empty one', () => {
    expect(tailLines('1\r\n2\n3\n4\n', 2)).toBe('3\n4');
    expect(tailLines('\x1b[0;32m  OK  \x1b[0m] Started\n', 5)).toBe('  OK  ] Started');
  });
});

describe('requireTools', () => {
  it('names the Debian package of each missing program', () => {
    // qemu-img and ssh live in /usr/bin, which this PATH lacks (only sbin folders are added).
    expect(() => requireTools(['qemu-img', 'ssh'], '/nonexistent')).toThrow(LabError);
    try {
      requireTools(['qemu-img', 'ssh'], '/nonexistent');
    } catch (err) {
      expect((err as LabError).hint).toBe('install with: sudo apt-get install qemu-utils openssh-client');
    }
  });
});
