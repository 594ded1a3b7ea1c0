// The wizard's defaults for a router: what `teqlctl play` resolves for the name (ssh -G, or teqlctl's
// parser without ssh), and what of it came from ssh_config (the resolvers' own cases are in test/connect/).
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveWithOpenSsh } from '../../src/connect/resolve-openssh.js';
import { resolveTarget } from '../../src/connect/resolve-target.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { runSshG } from '../../src/connect/ssh-g.js';
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

Host *
  Port 22
  IdentityFile %d/.ssh/id_%r
`;

const env = { home: '/home/me', localUser: 'me', agent: true, exists: (p: string) => p === '/home/me/.ssh/id_ecdsa' };
const SPEC = (typed: string) => ({ host: typed, become: false, becomeUser: 'root' });
/** The wizard's defaults where teqlctl's own parser resolves (no ssh client). */
const defaults = (typed: string, text: string) => routerDefaults(typed, resolveTarget(typed, SPEC(typed), parseSshConfig(text, '/home/me/.ssh/config'), env), env);

describe('router defaults from ssh_config, as play resolves the name', () => {
  it('uses ~/.ssh/config for an alias and says what came from it', () => {
    const d = defaults('edge-a', 'Host edge-a\n HostName 192.0.2.10\n Port 2222\n User root\n IdentityFile ~/.ssh/routers');
    expect(d).toEqual({ host: '192.0.2.10', port: 2222, user: 'root', keyFile: '~/.ssh/routers', become: false, fromConfig: ['HostName 192.0.2.10', 'Port 2222', 'User root', 'IdentityFile ~/.ssh/routers'] });
  });

  it('IdentityFile none: no key file is offered, not a default key either (the agent alone, as ssh; a review)', () => {
    const d = defaults('edge-n', 'Host edge-n\n HostName 192.0.2.11\n IdentityFile none\n');
    expect(d).toMatchObject({ host: '192.0.2.11', keyFile: '', fromConfig: ['HostName 192.0.2.11', 'IdentityFile none'] });
  });

  it('takes the first value obtained for each setting, global lines first; the first IdentityFile is the key', () => {
    // The global `User admin` comes before any Host block, so it wins for every host.
    expect(defaults('edge-a', CONFIG)).toEqual({
      host: '192.0.2.10', port: 2222, user: 'admin', keyFile: '~/.ssh/routers_ed25519', become: true,
      fromConfig: ['HostName 192.0.2.10', 'Port 2222', 'User admin', 'IdentityFile ~/.ssh/routers_ed25519'],
    });
    expect(defaults('edge-a.example', CONFIG).host).toBe('192.0.2.10');
  });

  it('reads key=value, quotes and %h in HostName, and expands the key path\'s tokens', () => {
    expect(defaults('edge-b', CONFIG)).toEqual({
      host: 'edge-b.routers.example', port: 2200, user: 'admin', keyFile: '~/.ssh/id_admin', become: true,
      fromConfig: ['HostName edge-b.routers.example', 'Port 2200', 'User admin', 'IdentityFile ~/.ssh/id_admin'],
    });
    expect(defaults('r1', 'Host r1\n  User "root"\n').user).toBe('root');
  });

  it('an unknown name gets only the wildcard settings; what equals OpenSSH\'s own default is not said to come from ssh_config', () => {
    expect(defaults('10.1.1.1', CONFIG)).toEqual({
      host: '10.1.1.1', port: 22, user: 'admin', keyFile: '~/.ssh/id_admin', become: true,
      fromConfig: ['User admin', 'IdentityFile ~/.ssh/id_admin'],
    });
    expect(defaults('x', '')).toEqual({ host: 'x', port: 22, user: 'me', keyFile: '~/.ssh/id_ecdsa', become: true, fromConfig: [] });
  });

  it('a negated pattern keeps its block\'s settings away', () => {
    expect(defaults('r1.routers.example', CONFIG).user).toBe('admin');
    expect(defaults('secret.routers.example', 'Host *.routers.example !secret.routers.example\n  User ops\n').user).toBe('me');
    expect(defaults('r1.routers.example', 'Host *.routers.example !secret.routers.example\n  User ops\n').user).toBe('ops');
  });

  it('a ProxyJump keeps the alias as the host, so the wizard and its inventory go through the jump host', () => {
    // Connecting to 10.2.2.2 directly, as until 2026-12-07, cannot reach a router behind a bastion.
    const d = defaults('edge-c', 'Host edge-c\n HostName 10.2.2.2\n ProxyJump ops@bastion:2022\n');
    expect(d.host).toBe('edge-c');
    expect(d.proxyJump).toBe('ops@bastion:2022');
    expect(d.fromConfig).toEqual(['HostName 10.2.2.2', 'ProxyJump ops@bastion:2022']);
    expect(defaults('edge-d', 'Host edge-d\n HostName 10.2.2.3\n').proxyJump).toBeUndefined();
  });
});

describe('router defaults from ssh -G (an ssh client is installed): Include and Match apply', () => {
  it('an alias defined in an Included file gives its HostName, Port, User and key, as play would use them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-sshg-'));
    mkdirSync(join(dir, 'conf.d'));
    writeFileSync(join(dir, 'config'), `Include ${dir}/conf.d/*.conf\n`);
    writeFileSync(join(dir, 'conf.d', 'routers.conf'), 'Host edge1\n  HostName 10.9.9.9\n  Port 2201\n  User ops\n  IdentityFile ~/.ssh/%h_key\n');
    const target = await resolveWithOpenSsh('edge1', SPEC('edge1'), runSshG('ssh'), env, join(dir, 'config'));
    expect(routerDefaults('edge1', target, env)).toEqual({
      host: '10.9.9.9', port: 2201, user: 'ops', keyFile: '~/.ssh/10.9.9.9_key', become: true,
      fromConfig: ['HostName 10.9.9.9', 'Port 2201', 'User ops', 'IdentityFile ~/.ssh/10.9.9.9_key'],
    });
  });
});

describe('router defaults: what ssh does without any ssh_config is not said to come from it', () => {
  it('a name in capitals (ssh lower-cases it) and user@host typed: nothing listed as from ssh_config', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-wizard-bare-'));
    writeFileSync(join(dir, 'config'), '# nothing for these names\n');
    for (const typed of ['Router1', 'admin@10.0.0.1']) {
      const [resolved, bare] = await Promise.all([
        resolveWithOpenSsh(typed, SPEC(typed), runSshG('ssh'), env, join(dir, 'config')),
        resolveWithOpenSsh(typed, SPEC(typed), runSshG('ssh'), env, '/dev/null'),
      ]);
      expect(routerDefaults(typed, resolved, env, bare).fromConfig, typed).toEqual([]);
    }
  });
});

describe('router defaults when the name could not be resolved', () => {
  it('port 22, the local user with sudo, the first default key that exists', () => {
    expect(routerDefaults('10.1.1.1', undefined, env)).toEqual({ host: '10.1.1.1', port: 22, user: 'me', keyFile: '~/.ssh/id_ecdsa', become: true, fromConfig: [] });
  });

  it('no key file at all leaves the agent', () => {
    expect(routerDefaults('r', undefined, { ...env, exists: () => false }).keyFile).toBe('');
  });

  it('writes home paths with ~', () => {
    expect(tildify('/home/me/.ssh/k', '/home/me')).toBe('~/.ssh/k');
    expect(tildify('/home/meme/k', '/home/me')).toBe('/home/meme/k');
  });
});
