import { describe, expect, it } from 'vitest';
import { connectTimeoutOf, resolveTarget, type LocalEnv } from '../../src/connect/resolve-target.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { refusedLines, timeSeconds } from '../../src/connect/ssh-config-check.js';

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
