// The transport with hosts resolved by `ssh -G` (resolve-openssh.ts), against in-process SSH servers:
// an ssh_config with Include and ProxyJump, the inventory's -J on top, StrictHostKeyChecking yes.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { generateKeyPairSync } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSsh, readLocalSsh, type LocalSsh } from '../../src/connect/local-ssh.js';
import { connectSsh } from '../../src/connect/ssh-transport.js';
import { ConnectError } from '../../src/errors.js';
import { ed25519KeyPair } from '../helpers/keys.js';
import { startFakeSshd, type FakeSshd } from './fake-sshd.js';

const login = ed25519KeyPair();
let router: FakeSshd;
let jump: FakeSshd;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teqlctl-transport-sshg-'));
  writeFileSync(join(dir, 'login'), login.private, { mode: 0o600 });
  const pub = login.public.split(' ').slice(0, 2).join(' ');
  router = await startFakeSshd({ name: 'router', authorized: [pub] });
  jump = await startFakeSshd({ name: 'jump', authorized: [pub] });
});

afterAll(async () => {
  await Promise.all([router.close(), jump.close()]);
});

/** A HOME whose known_hosts knows `known`, and an ssh_config given to ssh -G with -F. */
function local(known: FakeSshd[], config: string, included: string): LocalSsh {
  const home = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), known.map((s) => `[127.0.0.1]:${s.port} ${s.publicKey}\n`).join(''));
  writeFileSync(join(home, 'jump.conf'), included);
  writeFileSync(join(home, 'config'), `Include ${join(home, 'jump.conf')}\n${config}`);
  return { env: { home, localUser: 'me', exists: () => false }, config: [], ssh: findSsh()!, configFile: join(home, 'config') };
}

const JUMP = () => `Host j\n  HostName 127.0.0.1\n  Port ${jump.port}\n  User root\n  IdentityFile ${join(dir, 'login')}\n`;
const TARGET = () => `Host target\n  HostName 127.0.0.1\n  Port ${router.port}\n  User root\n  IdentityFile ${join(dir, 'login')}\n`;
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as ConnectError);

