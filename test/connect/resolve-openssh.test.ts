// Hosts resolved by the real `ssh -G` (it never connects), from temporary ssh_config files given
// with -F: Include, Match, ProxyJump chains, IdentityAgent, and the inventory's values on top.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir, userInfo } from 'node:os';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSsh } from '../../src/connect/local-ssh.js';
import { knownHostsPaths, resolveWithOpenSsh } from '../../src/connect/resolve-openssh.js';
import { resolveTarget, type LocalEnv } from '../../src/connect/resolve-target.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { parseSshG, runSshG, sshGArgs } from '../../src/connect/ssh-g.js';
import { ConnectError } from '../../src/errors.js';
import type { ConnectionSpec } from '../../src/load/types.js';

const ssh = findSsh();
const dir = mkdtempSync(join(tmpdir(), 'teqlctl-sshg-'));
const agentSock = join(dir, 'agent.sock');
writeFileSync(agentSock, '');
// ssh -G's default user is the real local one: the built-in resolver is given the same.
const me = userInfo().username;
const env = (files: string[] = []): LocalEnv => ({ home: '/home/me', localUser: me, exists: (p) => p === agentSock || files.includes(p) });
const spec = (over: Partial<ConnectionSpec> = {}): ConnectionSpec => ({ host: 'r1', become: false, becomeUser: 'root', ...over });

function config(text: string, more: Record<string, string> = {}): string {
  const d = mkdtempSync(join(dir, 'cfg-'));
  for (const [name, t] of Object.entries(more)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), t.replaceAll('$D', d));
  }
  writeFileSync(join(d, 'config'), text.replaceAll('$D', d));
  return join(d, 'config');
}
const resolve = (file: string, s: Partial<ConnectionSpec> = {}, e = env()) => resolveWithOpenSsh('r1', spec(s), runSshG(ssh!), e, file);

const LAB = `
Include $D/conf.d/*.conf
Match originalhost r1 user ${me}
  User matched
Host r1
  HostName 10.0.0.1
  ProxyJump bastion
  IdentityFile ~/.ssh/%h_%r
  IdentityAgent ${agentSock}
`;
const INCLUDED = { 'conf.d/bastion.conf': `Host bastion\n  HostName 192.0.2.1\n  User jumper\n  Port 2222\n  IdentityFile ~/.ssh/jump\n  ProxyJump outer\nHost outer\n  HostName 198.51.100.1\n  IdentityAgent none\n` };

describe('ssh -G: the command line and its output', () => {
  it('an ssh client is installed here (these tests need it; they never connect)', () => {
    expect(ssh).toMatch(/\/ssh$/);
  });

  it('inventory values go on the command line, the host after --', () => {
    expect(sshGArgs({ alias: 'r1', port: 2201, user: 'op', proxyJump: 'j', configFile: 'c' })).toEqual(['-G', '-F', 'c', '-p', '2201', '-l', 'op', '-o', 'ProxyJump=j', '--', 'r1']);
    expect(sshGArgs({ alias: 'r1' })).toEqual(['-G', '--', 'r1']);
  });

  it('parses keyword lines, keeping every value of a repeated keyword', () => {
    const g = parseSshG('user root\nhostname 10.0.0.1\nidentityfile ~/a\nidentityfile ~/b\nglobalknownhostsfile /x /y\n\n');
    expect(g.get('user')).toEqual(['root']);
    expect(g.get('identityfile')).toEqual(['~/a', '~/b']);
    expect(g.get('globalknownhostsfile')).toEqual(['/x /y']);
  });
});

