import { describe, expect, it } from 'vitest';
import { expandSshPath, hostMatches, lookupSshHost, parseSshConfig, sshAliases } from '../../src/wizard/ssh-config.js';
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

describe('ssh_config', () => {
  const blocks = parseSshConfig(CONFIG);

  it('takes the first value obtained for each setting, global lines first', () => {
    // The global `User admin` comes before any Host block, so it wins for every host.
    expect(lookupSshHost(blocks, 'edge-a')).toEqual({ hostName: '192.0.2.10', port: 2222, user: 'admin', identityFile: '~/.ssh/routers_ed25519' });
    expect(lookupSshHost(blocks, 'edge-a.example').hostName).toBe('192.0.2.10');
  });

  it('reads key=value, quotes and %h in HostName, and skips Match blocks', () => {
    expect(lookupSshHost(blocks, 'edge-b')).toEqual({ hostName: 'edge-b.routers.example', port: 2200, user: 'admin', identityFile: '%d/.ssh/id_%r' });
  });

  it('an unknown name gets only the wildcard settings', () => {
    expect(lookupSshHost(blocks, '10.1.1.1')).toEqual({ port: 22, user: 'admin', identityFile: '%d/.ssh/id_%r' });
    expect(lookupSshHost(parseSshConfig(''), 'x')).toEqual({});
  });

  it('matches wildcards and respects negation', () => {
    expect(hostMatches(['*.routers.example', '!secret.routers.example'], 'r1.routers.example')).toBe(true);
    expect(hostMatches(['*.routers.example', '!secret.routers.example'], 'secret.routers.example')).toBe(false);
    expect(hostMatches(['r?'], 'r1')).toBe(true);
    expect(hostMatches(['r?'], 'r12')).toBe(false);
  });

  it('lists the aliases an operator can type', () => {
    expect(sshAliases(blocks)).toEqual(['edge-a', 'edge-a.example', 'edge-b']);
  });

  it('expands ~ and the %d %u %r %h %% tokens of IdentityFile', () => {
    const ctx = { home: '/home/me', localUser: 'me', remoteUser: 'root', host: 'r1' };
    expect(expandSshPath('~/.ssh/id', ctx)).toBe('/home/me/.ssh/id');
    expect(expandSshPath('%d/.ssh/%u-%r@%h%%', ctx)).toBe('/home/me/.ssh/me-root@r1%');
  });

  it('ignores IdentityFile none and a port that is not a number', () => {
    expect(lookupSshHost(parseSshConfig('Host x\n IdentityFile none\n Port abc'), 'x')).toEqual({});
  });
});

describe('router defaults', () => {
  const env = { home: '/home/me', localUser: 'me', agent: true, exists: (p: string) => p === '/home/me/.ssh/id_ecdsa' };

  it('uses ~/.ssh/config for an alias and says what came from it', () => {
    const d = routerDefaults('edge-a', parseSshConfig('Host edge-a\n HostName 192.0.2.10\n Port 2222\n User root\n IdentityFile ~/.ssh/routers'), env);
    expect(d).toEqual({ host: '192.0.2.10', port: 2222, user: 'root', keyFile: '~/.ssh/routers', become: false, fromConfig: ['HostName 192.0.2.10', 'Port 2222', 'User root', 'IdentityFile ~/.ssh/routers'] });
  });

  it('without config: port 22, the local user with sudo, the first default key that exists', () => {
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