describe('connectSsh with ssh -G', () => {
  it('ProxyJump from ssh_config, the jump host defined in an Included file', async () => {
    const l = local([jump, router], `${TARGET()}  ProxyJump j\n`, JUMP());
    const t = await connectSsh('r', { host: 'target', become: false, becomeUser: 'root' }, { local: l });
    expect((await t.run('x', 'hostname\n')).stdout).toBe('router ran as root: hostname\n');
    await t.close();
    expect(jump.forwards.at(-1)).toBe(`127.0.0.1:${router.port}`);
  });

  it("the inventory's -J (ansible_ssh_common_args) on a host ssh_config reaches directly", async () => {
    const l = local([jump, router], TARGET(), JUMP());
    const before = jump.forwards.length;
    const t = await connectSsh('r', { host: 'target', proxyJump: 'j', become: false, becomeUser: 'root' }, { local: l });
    await t.close();
    expect(jump.forwards.length).toBe(before + 1);
  });

  it("each hop against its own known_hosts: the router's key in the UserKnownHostsFile its Host block names, the jump host's in ~/.ssh/known_hosts; a key accepted for the router goes into its file", async () => {
    const l = local([jump], '', JUMP());
    const labFile = join(l.env.home, 'lab', 'known_hosts.lab');
    mkdirSync(join(l.env.home, 'lab'));
    writeFileSync(labFile, `[127.0.0.1]:${router.port} ${router.publicKey}\n`);
    writeFileSync(l.configFile!, `Include ${join(l.env.home, 'jump.conf')}\n${TARGET()}  ProxyJump j\n  UserKnownHostsFile ${labFile}\n`);
    const t = await connectSsh('r', { host: 'target', become: false, becomeUser: 'root' }, { local: l });
    await t.close();
    // The router's key only in ~/.ssh/known_hosts (not in the file its Host block names): unknown for it, as for ssh.
    writeFileSync(labFile, '');
    writeFileSync(join(l.env.home, '.ssh', 'known_hosts'), `[127.0.0.1]:${jump.port} ${jump.publicKey}\n[127.0.0.1]:${router.port} ${router.publicKey}\n`);
    const err = await failure(connectSsh('r', { host: 'target', become: false, becomeUser: 'root' }, { local: l }));
    expect(err.message).toMatch(new RegExp(`unknown host key for \\[127\\.0\\.0\\.1\\]:${router.port}.*read: ${labFile.replace(/[.]/g, '\\.')}`));
    // --accept-new: recorded where ssh would record it.
    const t2 = await connectSsh('r', { host: 'target', become: false, becomeUser: 'root' }, { local: l, onUnknownHostKey: async () => true });
    await t2.close();
    expect(readFileSync(labFile, 'utf8')).toContain(`[127.0.0.1]:${router.port} `);
  });

  it('StrictHostKeyChecking yes: an unknown key is refused without asking, even where --accept-new would ask', async () => {
    const l = local([], TARGET(), JUMP());
    let asked = false;
    const err = await failure(connectSsh('r', { host: 'target', strictHostKeys: true, become: false, becomeUser: 'root' }, { local: l, onUnknownHostKey: async () => (asked = true) }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toMatch(/unknown host key/);
    expect(asked).toBe(false);
  });
});

describe('connectSsh with the algorithms ssh_config allows', () => {
  it('HostKeyAlgorithms written out is asked for as listed, as ssh does: a host with ed25519 and RSA keys, only ed25519 known, shows RSA, a changed key', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const two = await startFakeSshd({ name: 'two', authorized: [login.public.split(' ').slice(0, 2).join(' ')], extraHostKeys: [rsa] });
    try {
      const block = (algs: string) => `Host two\n  HostName 127.0.0.1\n  Port ${two.port}\n  User root\n  IdentityFile ${join(dir, 'login')}\n  HostKeyAlgorithms ${algs}\n`;
      const err = await failure(connectSsh('r', { host: 'two', become: false, becomeUser: 'root' }, { local: local([two], block('rsa-sha2-256,ssh-ed25519'), '') }));
      expect(err.message).toMatch(/^HOST KEY CHANGED for \[127\.0\.0\.1\]:\d+ \(two\): the host presents ssh-rsa /);
      // ssh's defaults changed with +: reordered for the key known, as ssh reorders them.
      const t = await connectSsh('r', { host: 'two', become: false, becomeUser: 'root' }, { local: local([two], block('+ssh-rsa'), '') });
      await t.close();
    } finally {
      await two.close();
    }
  });

  it('offers what ssh -G lists: a host key algorithm the config leaves out is not accepted, and the refusal says where to look', async () => {
    const l = local([router], `${TARGET()}  HostKeyAlgorithms ecdsa-sha2-nistp256\n`, JUMP());
    const err = await failure(connectSsh('r', { host: 'target', become: false, becomeUser: 'root' }, { local: l }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toMatch(/no matching/i);
    expect(err.hint).toContain('the router offers none of the algorithms ssh_config allows for this host (`ssh -G target` lists them)');
  });

  it("a router that signs only with ssh-rsa (SHA-1): refused under OpenSSH's defaults, as ssh refuses it; HostKeyAlgorithms +ssh-rsa lets it in", async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const parsed = ssh2.utils.parseKey(privateKey) as ParsedKey;
    const old = await startFakeSshd({
      name: 'old', authorized: [login.public.split(' ').slice(0, 2).join(' ')],
      only: { hostKey: privateKey, publicKey: `ssh-rsa ${parsed.getPublicSSH().toString('base64')}`, algorithms: { serverHostKey: ['ssh-rsa'] } },
    });
    try {
      const host = `Host old\n  HostName 127.0.0.1\n  Port ${old.port}\n  User root\n  IdentityFile ${join(dir, 'login')}\n`;
      const err = await failure(connectSsh('r', { host: 'old', become: false, becomeUser: 'root' }, { local: local([old], host, JUMP()) }));
      expect(err.message).toMatch(/no matching/i);
      const t = await connectSsh('r', { host: 'old', become: false, becomeUser: 'root' }, { local: local([old], `${host}  HostKeyAlgorithms +ssh-rsa\n`, JUMP()) });
      expect((await t.run('x', 'hostname\n')).stdout).toBe('old ran as root: hostname\n');
      await t.close();
    } finally {
      await old.close();
    }
  });

  it('RequiredRSASize: an RSA host key under it is refused though known_hosts lists it, as ssh ends such a connection (a review: it was trusted)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const parsed = ssh2.utils.parseKey(privateKey) as ParsedKey;
    const rsa = await startFakeSshd({
      name: 'rsa', authorized: [login.public.split(' ').slice(0, 2).join(' ')],
      only: { hostKey: privateKey, publicKey: `ssh-rsa ${parsed.getPublicSSH().toString('base64')}`, algorithms: { serverHostKey: ['rsa-sha2-512', 'rsa-sha2-256'] } },
    });
    try {
      const host = `Host rsa\n  HostName 127.0.0.1\n  Port ${rsa.port}\n  User root\n  IdentityFile ${join(dir, 'login')}\n`;
      const err = await failure(connectSsh('r', { host: 'rsa', become: false, becomeUser: 'root' }, { local: local([rsa], `${host}  RequiredRSASize 3072\n`, JUMP()) }));
      expect(err).toBeInstanceOf(ConnectError);
      expect(err.message).toMatch(/host key of \[127\.0\.0\.1\]:\d+ \(rsa\) \(ssh-rsa SHA256:\S+\) is an RSA key of 2048 bits, under the 3072 ssh_config's RequiredRSASize asks for/);
      expect(rsa.execs).toEqual([]);
      const t = await connectSsh('r', { host: 'rsa', become: false, becomeUser: 'root' }, { local: local([rsa], `${host}  RequiredRSASize 2048\n`, JUMP()) });
      expect((await t.run('x', 'hostname\n')).stdout).toBe('rsa ran as root: hostname\n');
      await t.close();
    } finally {
      await rsa.close();
    }
  });

  it('a RemoteCommand of ssh_config is said as a warning at login, and the run goes on with its own commands', async () => {
    const warned: string[] = [];
    const t = await connectSsh('r', { host: 'target', become: false, becomeUser: 'root' }, { local: local([router], `${TARGET()}  RemoteCommand tmux\n`, JUMP()), warn: (l) => warned.push(l) });
    expect((await t.run('x', 'hostname\n')).stdout).toBe('router ran as root: hostname\n');
    await t.close();
    expect(warned).toEqual(['r: warning: ssh_config (for target) sets RemoteCommand tmux: not run (teqlctl sends its own commands)']);
  });

  it('a list with nothing ssh2 has is refused before connecting, naming the setting and what ssh2 has', async () => {
    const before = router.execs.length;
    const err = await failure(connectSsh('r', { host: 'target', become: false, becomeUser: 'root' }, { local: local([router], `${TARGET()}  KexAlgorithms sntrup761x25519-sha512@openssh.com\n`, JUMP()) }));
    expect(err.message).toBe("ssh_config (for target) allows only KexAlgorithms sntrup761x25519-sha512@openssh.com, none of which teqlctl's SSH client (ssh2) has");
    expect(err.hint).toMatch(/^add one it has for this host \(KexAlgorithms \+curve25519-sha256@libssh\.org; ssh2 has curve25519-sha256@libssh\.org, curve25519-sha256, /);
    expect(router.execs.length).toBe(before);
  });
});

describe('readLocalSsh', () => {
  it('finds the ssh client; where HOME is not the account home, ssh -G is pointed at $HOME/.ssh/config, then the system\'s, as ssh reads them', async () => {
    const saved = process.env.HOME;
    const home = mkdtempSync(join(dir, 'fake-home-'));
    const system = existsSync('/etc/ssh/ssh_config');
    try {
      process.env.HOME = home;
      const none = (await readLocalSsh()).configFile!;
      expect(none).toBe(system ? none : '/dev/null');
      if (system) expect(readFileSync(none, 'utf8')).toBe('Include /etc/ssh/ssh_config\n');
      mkdirSync(join(home, '.ssh'));
      writeFileSync(join(home, '.ssh', 'config'), 'Host x\n  User y\n');
      const both = (await readLocalSsh()).configFile!;
      if (!system) return expect(both).toBe(join(home, '.ssh', 'config'));
      expect(readFileSync(both, 'utf8')).toBe(`Include ${join(home, '.ssh', 'config')}\nInclude /etc/ssh/ssh_config\n`);
      expect(statSync(both).mode & 0o777).toBe(0o600);
      // What ssh -G gives with it: the user's first, and what only the system's file sets (a review:
      // -F $HOME/.ssh/config alone dropped /etc/ssh/ssh_config, its HashKnownHosts yes here).
      const g = execFileSync(findSsh()!, ['-G', '-F', both, 'x'], { encoding: 'utf8' });
      const plain = execFileSync(findSsh()!, ['-G', 'x'], { encoding: 'utf8' });
      expect(g).toMatch(/^user y$/m);
      expect(/^hashknownhosts (\S+)$/m.exec(g)?.[1]).toBe(/^hashknownhosts (\S+)$/m.exec(plain)?.[1]);
      // A file ssh would refuse to include (writable by others: "Bad owner or permissions", ssh -G
      // aborts) keeps -F alone, which ssh reads without that check (a review).
      chmodSync(join(home, '.ssh', 'config'), 0o666);
      const lax = (await readLocalSsh()).configFile!;
      expect(lax).toBe(join(home, '.ssh', 'config'));
      expect(execFileSync(findSsh()!, ['-G', '-F', lax, 'x'], { encoding: 'utf8' })).toMatch(/^user y$/m);
    } finally {
      process.env.HOME = saved;
    }
  });
});