describe('resolveWithOpenSsh: all of ssh_config, through ssh itself', () => {
  it('Include, Match and a ProxyJump chain: each hop resolved with its own settings', async () => {
    const t = await resolve(config(LAB, INCLUDED));
    expect(t).toMatchObject({ alias: 'r1', host: '10.0.0.1', port: 22, user: 'matched', identityFiles: ['/home/me/.ssh/10.0.0.1_matched'], defaultIdentities: false, agent: agentSock, hostKeyName: '10.0.0.1' });
    // The first entry's own ProxyJump comes first, as with `ssh -J`.
    expect(t.jumps.map((j) => [j.alias, j.host, j.port, j.user])).toEqual([['outer', '198.51.100.1', 22, me], ['bastion', '192.0.2.1', 2222, 'jumper']]);
    expect(t.jumps[0]!.agent).toBeNull();
    expect(t.jumps[1]!.identityFiles).toEqual(['/home/me/.ssh/jump']);
    expect(t.jumps[1]!.hostKeyName).toBe('[192.0.2.1]:2222');
  });

  it('the inventory wins over ssh_config (Match included): port, user, key first, ProxyJump', async () => {
    const file = config(LAB, INCLUDED);
    const t = await resolve(file, { port: 2201, user: 'op', privateKeyFile: '/k/inv', argIdentityFiles: ['/k/arg'], proxyJump: 'admin@bastion:22' });
    expect(t).toMatchObject({ host: '10.0.0.1', port: 2201, user: 'op', hostKeyName: '[10.0.0.1]:2201' });
    expect(t.identityFiles).toEqual(['/k/inv', '/k/arg', '/home/me/.ssh/10.0.0.1_op']);
    expect(t.jumps.map((j) => `${j.user}@${j.host}:${j.port}`)).toEqual([`${me}@198.51.100.1:22`, 'admin@192.0.2.1:22']);
    expect((await resolve(file, { proxyJump: 'none' })).jumps).toEqual([]);
  });

  it('no IdentityFile: the default identities that exist, as without ssh; a named key replaces them', async () => {
    const file = config('Host *\n  User u\n');
    const e = env(['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519']);
    // In ssh's order (id_rsa first); it was id_ed25519 first until a review.
    expect(await resolve(file, {}, e)).toMatchObject({ identityFiles: ['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519'], defaultIdentities: true });
    expect(await resolve(file, { privateKeyFile: '/k' }, e)).toMatchObject({ identityFiles: ['/k'], defaultIdentities: false });
  });

  it("no IdentityFile, with another OpenSSH version's default list (8.0, a build without DSA): still the defaults; a key or two of those names is named", async () => {
    const sshG = (ids: string[]) => async () => ({ code: 0, stdout: `hostname 10.0.0.1\nport 22\nuser u\n${ids.map((i) => `identityfile ~/.ssh/${i}\n`).join('')}`, stderr: '' });
    const e = env(['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519']);
    const defaults = { identityFiles: ['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519'], defaultIdentities: true };
    // OpenSSH 8.0 (RHEL 8): readconf.c's list then.
    expect(await resolveWithOpenSsh('r1', spec(), sshG(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'id_xmss']), e)).toMatchObject(defaults);
    expect(await resolveWithOpenSsh('r1', spec(), sshG(['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss']), e)).toMatchObject(defaults);
    expect(await resolveWithOpenSsh('r1', spec(), sshG(['id_rsa']), e)).toMatchObject({ identityFiles: ['/home/me/.ssh/id_rsa'], defaultIdentities: false });
    // Four of those names in an order no OpenSSH lists them in: the user's own list, in its order (a review: taken for the defaults, id_rsa first).
    const own = ['id_ed25519', 'id_ecdsa', 'id_rsa', 'id_dsa'];
    expect(await resolveWithOpenSsh('r1', spec(), sshG(own), e)).toMatchObject({ identityFiles: own.map((k) => `/home/me/.ssh/${k}`), defaultIdentities: false });
  });

  it('IdentityFile none: ssh -G lists it alone, so no key file and not the defaults either, for a jump host too (a review: ~/.ssh/id_* were offered)', async () => {
    const e = env(['/home/me/.ssh/id_rsa', '/home/me/.ssh/id_ed25519']);
    const t = await resolve(config('Host r1\n  ProxyJump j\n  IdentityFile none\nHost j\n  IdentityFile None\n'), {}, e);
    expect(t).toMatchObject({ identityFiles: [], defaultIdentities: false });
    expect(t.jumps[0]).toMatchObject({ identityFiles: [], defaultIdentities: false });
    expect((await resolve(config('Host r1\n  IdentityFile none\n'), { privateKeyFile: '/k' }, e)).identityFiles).toEqual(['/k']);
    // A default security key is kept to be said at login.
    const sk = await resolve(config('Host r1\n  User u\n'), {}, env(['/home/me/.ssh/id_ed25519_sk']));
    expect(sk).toMatchObject({ identityFiles: [], defaultIdentities: true, unusableDefaults: ['/home/me/.ssh/id_ed25519_sk'] });
  });

  it('UserKnownHostsFile and GlobalKnownHostsFile set in ssh_config: the files ssh would read, ~ and tokens expanded; unset: none given', async () => {
    // ssh expands ~ from the password database (OpenSSH 9), whatever $HOME is.
    const pw = userInfo().homedir;
    const t = await resolve(config('Host r1\n  HostName 10.0.0.1\n  UserKnownHostsFile ~/.ssh/known_hosts.lab ~/.ssh/kh_%h\n'));
    expect(t.knownHosts).toEqual({ user: [`${pw}/.ssh/known_hosts.lab`, `${pw}/.ssh/kh_10.0.0.1`], global: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'] });
    expect((await resolve(config('Host r1\n  GlobalKnownHostsFile /etc/ssh/lab_hosts\n'))).knownHosts).toEqual({ user: [`${pw}/.ssh/known_hosts`, `${pw}/.ssh/known_hosts2`], global: ['/etc/ssh/lab_hosts'] });
    expect('knownHosts' in (await resolve(config('Host r1\n  User u\n')))).toBe(false);
  });

  it('a UserKnownHostsFile with a space in its path (quoted in ssh_config, printed bare by ssh -G) stays one file', async () => {
    const pw = userInfo().homedir;
    const t = await resolve(config('Host r1\n  UserKnownHostsFile "/srv/lab hosts/known" ~/.ssh/kh\n  GlobalKnownHostsFile "/etc/ssh/lab  two/k"\n'));
    expect(t.knownHosts).toEqual({ user: ['/srv/lab hosts/known', `${pw}/.ssh/kh`], global: ['/etc/ssh/lab  two/k'] });
    expect(knownHostsPaths('/a b/c none ~/x y /d')).toEqual(['/a b/c', 'none', '~/x y', '/d']);
  });

  it('a relative UserKnownHostsFile after another (printed as written by ssh -G) is a file of its own where the two apart are files and the joined path is not (a review)', () => {
    const files = new Set(['/root/kh2', 'rel/kh3', '/srv/lab hosts/known']);
    const exists = (f: string) => files.has(f);
    expect(knownHostsPaths('/root/kh2 rel/kh3', exists)).toEqual(['/root/kh2', 'rel/kh3']);
    expect(knownHostsPaths('/srv/lab hosts/known rel/kh3', exists)).toEqual(['/srv/lab hosts/known', 'rel/kh3']);
    // Neither there: one path with a space, as before (nothing is read either way).
    expect(knownHostsPaths('/nowhere a/b')).toEqual(['/nowhere a/b']);
  });

  it('IdentityFile with ${VAR} and the tokens ssh takes there, expanded in one pass as ssh expands them; an unset variable or an unknown token is an error naming it', async () => {
    const e = { ...env(), vars: { KEYDIR: '/keys', PCT: '/k/50%x' }, uid: 1234, localHost: 'ctl.example.net' };
    const t = await resolve(config('Host r1\n  HostName 10.0.0.1\n  IdentityFile ${KEYDIR}/lab_%r_%i_%L_%l_%k\n  User netops\n'), {}, e);
    expect(t.identityFiles).toEqual(['/keys/lab_netops_1234_ctl_ctl.example.net_r1']);
    // %C: SHA-1 of %l%h%p%r (OpenSSH 9.2), as `ssh -G` prints it for ControlPath %C on this machine.
    const c = await resolve(config('Host r1\n  IdentityFile ~/.ssh/%C\n  User u\n'), {}, e);
    expect(c.identityFiles).toEqual([`/home/me/.ssh/${createHash('sha1').update('ctl.example.net' + 'r1' + '22' + 'u').digest('hex')}`]);
    // A variable's value is not expanded again.
    expect((await resolve(config('Host r1\n  IdentityFile ${PCT}\n'), {}, e)).identityFiles).toEqual(['/k/50%x']);
    await expect(resolve(config('Host r1\n  IdentityFile ${NOPE}/k\n'), {}, e)).rejects.toThrow(/\$\{NOPE\} is not set/);
    await expect(resolve(config('Host r1\n  IdentityFile ~/.ssh/%z\n'), {}, e)).rejects.toThrow(/the token %z is not one ssh expands here/);
  });

  it('%C is the hash ssh itself makes (ControlPath %C, printed expanded by ssh -G)', async () => {
    const { stdout } = await promisify(execFile)(ssh!, ['-G', '-F', config('Host r1\n  ControlPath /tmp/%C\n  User u\n'), 'r1'], { encoding: 'utf8' });
    const printed = /^controlpath (\S+)$/m.exec(stdout)![1]!;
    const t = await resolve(config('Host r1\n  IdentityFile /tmp/%C\n  User u\n'), {}, { ...env(), localHost: hostname() });
    expect(t.identityFiles).toEqual([printed]);
  });

  it('IdentityAgent $NAME: the socket named by that environment variable; unset, none', async () => {
    expect((await resolve(config('Host r1\n  IdentityAgent $MYSOCK\n'), {}, { ...env(), vars: { MYSOCK: agentSock } })).agent).toBe(agentSock);
    expect((await resolve(config('Host r1\n  IdentityAgent $MYSOCK\n'), {}, { ...env(), vars: {} })).agent).toBeNull();
  });

  it('IdentityAgent: a missing socket counts as none; SSH_AUTH_SOCK means the default agent', async () => {
    expect((await resolve(config('Host r1\n  IdentityAgent /nonexistent/sock\n'))).agent).toBeNull();
    expect('agent' in (await resolve(config('Host r1\n  IdentityAgent SSH_AUTH_SOCK\n')))).toBe(false);
  });

  it('IdentityAgent is taken as ssh -G prints it, expanded once (a review: /tmp/ag%%ent.sock failed on "the token %e")', async () => {
    const sock = join(dir, 'ag%ent.sock');
    writeFileSync(sock, '');
    const e = { ...env(), exists: (p: string) => p === sock };
    // ssh -G prints identityagent <dir>/ag%ent.sock: its %% already made one %.
    expect((await resolve(config(`Host r1\n  IdentityAgent ${join(dir, 'ag%%ent.sock')}\n`), {}, e)).agent).toBe(sock);
  });

  it('HostKeyAlias and StrictHostKeyChecking yes are carried to the host key check', async () => {
    const t = await resolve(config('Host r1\n  HostKeyAlias router-one\n  StrictHostKeyChecking yes\n'));
    expect(t).toMatchObject({ hostKeyName: 'router-one', strictHostKeys: true });
    expect((await resolve(config('Host r1\n  StrictHostKeyChecking accept-new\n'))).strictHostKeys).toBeUndefined();
    expect((await resolve(config(''), { strictHostKeys: true })).strictHostKeys).toBe(true);
  });

  it('IdentitiesOnly yes is carried to the login, for each hop its own; the inventory\'s -o wins for the host alone', async () => {
    const file = config('Host r1\n  IdentitiesOnly yes\n  ProxyJump j\nHost j\n  IdentitiesOnly no\n');
    const t = await resolve(file);
    expect(t.identitiesOnly).toBe(true);
    expect(t.jumps[0]!.identitiesOnly).toBeUndefined();
    expect((await resolve(file, { identitiesOnly: false })).identitiesOnly).toBeUndefined();
    const over = await resolve(config('Host r1\n  ProxyJump j\n'), { identitiesOnly: true });
    expect([over.identitiesOnly, over.jumps[0]!.identitiesOnly]).toEqual([true, undefined]);
  });

  it('ProxyCommand is refused; a broken ssh_config is a connect error naming the file', async () => {
    const pc = await resolve(config('Host r1\n  ProxyCommand nc %h %p\n')).catch((e: unknown) => e);
    expect(pc).toBeInstanceOf(ConnectError);
    expect((pc as ConnectError).message).toBe('ProxyCommand (for r1) is not supported');
    const file = config('Host r1\n  NoSuchKeyword yes\n');
    const bad = (await resolve(file).catch((e: unknown) => e)) as ConnectError;
    expect(bad).toBeInstanceOf(ConnectError);
    expect(bad.message).toContain(`${file}: line 2: Bad configuration option: nosuchkeyword`);
    expect(bad.exitCode).toBe(3);
  });

  it('BindAddress, BindInterface, CertificateFile and PubkeyAuthentication no are refused, not dropped; their defaults pass', async () => {
    const err = (await resolve(config('Host r1\n  BindAddress 127.0.0.2\n  CertificateFile /tmp/c.pub\n  PubkeyAuthentication no\n')).catch((e: unknown) => e)) as ConnectError;
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toBe('ssh_config (for r1) sets BindAddress 127.0.0.2, CertificateFile /tmp/c.pub, PubkeyAuthentication no, which teqlctl cannot follow');
    expect(err.hint).toContain('remove them for this host');
    expect((await resolve(config('Host r1\n  PubkeyAuthentication yes\n  IdentitiesOnly no\n'))).host).toBe('r1');
  });

  it('KnownHostsCommand is refused, not dropped; AddressFamily is followed (inet, inet6), any is the default', async () => {
    const err = (await resolve(config('Host r1\n  KnownHostsCommand /bin/cat /etc/ca-hosts\n')).catch((e: unknown) => e)) as ConnectError;
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toBe('ssh_config (for r1) sets KnownHostsCommand /bin/cat /etc/ca-hosts, which teqlctl cannot follow');
    expect(err.exitCode).toBe(3);
    expect((await resolve(config('Host *\n  AddressFamily inet\n'))).addressFamily).toBe('inet');
    expect((await resolve(config('Host r1\n  AddressFamily inet6\n'))).addressFamily).toBe('inet6');
    expect((await resolve(config('Host r1\n  AddressFamily any\n'))).addressFamily).toBeUndefined();
  });

  it('HashKnownHosts yes is carried to the hop (a key accepted on first use is written hashed)', async () => {
    expect((await resolve(config('Host r1\n  HashKnownHosts yes\n'))).hashKnownHosts).toBe(true);
    expect((await resolve(config('Host r1\n  HashKnownHosts no\n'))).hashKnownHosts).toBeUndefined();
  });

  it('ConnectTimeout bounds the hop\'s TCP connection; PKCS11Provider is refused (its keys cannot be offered)', async () => {
    expect((await resolve(config('Host r1\n  ConnectTimeout 7\n'))).connectTimeoutMs).toBe(7000);
    expect((await resolve(config('Host r1\n'))).connectTimeoutMs).toBeUndefined();
    const err = (await resolve(config('Host r1\n  PKCS11Provider /usr/lib/p11.so\n')).catch((e: unknown) => e)) as ConnectError;
    expect(err.message).toBe('ssh_config (for r1) sets PKCS11Provider /usr/lib/p11.so, which teqlctl cannot follow');
  });

  it('RevokedHostKeys is refused (not read: a revoked key would pass), not dropped', async () => {
    const err = (await resolve(config('Host r1\n  RevokedHostKeys ~/.ssh/revoked\n')).catch((e: unknown) => e)) as ConnectError;
    expect(err.message).toMatch(/^ssh_config \(for r1\) sets RevokedHostKeys \S+\/\.ssh\/revoked, which teqlctl cannot follow$/);
  });

  it("a session's settings teqlctl leaves out are named for the warning it says at login; the locale's SendEnv and CheckHostIP are not", async () => {
    const r = await resolve(config('Host r1\n  RemoteCommand tmux\n  RequestTTY yes\n  SetEnv FOO=bar BAZ=1\n  SendEnv LANG LC_* MYVAR\n  LocalForward 8080 127.0.0.1:80\n  CheckHostIP yes\n'));
    expect(r.ignored).toEqual([
      'RemoteCommand tmux: not run (teqlctl sends its own commands)',
      "RequestTTY true: no terminal is asked for (teqlctl's scripts run without one)",
      "SetEnv FOO=bar BAZ=1: not sent (teqlctl's scripts set their own environment)",
      "SendEnv MYVAR: not sent (teqlctl's scripts set their own environment)",
      'LocalForward: not set up (teqlctl opens no forwards)',
    ]);
    // The locale, as Debian's and RHEL's ssh_config send it; CheckHostIP, OpenSSH's own default before 8.5.
    expect((await resolve(config('Host r1\n  SendEnv LANG LC_*\n  SendEnv LC_CTYPE LANGUAGE XMODIFIERS\n  CheckHostIP yes\n'))).ignored).toBeUndefined();
  });

  it('how ssh would log in, where teqlctl logs in otherwise, is said (a review found it silent): ConnectionAttempts, PreferredAuthentications without publickey, PubkeyAcceptedAlgorithms leaving a key type out', async () => {
    const r = await resolve(config('Host r1\n  ConnectionAttempts 5\n  PreferredAuthentications password\n  PubkeyAcceptedAlgorithms ssh-ed25519\n'));
    expect(r.ignored).toEqual([
      'ConnectionAttempts 5: teqlctl tries each connection once (a router it cannot reach is said as unreachable)',
      'PreferredAuthentications password: teqlctl logs in with a key all the same (publickey, which this list leaves out)',
      'PubkeyAcceptedAlgorithms leaves out RSA, ECDSA keys: teqlctl offers such a key all the same',
    ]);
    // ssh's defaults, a list adding to them, one that keeps publickey, or one that takes out ssh-rsa alone: nothing to say.
    expect((await resolve(config('Host r1\n  PubkeyAcceptedAlgorithms +ssh-rsa\n  PreferredAuthentications publickey,password\n'))).ignored).toBeUndefined();
    expect((await resolve(config('Host r1\n  PubkeyAcceptedAlgorithms -ssh-rsa*,ecdsa*\n'))).ignored).toEqual(['PubkeyAcceptedAlgorithms leaves out ECDSA keys: teqlctl offers such a key all the same']);
  });

  it("a later entry's own ProxyCommand and ProxyJump are never used, as with `ssh -J j1 j2` (a review: valid chains were refused on them)", async () => {
    const cfg = 'Host r1\n  ProxyJump j1,j2\nHost r2\n  ProxyJump j1,j3\nHost j2\n  ProxyCommand nc %h %p\nHost j3\n  ProxyJump j3\n';
    expect((await resolve(config(cfg))).jumps.map((j) => j.alias)).toEqual(['j1', 'j2']);
    expect((await resolve(config(cfg.replace('Host r1', 'Host r0').replace('Host r2', 'Host r1')))).jumps.map((j) => j.alias)).toEqual(['j1', 'j3']);
  });

  it('a ProxyJump loop stops', async () => {
    const err = (await resolve(config('Host r1\n  ProxyJump a\nHost a\n  ProxyJump r1\n')).catch((e: unknown) => e)) as ConnectError;
    expect(err.message).toMatch(/more than 8 hosts deep/);
  });

  it('gives what the built-in parser gives, for the config both understand', async () => {
    const text = 'Host lab-*\n  User root\nHost lab-a\n  HostName 127.0.0.1\n  Port 2201\n  IdentityFile ~/lab/%n\n  ProxyJump j1,u@j2:23\nHost j1\n  HostName 192.0.2.9\n  IdentitiesOnly yes\n';
    const file = config(text);
    for (const s of [{ host: 'lab-a' }, { host: 'lab-a', port: 22, user: 'op', privateKeyFile: '/k' }, { host: 'j1' }, { host: 'j1', identitiesOnly: false }, { host: 'lab-a', identitiesOnly: true }]) {
      // The algorithm lists are ssh's alone (its defaults, which the built-in reader does not know).
      const { algorithms, jumps, ...viaSsh } = await resolveWithOpenSsh('r', spec(s), runSshG(ssh!), env(), file);
      expect(algorithms?.kex).toContain('curve25519-sha256');
      const { jumps: ownJumps, ...own } = resolveTarget('r', spec(s), parseSshConfig(text, file), env());
      expect(viaSsh).toEqual(own);
      expect(jumps.map(({ algorithms: _a, ...j }) => j)).toEqual(ownJumps);
    }
  });
});
