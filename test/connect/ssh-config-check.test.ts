import { describe, expect, it } from 'vitest';
import { connectTimeoutOf, resolveTarget, type LocalEnv } from '../../src/connect/resolve-target.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { refusedLines, timeSeconds } from '../../src/connect/ssh-config-check.js';
import { parseServices } from '../../src/load/tcp-services.js';

const env: LocalEnv = { home: '/home/me', localUser: 'me', exists: () => false };
const resolve = (config: string, host = 'r1') => resolveTarget(host, { host, become: false, becomeUser: 'root' }, parseSshConfig(config, 'cfg'), env);

describe('ssh_config times, as OpenSSH 9.2 reads them (convtime)', () => {
  it('a total above INT_MAX seconds is refused for the whole file, as ssh -G refuses it ("invalid time value")', () => {
    // ssh -G of 9.2: ConnectTimeout 2147483647 and 3550w (2147040000) are taken; 2147483648, 3551w
    // and 99999999999 make it exit 255 naming the line, in a Host block that does not apply too.
    expect(timeSeconds('2147483647')).toBe(2147483647);
    expect(timeSeconds('3550w')).toBe(2147040000);
    expect(timeSeconds('3551w')).toBeUndefined();
    expect(timeSeconds('2147483648')).toBeUndefined();
    for (const v of ['2147483648', '3551w', '99999999999']) {
      expect(refusedLines(parseSshConfig(`Host other\n  ConnectTimeout ${v}\n`, 'cfg'))).toEqual([`cfg:2: connecttimeout "${v}" is not a value ssh takes`]);
      expect(() => resolve(`Host other\n  ServerAliveInterval ${v}\nHost r1\n  User op\n`)).toThrow(/cfg:2: serveraliveinterval/);
    }
    expect(refusedLines(parseSshConfig('Host other\n  ConnectTimeout 3550w\n', 'cfg'))).toEqual([]);
  });

  it('a ConnectTimeout of weeks bounds the connection at INT_MAX ms (24.8 days), as ssh caps it, never at once', () => {
    // ssh -G prints connecttimeout 3024000 for 5w; ssh.c caps the poll timeout at INT_MAX ms. A
    // larger Node timer fires after 1 ms (TimeoutOverflowWarning): every connection would time out.
    expect(resolve('Host r1\n  ConnectTimeout 5w\n').connectTimeoutMs).toBe(2 ** 31 - 1);
    expect(resolve('Host r1\n  ConnectTimeout 4w\n').connectTimeoutMs).toBe(2 ** 31 - 1);
    expect(resolve('Host r1\n  ConnectTimeout 24d\n').connectTimeoutMs).toBe(24 * 86400 * 1000);
    expect(connectTimeoutOf('2147483647')).toEqual({ connectTimeoutMs: 2 ** 31 - 1 });
    expect(connectTimeoutOf('3024000')).toEqual({ connectTimeoutMs: 2 ** 31 - 1 });
  });
});

describe('Port, as OpenSSH 9.2 reads it (a2port), in every Host block', () => {
  const services = (name: string) => ({ ssh: 22, domain: 53, www: 80 })[name];
  const withServices: LocalEnv = { ...env, servicePort: services };
  const resolveS = (config: string) => resolveTarget('r1', { host: 'r1', become: false, becomeUser: 'root' }, parseSshConfig(config, 'cfg'), withServices);

  it('a port ssh refuses makes the whole file refused, in a block that does not apply too', () => {
    // ssh -G -F cfg r1 of 9.2, `Host other` / `Port X`: "cfg line 2: Bad port 'X'." (exit 255) for
    // abc, 0, 70000, -1, 99999999999, 22abc, 0x16 and SSH (service names are case-sensitive).
    for (const v of ['abc', '0', '70000', '-1', '99999999999', '22abc', '0x16', 'SSH']) {
      expect(() => resolveS(`Host other\n  Port ${v}\nHost r1\n  User op\n`)).toThrow(new RegExp(`cfg:2: port "${v}" is neither a port number`));
    }
  });

  it('a service name of /etc/services is its port, as ssh takes it; numbers as strtonum reads them', () => {
    // ssh -G of 9.2: Port ssh -> port 22, Port domain -> 53, Port www (an alias) -> 80; in a block
    // that does not apply, port 22; +22, 022 and " 22" (quoted) -> 22.
    expect(resolveS('Host r1\n  Port ssh\n').port).toBe(22);
    expect(resolveS('Host r1\n  Port domain\n').port).toBe(53);
    expect(resolveS('Host r1\n  Port www\n').port).toBe(80);
    expect(resolveS('Host other\n  Port domain\n').port).toBe(22);
    expect(resolveS('Host r1\n  Port +2222\n').port).toBe(2222);
    expect(resolveS('Host r1\n  Port 022\n').port).toBe(22);
    expect(resolveS('Host r1\n  Port " 2222"\n').port).toBe(2222);
    // Where /etc/services does not name it, ssh refuses it, and so does teqlctl.
    expect(() => resolve('Host r1\n  Port domain\n')).toThrow(/cfg:2: port "domain"/);
  });

  it('/etc/services lines: tcp only, aliases too, the first line naming a service wins', () => {
    const m = parseServices('# c\nssh\t\t22/tcp\t\t\t# SSH\nhttp 80/tcp www # web\nfoo 9/udp\nfoo 10/tcp\nwww 81/tcp\n\nbad\n');
    expect(Object.fromEntries(m)).toEqual({ ssh: 22, http: 80, www: 80, foo: 10 });
  });
});
