import { describe, expect, it } from 'vitest';
import { resolveTarget, type LocalEnv } from '../../src/connect/resolve-target.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { parseJump } from '../../src/connect/ssh-proxy-jump.js';

const env: LocalEnv = { home: '/home/me', localUser: 'me', exists: () => false, servicePort: (n) => ({ ssh: 22 })[n] };
const resolve = (config: string) => resolveTarget('r1', { host: 'r1', become: false, becomeUser: 'root' }, parseSshConfig(config, 'cfg'), env);
const jumpsOf = (value: string) => resolve(`Host r1\n  ProxyJump ${value}\n`).jumps.map((j) => `${j.user}@${j.host}:${j.port}`);

describe('ProxyJump in ssh_config, as OpenSSH 9.2 reads it (the rest of the line, parse_jump)', () => {
  it('a value ssh calls "Invalid ProxyJump" refuses the whole file, in a Host block that does not apply too', () => {
    // ssh -G -F cfg r1 of 9.2 exits 255 `cfg line 2: Invalid ProxyJump "X"` for each, in `Host other` too.
    for (const v of ['"[2001:db8::9]:22"', '"ssh://jump1:2200"', '"jump1:99999"', 'jump1:0', 'jump1:abc', '@b', 'a,,b', ',a', 'a,', '#x']) {
      expect(() => resolve(`Host other\n  ProxyJump ${v}\nHost r1\n  User op\n`)).toThrow(new RegExp(`OpenSSH refuses the whole file: cfg:2: ProxyJump ${v.replace(/[[\]]/g, '\\$&')}: ssh says "Invalid ProxyJump"`));
    }
  });

  it('a `/` as a port separator (u@bastion/2200) is "Invalid ProxyJump", naming the file and line, as ssh says it (a review)', () => {
    // ssh -G of 9.2: `cfg line 2: Invalid ProxyJump "u@bastion/2200"`, the same for bastion/2200,
    // [::1]/22, ssh://b/22, u@b/; it was taken as port 2200. A `/` in the user is a user's (u/x@b).
    for (const v of ['u@bastion/2200', 'bastion/2200', '[::1]/22', 'ssh://b/22', 'u@b/', 'a,b/22']) {
      expect(() => resolve(`Host r1\n  ProxyJump ${v}\n`)).toThrow(new RegExp(`OpenSSH refuses the whole file: cfg:2: ProxyJump ${v.replace(/[[\]]/g, '\\$&')}: ssh says "Invalid ProxyJump"`));
    }
    expect(jumpsOf('u/x@b')).toEqual(['u/x@b:22']);
    expect(jumpsOf('ssh://u@b:2200/')).toEqual(['u@b:2200']);
    expect(jumpsOf('u@b:')).toEqual(['u@b:22']);
  });

  it('a comment after the value is cut, wherever its # is, as ssh cuts it', () => {
    // ssh -G: proxyjump bastion, for `bastion # comment`, `bastion #comment`, `bastion#c`; `a,b # c`: a,b.
    expect(jumpsOf('bastion # comment')).toEqual(['me@bastion:22']);
    expect(jumpsOf('bastion#c')).toEqual(['me@bastion:22']);
    expect(jumpsOf('a,b # c')).toEqual(['me@a:22', 'me@b:22']);
    expect(jumpsOf('u@b:2222 # c')).toEqual(['u@b:2222']);
    // A service name as port, as a2port takes it (ssh -G: proxyjump jump1:22); `a@@b`: user a@.
    expect(jumpsOf('jump1:ssh')).toEqual(['me@jump1:22']);
    expect(jumpsOf('a@@b')).toEqual(['a@@b:22']);
  });

  it('a value ssh takes but not as meant is refused where it applies, naming the line', () => {
    // ssh -G of 9.2: proxyjump "bastion" (quotes kept: `ssh -G '"bastion"'` says "hostname contains
    // invalid characters"), proxyjump 'a,b'; `a # c,d` prints proxyjump a # c,a; `none # c` prints
    // proxyjump none and ssh -v jumps through a host named none.
    expect(() => jumpsOf('"bastion"')).toThrow(/^cfg:2: ProxyJump "bastion": not followed: ssh takes the quotes/);
    expect(() => jumpsOf("'a,b'")).toThrow(/^cfg:2: ProxyJump 'a,b': not followed: ssh takes the quotes/);
    expect(() => jumpsOf('"bastion" # c')).toThrow(/ssh takes the quotes/);
    expect(() => jumpsOf('a # c,d')).toThrow(/^cfg:2: ProxyJump a # c,d: not followed: ssh 9.2 keeps the comment/);
    expect(() => jumpsOf('none # c')).toThrow(/^cfg:2: ProxyJump none # c: not followed: ssh 9.2 reads `none` followed by a comment as a jump host named none/);
    // ...and only there: ssh -G takes the file for another host.
    expect(resolve('Host other\n  ProxyJump "bastion"\n').jumps).toEqual([]);
    expect(jumpsOf('none')).toEqual([]);
    expect(jumpsOf('NONE')).toEqual([]);
  });

  it('ProxyCommand is the rest of the line: `"none"` or `none # c` is a command (refused), `none` and `NONE` are none', () => {
    // ssh -G of 9.2: proxycommand "none", proxycommand none # c; nothing for none, NONE, None.
    expect(() => resolve('Host r1\n  ProxyCommand "none"\n')).toThrow(/^cfg:2: ProxyCommand is not supported/);
    expect(() => resolve('Host r1\n  ProxyCommand none # c\n')).toThrow(/^cfg:2: ProxyCommand is not supported/);
    expect(resolve('Host r1\n  ProxyCommand NONE\n  ProxyJump j\n').jumps).toEqual([]);
  });

  it('parse_jump: entries, none, or undefined', () => {
    expect(parseJump({ args: [], raw: '= u@[2001:db8::9]:2200,ssh://v@j2:2201/' })).toEqual([{ user: 'u', host: '2001:db8::9', port: 2200 }, { user: 'v', host: 'j2', port: 2201 }]);
    expect(parseJump({ args: [], raw: 'None' })).toEqual([]);
    expect(parseJump({ args: [], raw: 'ssh://j/path' })).toBeUndefined();
  });
});
