import { describe, expect, it } from 'vitest';
import { expandIdentityPath, parseProxyJump, resolveTarget, type LocalEnv } from '../../src/connect/resolve-target.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { ConnectError } from '../../src/errors.js';
import type { ConnectionSpec } from '../../src/load/types.js';

const env = (files: string[] = []): LocalEnv => ({ home: '/home/me', localUser: 'me', exists: (p) => files.includes(p) });
const spec = (over: Partial<ConnectionSpec> = {}): ConnectionSpec => ({ host: 'r1', become: false, becomeUser: 'root', ...over });
const resolve = (config: string, s: Partial<ConnectionSpec> = {}, e = env()) => resolveTarget('r1', spec(s), parseSshConfig(config, 'cfg'), e);

const LAB = `
Host lab-a
  HostName 127.0.0.1
  Port 2201
  User root
  IdentityFile ~/lab/id_ed25519
Host lab-b-via-a
  HostName 10.0.0.1
  ProxyJump lab-a
`;

describe('resolveTarget: ssh_config under the inventory', () => {
  it('without ssh_config: the inventory name, port 22, the local user', () => {
    const t = resolve('', {});
    expect(t).toMatchObject({ alias: 'r1', host: 'r1', port: 22, user: 'me', identityFiles: [], hostKeyName: 'r1', jumps: [] });
  });

  it('an alias brings HostName, Port, User and IdentityFile (~ expanded)', () => {
    const t = resolve(LAB, { host: 'lab-a' });
    expect(t).toMatchObject({ host: '127.0.0.1', port: 2201, user: 'root', identityFiles: ['/home/me/lab/id_ed25519'], defaultIdentities: false });
    expect(t.hostKeyName).toBe('[127.0.0.1]:2201');
  });

  it('inventory variables win over ssh_config, as in Ansible; ansible_host may be an alias', () => {
    const t = resolve(LAB, { host: 'lab-a', port: 22, user: 'operator', privateKeyFile: '/keys/op' });
    expect(t).toMatchObject({ host: '127.0.0.1', port: 22, user: 'operator' });
    // Like `ssh -i`: the inventory key first, then ssh_config's.
    expect(t.identityFiles).toEqual(['/keys/op', '/home/me/lab/id_ed25519']);
    expect(t.hostKeyName).toBe('127.0.0.1');
  });

  it('HostName %h is the name given', () => {
    expect(resolve('Host r*\n  HostName %h.lab.example\n', { host: 'r1' }).host).toBe('r1.lab.example');
  });

  it('the host name is lowercased after ssh_config is read, and so are HostKeyAlias and the known_hosts name', () => {
    // Checked against `ssh -G` of OpenSSH 9.2: `ssh -G R1` with `Host R*` / `HostName %h.Example`
    // gives `hostname r1.example`; `ssh -G ROUTER` gives `hostname router`; HostKeyAlias R1-Key gives r1-key.
    const t = resolve('Host R*\n  HostName %h.Example\n  Port 2222\n', { host: 'R1' });
    expect(t).toMatchObject({ alias: 'R1', host: 'r1.example', hostKeyName: '[r1.example]:2222' });
    expect(resolve('', { host: 'ROUTER' })).toMatchObject({ host: 'router', hostKeyName: 'router' });
    expect(resolve('Host r1\n  HostKeyAlias R1-Key\n').hostKeyName).toBe('r1-key');
    // ...and matched case-sensitively: `Host r*` does not apply to `ssh R1`.
    expect(resolve('Host r*\n  Port 2222\n', { host: 'R1' }).port).toBe(22);
  });

  it('a file OpenSSH refuses whole is refused, naming each line, whichever host is asked for', () => {
    // Checked against `ssh -G` of OpenSSH 9.2, which exits 255 for each of these, even in a Host
    // block that does not apply: "Bad port '0'", "invalid time value", "no argument after keyword",
    // "Missing argument" (HostKeyAlias ""), "extra arguments at end of line", "unsupported option".
    const refused = (text: string) => (() => resolve(`Host other\n${text}\nHost r1\n  User op\n`))();
    expect(() => refused('  Port 0')).toThrow(/OpenSSH refuses the whole file: cfg:2: port "0" is neither a port number/);
    expect(() => refused('  ConnectTimeout -3')).toThrow(/cfg:2: connecttimeout "-3" is not a value ssh takes/);
    expect(() => refused('  ServerAliveInterval x')).toThrow(/cfg:2: serveraliveinterval "x"/);
    expect(() => refused('  User')).toThrow(/cfg:2: user has no value/);
    expect(() => refused('  HostKeyAlias ""')).toThrow(/cfg:2: hostkeyalias has no value/);
    expect(() => refused('  Port 22 33')).toThrow(/cfg:2: port has more than one value/);
    expect(() => refused('  AddressFamily bogus')).toThrow(/cfg:2: addressfamily "bogus"/);
    expect(() => refused('  IdentitiesOnly maybe')).toThrow(/cfg:2: identitiesonly "maybe"/);
    expect(() => resolve('Host\n  Port 2\n')).toThrow(/cfg:1: Host has no pattern/);
    // ...and what it takes passes: times with units, none, accept-new, yes/true in any case.
    expect(resolve('Host r1\n  ConnectTimeout 1m30s\n  ServerAliveInterval 30\n  StrictHostKeyChecking accept-new\n  IdentitiesOnly Yes\n').connectTimeoutMs).toBe(90_000);
    // `none` is ssh's "not set": a later line still wins (ssh -G of OpenSSH 9.2: connecttimeout 5).
    expect(resolve('Host r1\n  ConnectTimeout none\nHost *\n  ConnectTimeout 5\n').connectTimeoutMs).toBe(5_000);
  });

  it('what ssh takes is not refused: ServerAliveInterval none, a Host line holding only a comment', () => {
    // ssh -G of OpenSSH 9.2: `ServerAliveInterval none` gives serveraliveinterval 0 (`NONE` is "invalid
    // time value"); `Host # old` is a block that applies to no host, exit 0 (a bare `Host` is "no
    // argument after keyword").
    expect(resolve('Host *\n  ServerAliveInterval none\n  Port 2222\n').port).toBe(2222);
    expect(() => resolve('Host *\n  ServerAliveInterval NONE\n')).toThrow(/cfg:2: serveraliveinterval "NONE" is not a value ssh takes/);
    expect(resolve('Host # old\n  Port 2\nHost r1\n  Port 2222\n').port).toBe(2222);
    expect(() => resolve('Host\t\n  Port 2\n')).toThrow(/cfg:1: Host has no pattern/);
  });

  it('an unknown keyword is refused at its line, as ssh refuses the file, unless an IgnoreUnknown before it names it', () => {
    // ssh -G of OpenSSH 9.2: "cfg: line 2: Bad configuration option: prot", even in a Host block that
    // does not apply; `Port:22`: "no argument after keyword "port:22"". A typo skipped would have
    // connected to port 22 where the operator wrote 2222.
    expect(() => resolve('Host other\n  Prot 2222\nHost r1\n  User op\n')).toThrow(/OpenSSH refuses the whole file: cfg:2: unknown keyword "prot"/);
    expect(() => resolve('Host r1\n  Port:2222\n')).toThrow(/cfg:2: port:2222 has no value; cfg:2: unknown keyword "port:2222"/);
    // IgnoreUnknown counts from its line on, in a block that applies to the host (ssh -G: the same).
    expect(resolve('IgnoreUnknown UseKeychain2,foo*\nHost r1\n  UseKeychain2 yes\n  FooBar 1\n  Port 2222\n').port).toBe(2222);
    expect(() => resolve('Host r1\n  Bogus yes\n  IgnoreUnknown bogus\n')).toThrow(/cfg:2: unknown keyword "bogus"/);
    expect(() => resolve('Host other\n  IgnoreUnknown bogus\nHost r1\n  Bogus yes\n')).toThrow(/cfg:4: unknown keyword "bogus"/);
    // Deprecated keywords ssh only warns about, and those of later or other builds of ssh, are taken.
    expect(resolve('Host r1\n  RSAAuthentication no\n  UseRoaming no\n  KeepAlive yes\n  Tag x\n  ChannelTimeout session=5m\n  UseKeychain yes\n  Port 2222\n').port).toBe(2222);
  });

  it('HostName takes %h and %% only: another token is refused at its line', () => {
    // `ssh -G` of OpenSSH 9.2 with `HostName %r.x`: "percent_expand: unknown key %r", exit 255.
    expect(() => resolve('Host r1\n  HostName %r.x\n')).toThrow(/^cfg:2: HostName %r\.x: the token %r is not one ssh expands there/);
    expect(resolve('Host r1\n  HostName %h-%%.x\n').host).toBe('r1-%.x');
  });

  it('HostKeyAlias names the key in known_hosts', () => {
    expect(resolve('Host r1\n  HostKeyAlias router-one\n  Port 2222\n').hostKeyName).toBe('router-one');
  });

  it('without any key file: the default identities that exist, in OpenSSH order', () => {
    // ssh 9.2's order (ssh -G -F /dev/null x): id_rsa, id_ecdsa, id_ecdsa_sk, id_ed25519, ... (a
    // review: teqlctl offered id_ed25519 first). Changed from ['id_ed25519', 'id_rsa'].
    const t = resolve('', {}, env(['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519']));
    expect(t.identityFiles).toEqual(['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519']);
    expect(t.defaultIdentities).toBe(true);
  });

  it('a default security key or XMSS key that exists is kept to be said at login, not skipped silently (a review)', () => {
    const t = resolve('', {}, env(['/home/me/.ssh/id_ed25519_sk', '/home/me/.ssh/id_ecdsa', '/home/me/.ssh/id_xmss', '/home/me/.ssh/id_dsa']));
    expect(t.identityFiles).toEqual(['/home/me/.ssh/id_ecdsa']);
    expect(t.unusableDefaults).toEqual(['/home/me/.ssh/id_ed25519_sk', '/home/me/.ssh/id_xmss']);
  });

  it('IdentityFile none: no key file and not the defaults either, for the host and a jump host, as ssh (a review: ~/.ssh/id_* were offered)', () => {
    const e = env(['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519']);
    const t = resolve('Host r1\n  ProxyJump j\n  IdentityFile none\nHost j\n  IdentityFile NONE\n', {}, e);
    expect(t).toMatchObject({ identityFiles: [], defaultIdentities: false });
    expect(t.jumps[0]).toMatchObject({ alias: 'j', identityFiles: [], defaultIdentities: false });
    // none beside a file named: that file alone.
    expect(resolve('Host r1\n  IdentityFile none\n  IdentityFile ~/k\n', {}, e).identityFiles).toEqual(['/home/me/k']);
  });

  it('a named key replaces the defaults', () => {
    const t = resolve('', { privateKeyFile: '/keys/k' }, env(['/home/me/.ssh/id_ed25519']));
    expect(t.identityFiles).toEqual(['/keys/k']);
  });

  it('a Port that is neither a number nor a known service name is an error that names the line', () => {
    // No service names given (env without servicePort): ssh too says "Bad port" without /etc/services.
    const err = (() => { try { resolve('Host r1\n  Port ssh\n'); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as Error).message).toMatch(/^ssh_config has lines for which OpenSSH refuses the whole file: cfg:2: port "ssh" is neither a port number 1..65535 nor a tcp service name of \/etc\/services$/);
  });

  it('ProxyCommand is refused rather than silently bypassed', () => {
    expect(() => resolve('Host r1\n  ProxyCommand nc %h %p\n')).toThrow(/ProxyCommand is not supported/);
    expect(resolve('Host r1\n  ProxyCommand none\n').jumps).toEqual([]);
  });

  it('whichever of ProxyCommand and ProxyJump comes first wins, none included', () => {
    // Checked against `ssh -G` of OpenSSH 9.2: ProxyCommand first gives `proxycommand nc %h %p` and
    // no proxyjump; ProxyCommand none first, then ProxyJump a, gives neither; ProxyJump first wins over
    // a later ProxyCommand.
    expect(() => resolve('Host r1\n  ProxyCommand nc %h %p\nHost *\n  ProxyJump lab-a\n')).toThrow(/cfg:2: ProxyCommand is not supported/);
    expect(resolve('Host r1\n  ProxyCommand none\n  ProxyJump lab-a\n').jumps).toEqual([]);
    expect(resolve('Host r1\n  ProxyJump lab-a\nHost r*\n  ProxyCommand nc %h %p\n').jumps.map((j) => j.alias)).toEqual(['lab-a']);
  });
});

describe('ProxyJump', () => {
  it('one hop: the jump host resolved through ssh_config, the target named by its own HostName', () => {
    const t = resolve(LAB, { host: 'lab-b-via-a', user: 'root' });
    expect(t).toMatchObject({ host: '10.0.0.1', port: 22, user: 'root', hostKeyName: '10.0.0.1' });
    expect(t.jumps).toEqual([
      { alias: 'lab-a', host: '127.0.0.1', port: 2201, user: 'root', identityFiles: ['/home/me/lab/id_ed25519'], defaultIdentities: false, hostKeyName: '[127.0.0.1]:2201', hostKeyNameWithoutPort: '127.0.0.1' },
    ]);
  });

  it('user and port written in ProxyJump win over the jump host\'s ssh_config; the inventory does not apply to it', () => {
    const t = resolve(`${LAB}\nHost via\n  ProxyJump admin@lab-a:2222\n`, { host: 'via', user: 'operator', privateKeyFile: '/keys/op' });
    expect(t.jumps[0]).toMatchObject({ alias: 'lab-a', user: 'admin', port: 2222, identityFiles: ['/home/me/lab/id_ed25519'] });
  });

  it('a chain: the jump host\'s own ProxyJump comes first; comma lists are followed in order', () => {
    const cfg = 'Host t\n  ProxyJump j2\nHost j2\n  ProxyJump j1\nHost u\n  ProxyJump j1,j2\n';
    expect(resolve(cfg, { host: 't' }).jumps.map((j) => j.alias)).toEqual(['j1', 'j2']);
    expect(resolve(cfg, { host: 'u' }).jumps.map((j) => j.alias)).toEqual(['j1', 'j2']);
  });

  it('a loop is an error, not a hang', () => {
    expect(() => resolve('Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n', { host: 'a' })).toThrow(/more than 8 hosts deep/);
  });

  it('session settings the run leaves out (RemoteCommand, SetEnv, SendEnv, forwards) are said at login without ssh too, as through ssh -G (a review: dropped without a word)', () => {
    const t = resolve('Host r1\n  RemoteCommand tmux\n  SendEnv LANG FOO\nHost *\n  SendEnv BAR\n  LocalForward 8080 localhost:80\n');
    expect(t.ignored).toEqual(['RemoteCommand tmux: not run (teqlctl sends its own commands)', 'SendEnv FOO BAR: not sent (teqlctl\'s scripts set their own environment)', 'LocalForward: not set up (teqlctl opens no forwards)']);
    expect(resolve('Host r1\n  SendEnv LANG LC_*\n').ignored).toBeUndefined();
  });

  it('a LocalCommand that PermitLocalCommand allows is said as not run; without it, ssh would not run it either (a review)', () => {
    expect(resolve('Host r1\n  PermitLocalCommand yes\n  LocalCommand logger login %n\n').ignored).toEqual(['LocalCommand logger login %n: not run (teqlctl runs no command of its own on this machine at login)']);
    expect(resolve('Host r1\n  LocalCommand logger login %n\n').ignored).toBeUndefined();
    // ssh takes true for yes here too.
    expect(resolve('Host r1\n  PermitLocalCommand true\n  LocalCommand logger login %n\n').ignored).toHaveLength(1);
  });

  it('how ssh would log in otherwise is said without ssh too, the first line of each winning', () => {
    const t = resolve('Host r1\n  ConnectionAttempts 3\n  PubkeyAcceptedAlgorithms ssh-ed25519,rsa-sha2-512\nHost *\n  ConnectionAttempts 1\n  PreferredAuthentications keyboard-interactive\n');
    expect(t.ignored).toEqual([
      'ConnectionAttempts 3: teqlctl tries each connection once (a router it cannot reach is said as unreachable)',
      'PreferredAuthentications keyboard-interactive: teqlctl logs in with a key all the same (publickey, which this list leaves out)',
      'PubkeyAcceptedAlgorithms leaves out ECDSA keys: teqlctl offers such a key all the same',
    ]);
    // `^` puts algorithms at the head of ssh's defaults; a list's patterns match as ssh matches them (a review).
    expect(resolve('Host r1\n  PubkeyAcceptedAlgorithms ^ssh-ed25519\n').ignored).toBeUndefined();
    expect(resolve('Host r1\n  PubkeyAcceptedAlgorithms rsa-sha2-*,ssh-ed25519,ecdsa-sha2-nistp256\n').ignored).toBeUndefined();
  });

  it("a later entry's own ProxyCommand and ProxyJump are never used, as with `ssh -J j1 j2` (a review: valid chains were refused on them)", () => {
    const cfg = 'Host r3\n  ProxyJump j1,j2\nHost r4\n  ProxyJump j1,j3\nHost j2\n  ProxyCommand nc %h %p\nHost j3\n  ProxyJump j3\n';
    expect(resolve(cfg, { host: 'r3' }).jumps.map((j) => j.alias)).toEqual(['j1', 'j2']);
    expect(resolve(cfg, { host: 'r4' }).jumps.map((j) => j.alias)).toEqual(['j1', 'j3']);
  });

  it('parses [user@]host[:port], ssh:// URIs and [v6]:port; refuses junk', () => {
    expect(parseProxyJump('bastion')).toEqual([{ host: 'bastion' }]);
    expect(parseProxyJump('me@bastion:2222,ssh://op@10.0.0.1:22')).toEqual([
      { user: 'me', host: 'bastion', port: 2222 },
      { user: 'op', host: '10.0.0.1', port: 22 },
    ]);
    expect(parseProxyJump('[fe80::1]:2200')).toEqual([{ host: 'fe80::1', port: 2200 }]);
    expect(parseProxyJump('host:99999')).toBeUndefined();
    expect(parseProxyJump('a b')).toBeUndefined();
    expect(() => resolve('Host r1\n  ProxyJump host:0\n')).toThrow(/cfg:2: ProxyJump host:0: ssh says "Invalid ProxyJump"/);
  });
});

describe('IdentityFile tokens', () => {
  it('expands ~, %d, %u, %r, %h, %p, %n and %%', () => {
    const t = { home: '/home/me', localUser: 'me', remoteUser: 'root', host: '10.0.0.1', port: 2201, alias: 'lab-a' };
    expect(expandIdentityPath('~/.ssh/%n-%r@%h:%p', t)).toBe('/home/me/.ssh/lab-a-root@10.0.0.1:2201');
    expect(expandIdentityPath('%d/keys/%u%%', t)).toBe('/home/me/keys/me%');
  });

  it('expands ~user/ to that user\'s home folder, before the tokens; a user not found is refused, as ssh refuses it (a review: it was looked for as written)', () => {
    const homes: Record<string, string> = { deploy: '/srv/deploy/' };
    const t = { home: '/home/me', localUser: 'me', remoteUser: 'root', host: '10.0.0.1', port: 22, alias: 'r1', homeOf: (u: string) => homes[u] };
    expect(expandIdentityPath('~deploy/.ssh/id_%n', t)).toBe('/srv/deploy/.ssh/id_r1');
    expect(expandIdentityPath('~deploy', t)).toBe('/srv/deploy');
    expect(() => expandIdentityPath('~nobody9/.ssh/k', t)).toThrow(/^~nobody9\/\.ssh\/k: no user nobody9 on this machine/);
    const e = { ...env(), homeOf: (u: string) => homes[u] };
    expect(resolve('Host r1\n  IdentityFile ~deploy/.ssh/k\n', {}, e).identityFiles).toEqual(['/srv/deploy/.ssh/k']);
    expect(() => resolve('Host r1\n  IdentityFile ~ghost/k\n', {}, e)).toThrow(/^cfg:2: IdentityFile ~ghost\/k: no user ghost/);
  });

  it('an unset ${VAR} or an unknown token is refused at the file:line of its IdentityFile (it said ~/.ssh/config, even for -F)', () => {
    // ssh -G of OpenSSH 9.2 prints both as written; ssh refuses them when it connects.
    expect(() => resolveTarget('r1', spec(), parseSshConfig('Host r1\n  Port 22\n  IdentityFile ${UNSET}/k\n', '/srv/lab.conf'), env())).toThrow(/^\/srv\/lab\.conf:3: IdentityFile \$\{UNSET\}\/k: environment variable/);
    expect(() => resolve('Host r1\n  IdentityFile /keys/%x\n')).toThrow(/^cfg:2: IdentityFile \/keys\/%x: the token %x/);
  });
});

describe('resolveTarget: the inventory ssh args (where no ssh client is installed)', () => {
  it('-J wins over ssh_config, `none` goes direct; -i keys follow the inventory key; StrictHostKeyChecking=yes is carried', () => {
    const t = resolve(LAB, { host: 'lab-b-via-a', proxyJump: 'admin@bastion:2222', privateKeyFile: '/k/inv', argIdentityFiles: ['/k/arg'], strictHostKeys: true });
    expect(t.jumps.map((j) => `${j.user}@${j.host}:${j.port}`)).toEqual(['admin@bastion:2222']);
    expect(t.identityFiles).toEqual(['/k/inv', '/k/arg']);
    expect(t.strictHostKeys).toBe(true);
    expect(resolve(LAB, { host: 'lab-b-via-a', proxyJump: 'none' }).jumps).toEqual([]);
    expect(resolve(LAB, { host: 'lab-b-via-a' }).jumps.map((j) => j.alias)).toEqual(['lab-a']);
  });
});

describe('resolveTarget: what the built-in reader cannot follow (no OpenSSH ssh to read ssh_config) is refused, not dropped', () => {
  it('a Match block anywhere, an Include, a known_hosts file or command, a source address of the host: exit 3, each named at file:line', () => {
    const err = (() => {
      try {
        resolve('Include ~/.ssh/config.d/*\nHost r1\n  HostName 127.0.0.1\n  UserKnownHostsFile ~/.ssh/pinned\n  BindAddress 127.0.0.2\n  KnownHostsCommand /bin/true\nMatch host r1\n  Port 1\n');
      } catch (e) {
        return e as ConnectError;
      }
      throw new Error('expected a refusal');
    })();
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.exitCode).toBe(3);
    expect(err.message).toBe("ssh_config (for r1) has what teqlctl's own reader of it cannot follow (OpenSSH's ssh, which reads it for teqlctl, is not installed): cfg:7: Match; cfg:1: include ~/.ssh/config.d/*; cfg:5: bindaddress 127.0.0.2; cfg:4: userknownhostsfile ~/.ssh/pinned; cfg:6: knownhostscommand /bin/true");
    expect(err.hint).toMatch(/install the OpenSSH client/);
  });

  it('algorithm lists with + or - (they apply to defaults only ssh knows) and RevokedHostKeys: refused, each named; a list written out is followed', () => {
    expect(() => resolve('Host r1\n  HostKeyAlgorithms +ssh-rsa\n  Ciphers -aes128-ctr\n  RevokedHostKeys ~/.ssh/revoked\n')).toThrow(
      "ssh_config (for r1) has what teqlctl's own reader of it cannot follow (OpenSSH's ssh, which reads it for teqlctl, is not installed): cfg:4: revokedhostkeys ~/.ssh/revoked; cfg:3: ciphers -aes128-ctr; cfg:2: hostkeyalgorithms +ssh-rsa",
    );
    expect(resolve('Host r1\n  Ciphers aes256-gcm@openssh.com,aes256-ctr\n  KexAlgorithms curve25519-sha256\n').algorithms).toEqual({ kex: ['curve25519-sha256'], cipher: ['aes256-gcm@openssh.com', 'aes256-ctr'] });
  });

  it('only what applies to the host (a Match excepted): another host\'s lines and OpenSSH\'s defaults pass', () => {
    expect(resolve('Host other\n  BindAddress 127.0.0.2\nHost r1\n  AddressFamily any\n  IdentityAgent none\n').host).toBe('r1');
  });

  it('UserKnownHostsFile none, GlobalKnownHostsFile none and IdentityAgent none are followed: no such file, no agent (a review: the defaults were read, the agent asked)', () => {
    expect(resolve('Host r1\n  UserKnownHostsFile none\n').knownHosts).toEqual({ user: [], global: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'] });
    expect(resolve('Host r1\n  GlobalKnownHostsFile NONE\n').knownHosts).toEqual({ user: ['/home/me/.ssh/known_hosts', '/home/me/.ssh/known_hosts2'], global: [] });
    expect(resolve('Host r1\n  IdentityAgent none\n').agent).toBeNull();
    // none beside a file is no none (ssh refuses it: "none" argument must appear alone): refused, not read as none.
    expect(() => resolve('Host r1\n  UserKnownHostsFile none ~/.ssh/kh\n')).toThrow(/cannot follow .*cfg:2: userknownhostsfile none ~\/\.ssh\/kh/);
    // A jump host's own lines, for the jump host.
    const t = resolve('Host r1\n  ProxyJump j\nHost j\n  UserKnownHostsFile none\n  IdentityAgent none\n');
    expect(t.jumps[0]).toMatchObject({ agent: null, knownHosts: { user: [] } });
    expect('agent' in t || 'knownHosts' in t).toBe(false);
  });

  it('StrictHostKeyChecking yes is followed: no new key is trusted for the host, even with --accept-new', () => {
    expect(resolve('Host r1\n  StrictHostKeyChecking yes\n').strictHostKeys).toBe(true);
    expect(resolve('Host r1\n  StrictHostKeyChecking accept-new\n').strictHostKeys).toBeUndefined();
  });

  it('HashKnownHosts yes is followed: a key accepted on first use is written hashed', () => {
    expect(resolve('Host r1\n  HashKnownHosts yes\n').hashKnownHosts).toBe(true);
  });

  it('AddressFamily is followed: inet or inet6 kept for the connection', () => {
    expect(resolve('Host *\n  AddressFamily inet\n').addressFamily).toBe('inet');
    expect(resolve('Host r1\n  AddressFamily any\n').addressFamily).toBeUndefined();
  });

  it('ConnectTimeout is followed: it bounds the TCP connection', () => {
    expect(resolve('Host r1\n  ConnectTimeout 7\n').connectTimeoutMs).toBe(7000);
    expect(resolve('Host r1\n  ConnectTimeout none\n').connectTimeoutMs).toBeUndefined();
  });
});

describe('resolveTarget: a jump host that is the host itself (ssh 9.2: "jumphost loop")', () => {
  // ssh -G of 9.2 exits 255 "jumphost loop via bastion" for `-J bastion bastion`, for `ProxyJump
  // bastion` in `Host bastion`, for `-J a,bastion bastion` and for `-J bastion r1` where r1's HostName
  // is bastion; it takes `-J u@bastion`, `-J bastion:2222`, `-J Bastion`, `-J bastion,a` and a
  // bastion whose HostName is another name.
  const loop = /ProxyJump .*jumphost loop via bastion/;
  const asked = (config: string, s: Partial<ConnectionSpec>) => (() => resolve(config, { host: 'bastion', ...s }));

  it('is refused before connecting, naming where the ProxyJump was written', () => {
    expect(asked('', { proxyJump: 'bastion' })).toThrow(/^ansible_ssh_common_args: ProxyJump bastion for bastion: jumphost loop via bastion/);
    expect(asked('Host bastion\n  ProxyJump bastion\n', {})).toThrow(/^cfg:2: ProxyJump bastion for bastion: jumphost loop/);
    expect(asked('', { proxyJump: 'a,bastion' })).toThrow(loop);
    expect(asked('Host r1\n  HostName bastion\n', { host: 'r1', proxyJump: 'bastion' })).toThrow(loop);
    // Reached as a jump host of another: the same, for that hop.
    expect(() => resolve('Host r1\n  ProxyJump bastion\nHost bastion\n  ProxyJump bastion\n')).toThrow(/^cfg:4: ProxyJump bastion for bastion: jumphost loop/);
  });

  it('is not a loop where ssh takes it', () => {
    expect(asked('', { proxyJump: 'u@bastion' })().jumps.map((j) => j.user)).toEqual(['u']);
    expect(asked('', { proxyJump: 'bastion:2222' })().jumps.map((j) => j.port)).toEqual([2222]);
    expect(asked('', { proxyJump: 'Bastion' })().jumps.map((j) => j.host)).toEqual(['bastion']);
    expect(asked('', { proxyJump: 'bastion,a' })().jumps.map((j) => j.alias)).toEqual(['bastion', 'a']);
    expect(asked('Host bastion\n  HostName 10.0.0.1\n', { proxyJump: 'bastion' })().host).toBe('10.0.0.1');
  });
});
