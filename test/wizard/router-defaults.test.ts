// The wizard's defaults for a router, from ~/.ssh/config as `teqlctl play` reads it (src/connect/ssh-config.ts;
// the parser's own cases are in test/connect/ssh-config.test.ts and test/connect/resolve-target.test.ts).
import { describe, expect, it } from 'vitest';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { routerDefaults, tildify } from '../../src/wizard/router-defaults.js';

const CONFIG = `
# global settings come first and apply to every host
User admin

Host edge-a edge-a.example
    HostName 192.0.2.10
    Port 2222
    IdentityFile ~/.ssh/routers_ed25519
    IdentityFile ~/.ssh/second

Host edge-b
  hostname=%h.routers.example
  port = 2200
  User "root"

Host *.routers.example !secret.routers.example
  User ops

Match host edge-a exec "false"
  Port 9999

Host *
  Port 22
  IdentityFile %d/.ssh/id_%r
`;

const env = { home: '/home/me', localUser: 'me', agent: true, exists: (p: string) => p === '/home/me/.ssh/id_ecdsa' };
const defaults = (typed: string, text: string) => routerDefaults(typed, parseSshConfig(text, '/home/me/.ssh/config'), env);

describe('router defaults from ~/.ssh/config', () => {
  it('uses ~/.ssh/config for an alias and says what came from it', () => {
    const d = defaults('edge-a', 'Host edge-a\n HostName 192.0.2.10\n Port 2222\n User root\n IdentityFile ~/.ssh/routers');
    expect(d).toEqual({ host: '192.0.2.10', port: 2222, user: 'root', keyFile: '~/.ssh/routers', become: false, fromConfig: ['HostName 192.0.2.10', 'Port 2222', 'User root', 'IdentityFile ~/.ssh/routers'] });
  });

  it('takes the first value obtained for each setting, global lines first; the first IdentityFile is the key', () => {
    // The global `User admin` comes before any Host block, so it wins for every host.
    expect(defaults('edge-a', CONFIG)).toEqual({
      host: '192.0.2.10', port: 2222, user: 'admin', keyFile: '~/.ssh/routers_ed25519', become: true,
      fromConfig: ['HostName 192.0.2.10', 'Port 2222', 'User admin', 'IdentityFile ~/.ssh/routers_ed25519'],
    });
    expect(defaults('edge-a.example', CONFIG).host).toBe('192.0.2.10');
  });

  it('reads key=value, quotes and %h in HostName, skips Match blocks, and expands the key path\'s tokens', () => {
    expect(defaults('edge-b', CONFIG)).toEqual({
      host: 'edge-b.routers.example', port: 2200, user: 'admin', keyFile: '~/.ssh/id_admin', become: true,
      fromConfig: ['HostName edge-b.routers.example', 'Port 2200', 'User admin', 'IdentityFile %d/.ssh/id_%r'],
    });
    expect(defaults('r1', 'Host r1\n  User "root"\n').user).toBe('root');
  });

  it('an unknown name gets only the wildcard settings', () => {
    expect(defaults('10.1.1.1', CONFIG)).toEqual({
      host: '10.1.1.1', port: 22, user: 'admin', keyFile: '~/.ssh/id_admin', become: true,
      fromConfig: ['Port 22', 'User admin', 'IdentityFile %d/.ssh/id_%r'],
    });
    expect(defaults('x', '')).toEqual({ host: 'x', port: 22, user: 'me', keyFile: '~/.ssh/id_ecdsa', become: true, fromConfig: [] });
  });

  it('a negated pattern keeps its block\'s settings away', () => {
    expect(defaults('r1.routers.example', CONFIG).user).toBe('admin');
    expect(defaults('secret.routers.example', 'Host *.routers.example !secret.routers.example\n  User ops\n').user).toBe('me');
    expect(defaults('r1.routers.example', 'Host *.routers.example !secret.routers.example\n  User ops\n').user).toBe('ops');
  });

  it('ignores IdentityFile none and a port that is not a number (the wizard asks; it does not stop)', () => {
    expect(defaults('x', 'Host x\n IdentityFile none\n Port abc')).toEqual({ host: 'x', port: 22, user: 'me', keyFile: '~/.ssh/id_ecdsa', become: true, fromConfig: [] });
  });
});

describe('router defaults without ~/.ssh/config', () => {
  it('port 22, the local user with sudo, the first default key that exists', () => {
    expect(routerDefaults('10.1.1.1', [], env)).toEqual({ host: '10.1.1.1', port: 22, user: 'me', keyFile: '~/.ssh/id_ecdsa', become: true, fromConfig: [] });
  });

  it('no key file at all leaves the agent', () => {
    expect(routerDefaults('r', [], { ...env, exists: () => false }).keyFile).toBe('');
  });

  it('writes home paths with ~', () => {
    expect(tildify('/home/me/.ssh/k', '/home/me')).toBe('~/.ssh/k');
    expect(tildify('/home/meme/k', '/home/me')).toBe('/home/meme/k');
  });
});
