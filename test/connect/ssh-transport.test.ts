// The SSH transport against in-process SSH servers: host keys, keys and passphrases, ProxyJump,
// become through a sudo that wants a password, and connections that die under a running command.
import { bounded } from '../../src/connect/become.js';
import { iproute2Preamble } from '../../src/router/iproute2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import ssh2 from 'ssh2';
import type { LocalSsh } from '../../src/connect/local-ssh.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { connectSsh, type ConnectOptions } from '../../src/connect/ssh-transport.js';
import { ConnectError } from '../../src/errors.js';
import type { ConnectionSpec } from '../../src/load/types.js';
import { startFakeSshd, startRelay, type FakeSshd } from './fake-sshd.js';
import { ed25519KeyPair } from '../helpers/keys.js';

const login = ed25519KeyPair();
const locked = ed25519KeyPair({ passphrase: 'secretpass', cipher: 'aes256-ctr', rounds: 2 });
const pub = (k: { public: string }) => k.public.split(' ').slice(0, 2).join(' ');
let router: FakeSshd;
let jump: FakeSshd;
let sudoRouter: FakeSshd;
let twoKeys: FakeSshd;
let shellRouter: FakeSshd;
let sudoShell: FakeSshd;
let dir: string;
// The RSA host key `twoKeys` also has, and `router` has not; as known_hosts writes it.
const rsaHostKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const rsaPublic = (() => {
  const k = ssh2.utils.parseKey(rsaHostKey);
  if (k instanceof Error) throw k;
  return `ssh-rsa ${(Array.isArray(k) ? k[0] : k).getPublicSSH().toString('base64')}`;
})();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teqlctl-transport-'));
  writeFileSync(join(dir, 'login'), login.private, { mode: 0o600 });
  writeFileSync(join(dir, 'locked'), locked.private, { mode: 0o600 });
  router = await startFakeSshd({ name: 'router', authorized: [pub(login), pub(locked)] });
  jump = await startFakeSshd({ name: 'jump', authorized: [pub(login)] });
  sudoRouter = await startFakeSshd({ name: 'sudo-router', authorized: [pub(login)], sudoPassword: 'correct horse' });
  twoKeys = await startFakeSshd({ name: 'two-keys', authorized: [pub(login)], extraHostKeys: [rsaHostKey] });
  shellRouter = await startFakeSshd({ name: 'shell', authorized: [pub(login)], shell: true });
  sudoShell = await startFakeSshd({ name: 'sudo-shell', authorized: [pub(login)], sudoPassword: 'correct horse', shell: true });
});

afterAll(async () => {
  await Promise.all([router.close(), jump.close(), sudoRouter.close(), twoKeys.close(), shellRouter.close(), sudoShell.close()]);
});

/** A fresh HOME with a known_hosts that knows the given servers, and an ssh_config. */
function local(opts: { known?: FakeSshd[]; config?: string; agent?: string } = {}): LocalSsh {
  const home = mkdtempSync(join(dir, 'home-'));
  if (opts.known) {
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'known_hosts'), opts.known.map((s) => `[127.0.0.1]:${s.port} ${s.publicKey}\n`).join(''));
  }
  return {
    env: { home, localUser: 'me', exists: () => false },
    config: parseSshConfig(opts.config ?? '', join(home, '.ssh', 'config')),
    ...(opts.agent ? { agent: opts.agent } : {}),
  };
}

const spec = (server: FakeSshd, over: Partial<ConnectionSpec> = {}): ConnectionSpec => ({
  host: '127.0.0.1', port: server.port, user: 'root', privateKeyFile: join(dir, 'login'), become: false, becomeUser: 'root', ...over,
});

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as ConnectError);

describe('host keys', () => {
  it('a known key connects and runs the script from stdin', async () => {
    const t = await connectSsh('r', spec(router), { local: local({ known: [router] }) });
    const res = await t.run('facts', 'echo hi\n');
    await t.close();
    expect(res).toMatchObject({ code: 0, stdout: 'router ran as root: echo hi\n' });
    expect(router.execs.at(-1)!.command).toBe(bounded(120, '/bin/sh -s'));
  });

  it('an unknown key is refused with its fingerprint and the caller\'s hint', async () => {
    const err = await failure(connectSsh('r', spec(router), { local: local(), unknownHostHint: (fp) => `accept ${fp} with --accept-new` }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toContain(`unknown host key for [127.0.0.1]:${router.port}: ssh-ed25519 ${router.fingerprint} is in no known_hosts file`);
    expect(err.hint).toBe(`accept ${router.fingerprint} with --accept-new`);
  });

  it('accepted on first use: recorded in ~/.ssh/known_hosts (~/.ssh created with mode 700)', async () => {
    const l = local();
    const t = await connectSsh('r', spec(router), { local: l, onUnknownHostKey: async () => true });
    await t.close();
    expect(statSync(join(l.env.home, '.ssh')).mode & 0o777).toBe(0o700);
    expect(readFileSync(join(l.env.home, '.ssh', 'known_hosts'), 'utf8')).toBe(`[127.0.0.1]:${router.port} ${router.publicKey}\n`);
  });

  it('a changed key is refused loudly with both fingerprints, even when first use would be accepted', async () => {
    const l = local({ known: [jump] });
    // The router's port, listed with the jump host's key.
    writeFileSync(join(l.env.home, '.ssh', 'known_hosts'), `[127.0.0.1]:${router.port} ${jump.publicKey}\n`);
    let asked = false;
    const before = router.execs.length;
    const err = await failure(connectSsh('r', spec(router), { local: l, onUnknownHostKey: async () => (asked = true) }));
    expect(err.message).toMatch(/^HOST KEY CHANGED for \[127\.0\.0\.1\]:\d+/);
    expect(err.message).toContain(router.fingerprint);
    expect(err.message).toContain(jump.fingerprint);
    expect(asked).toBe(false);
    expect(router.execs.length).toBe(before);
  });

  it('a host that shows a key of another type than the one known is a changed key, as to ssh 9.2: refused, even with --accept-new, and nothing is recorded', async () => {
    const l = local();
    mkdirSync(join(l.env.home, '.ssh'));
    const known = `[127.0.0.1]:${router.port} ${rsaPublic}\n`;
    writeFileSync(join(l.env.home, '.ssh', 'known_hosts'), known);
    let asked = false;
    const err = await failure(connectSsh('r', spec(router), { local: l, onUnknownHostKey: async () => (asked = true) }));
    expect(err.message).toMatch(new RegExp(`^HOST KEY CHANGED for \\[127\\.0\\.0\\.1\\]:${router.port}: the host presents ssh-ed25519 ${router.fingerprint.replace(/[+/]/g, '\\$&')}, but \\S+known_hosts:1 says ssh-rsa SHA256:\\S+ \\(a key of another type\\)`));
    expect(err.message).toContain('--accept-new does not override this');
    expect(asked).toBe(false);
    expect(readFileSync(join(l.env.home, '.ssh', 'known_hosts'), 'utf8')).toBe(known);
  });

  it('a host with several keys shows the type we know (known types are asked for first, as OpenSSH does)', async () => {
    const l = local();
    mkdirSync(join(l.env.home, '.ssh'));
    writeFileSync(join(l.env.home, '.ssh', 'known_hosts'), `[127.0.0.1]:${twoKeys.port} ${rsaPublic}\n`);
    const t = await connectSsh('r', spec(twoKeys), { local: l });
    await t.close();
  });

  it('a key in the inventory\'s known_hosts file is enough', async () => {
    const l = local();
    const file = join(l.env.home, 'inventory_known_hosts');
    writeFileSync(file, `[127.0.0.1]:${router.port} ${router.publicKey}\n`);
    const t = await connectSsh('r', spec(router, { knownHostsFile: file }), { local: l });
    await t.close();
  });
});

describe('keys, agent and passphrases', () => {
  it('no key file and no agent: a clear error before any contact', async () => {
    const err = await failure(connectSsh('r', spec(router, { privateKeyFile: undefined }), { local: local({ known: [router] }) }));
    expect(err.message).toMatch(/cannot log in to root@127\.0\.0\.1:\d+: no key file is named, none of ~\/\.ssh\/id_rsa, id_ecdsa, id_ed25519 exists, and no ssh-agent runs/);
  });

  it('a named key file that does not exist: the hint is to fix its path, not to name one', async () => {
    const err = await failure(connectSsh('r', spec(router, { privateKeyFile: join(dir, 'no-such-key') }), { local: local({ known: [router] }) }));
    expect(err.message).toContain(`cannot read ${join(dir, 'no-such-key')}: ENOENT`);
    expect((err as { hint?: string }).hint).toMatch(/^fix the key file named by ansible_ssh_private_key_file .*its path, or its mode/);
  });

  it('an encrypted key without a passphrase: exit-3 error naming both ways', async () => {
    const err = await failure(connectSsh('r', spec(router, { privateKeyFile: join(dir, 'locked') }), { local: local({ known: [router] }) }));
    expect(err.exitCode).toBe(3);
    expect(err.message).toContain(`${join(dir, 'locked')} is encrypted and no passphrase was given`);
    expect(err.hint).toMatch(/TEQLCTL_SSH_PASSPHRASE.*--key-passphrase-file FILE/);
  });

  it('the passphrase given up front unlocks it; a wrong one is named', async () => {
    const t = await connectSsh('r', spec(router, { privateKeyFile: join(dir, 'locked') }), { local: local({ known: [router] }), keyPassphrase: 'secretpass' });
    await t.close();
    const err = await failure(connectSsh('r', spec(router, { privateKeyFile: join(dir, 'locked') }), { local: local({ known: [router] }), keyPassphrase: 'nope' }));
    expect(err.message).toMatch(/encrypted, and the passphrase given does not unlock it/);
  });

  it('asked only when nothing else got in', async () => {
    const asked: string[] = [];
    const ask = async (file: string) => { asked.push(file); return 'secretpass'; };
    // The plain key gets in: no question.
    const cfg = `Host r\n  HostName 127.0.0.1\n  Port ${router.port}\n  IdentityFile ${join(dir, 'locked')}\n  IdentityFile ${join(dir, 'login')}\n`;
    const t1 = await connectSsh('r', { host: 'r', user: 'root', become: false, becomeUser: 'root' }, { local: local({ known: [router], config: cfg }), askKeyPassphrase: ask });
    await t1.close();
    expect(asked).toEqual([]);
    // Only the encrypted key: asked once, then in.
    const t2 = await connectSsh('r', spec(router, { privateKeyFile: join(dir, 'locked') }), { local: local({ known: [router] }), askKeyPassphrase: ask });
    await t2.close();
    expect(asked).toEqual([join(dir, 'locked')]);
  });

  it('a named key file that cannot be used is said as a warning when another key gets in, as ssh warns of it', async () => {
    const said: string[] = [];
    const t = await connectSsh('r', spec(router, { privateKeyFile: join(dir, 'no-such-key'), argIdentityFiles: [join(dir, 'login')] }), { local: local({ known: [router] }), warn: (l) => said.push(l) });
    await t.close();
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`^r: warning: cannot read ${join(dir, 'no-such-key')}: ENOENT.* \\(logged in to root@127\\.0\\.0\\.1:${router.port} without it\\)$`));
    // Nothing to say when every key named is usable.
    const quiet: string[] = [];
    await (await connectSsh('r', spec(router), { local: local({ known: [router] }), warn: (l) => quiet.push(l) })).close();
    expect(quiet).toEqual([]);
  });

  it('ConnectTimeout and AddressFamily inet of ssh_config: the connection is made by teqlctl, in that family, and the login goes on', async () => {
    const cfg = `Host r\n  HostName localhost\n  Port ${router.port}\n  ConnectTimeout 5\n  AddressFamily inet\n`;
    const known: FakeSshd[] = [];
    const home = local({ config: cfg, known });
    writeFileSync(join(home.env.home, '.ssh', 'known_hosts'), `[localhost]:${router.port} ${router.publicKey}\n`);
    const t = await connectSsh('r', { host: 'r', user: 'root', become: false, becomeUser: 'root', privateKeyFile: join(dir, 'login') }, { local: home });
    expect((await t.run('t', 'echo hi\n')).stdout).toContain('echo hi');
    await t.close();
    // inet6: localhost as ::1 only, where the server (127.0.0.1) does not listen.
    const v6 = local({ config: cfg.replace('inet', 'inet6'), known });
    writeFileSync(join(v6.env.home, '.ssh', 'known_hosts'), `[localhost]:${router.port} ${router.publicKey}\n`);
    const err = await failure(connectSsh('r', { host: 'r', user: 'root', become: false, becomeUser: 'root', privateKeyFile: join(dir, 'login') }, { local: v6 }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).not.toMatch(/127\.0\.0\.1/);
  });

  it('a rejected key says what was offered', async () => {
    const stranger = ed25519KeyPair();
    writeFileSync(join(dir, 'stranger'), stranger.private, { mode: 0o600 });
    const err = await failure(connectSsh('r', spec(router, { privateKeyFile: join(dir, 'stranger') }), { local: local({ known: [router] }) }));
    expect(err.message).toBe(`authentication as root to root@127.0.0.1:${router.port} failed (offered: ${join(dir, 'stranger')})`);
  });
});

describe('ssh_config and ProxyJump', () => {
  it('an alias with HostName, Port, User and IdentityFile', async () => {
    const cfg = `Host lab-*\n  User root\nHost lab-a\n  HostName 127.0.0.1\n  Port ${router.port}\n  IdentityFile ${join(dir, 'login')}\n`;
    const t = await connectSsh('router_a', { host: 'lab-a', become: false, becomeUser: 'root' }, { local: local({ known: [router], config: cfg }) });
    expect((await t.run('x', 'id\n')).stdout).toBe('router ran as root: id\n');
    await t.close();
  });

  it('one hop: through the jump host to the target, both keys checked', async () => {
    const cfg = [
      `Host j\n  HostName 127.0.0.1\n  Port ${jump.port}\n  User root\n  IdentityFile ${join(dir, 'login')}`,
      `Host target\n  HostName 127.0.0.1\n  Port ${router.port}\n  ProxyJump j\n  IdentityFile ${join(dir, 'login')}`,
    ].join('\n');
    const t = await connectSsh('r', { host: 'target', user: 'root', become: false, becomeUser: 'root' }, { local: local({ known: [jump, router], config: cfg }) });
    expect((await t.run('x', 'hostname\n')).stdout).toBe('router ran as root: hostname\n');
    await t.close();
    expect(jump.forwards.at(-1)).toBe(`127.0.0.1:${router.port}`);

    const err = await failure(connectSsh('r', { host: 'target', user: 'root', become: false, becomeUser: 'root' }, { local: local({ known: [router], config: cfg }) }));
    expect(err.message).toMatch(new RegExp(`unknown host key for \\[127\\.0\\.0\\.1\\]:${jump.port} \\(j\\)`));

    // Trust on first use asks for each unknown key, saying which one is the jump host's (the wizard's question).
    const asked: [string, boolean][] = [];
    const trusted = await connectSsh('r', { host: 'target', user: 'root', become: false, becomeUser: 'root' }, { local: local({ config: cfg }), onUnknownHostKey: async (_fp, label, jumpHost) => (asked.push([label, jumpHost]), true) });
    await trusted.close();
    expect(asked).toEqual([[`[127.0.0.1]:${jump.port}`, true], [`[127.0.0.1]:${router.port}`, false]]);
  });

  it('a jump host that cannot reach the target says so', async () => {
    const cfg = `Host j\n  HostName 127.0.0.1\n  Port ${jump.port}\n  User root\n  IdentityFile ${join(dir, 'login')}\nHost dead\n  HostName 127.0.0.1\n  Port 1\n  ProxyJump j\n`;
    const err = await failure(connectSsh('r', { host: 'dead', user: 'root', privateKeyFile: join(dir, 'login'), become: false, becomeUser: 'root' }, { local: local({ known: [jump], config: cfg }), readyTimeoutMs: 3000 }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toMatch(/127\.0\.0\.1:1/);
  });
});

describe('become', () => {
  const op = (over: Partial<ConnectionSpec> = {}) => spec(sudoRouter, { user: 'operator', become: true, ...over });
  const opts = (over: ConnectOptions = {}): ConnectOptions => ({ local: local({ known: [sudoRouter] }), strictBecome: true, ...over });

  it('sudo that wants a password: it goes on stdin only, once sudo asked with a prompt of its own, and sudo reads it', async () => {
    const before = sudoRouter.execs.length;
    const t = await connectSsh('r', op(), opts({ becomePassword: 'correct horse' }));
    // A script that runs `ip`: it gets the iproute2 preamble (usesIproute2), after the password.
    const res = await t.run('facts', 'echo hi; ip -j link show\n');
    await t.close();
    expect(res.stdout).toBe('sudo-router ran as root: echo hi; ip -j link show\n');
    const execs = sudoRouter.execs.slice(before);
    const prompt = /-p '(\[teqlctl-sudo-[0-9a-f]{24}\])'/;
    expect(execs.map((e) => e.command.replace(prompt, "-p 'P'"))).toEqual([
      bounded(30, 'env LC_ALL=C LANG=C LANGUAGE= sudo -k -n true'),
      `${bounded(30, `env LC_ALL=C LANG=C LANGUAGE= sudo -k -S -p 'P' true`)}`,
      `sudo -k -S -p 'P' env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(120, '/bin/sh -s')}`,
    ]);
    expect(prompt.exec(execs[1]!.command)![1], 'a new prompt per command').not.toBe(prompt.exec(execs[2]!.command)![1]);
    for (const e of execs) expect(e.command).not.toContain('correct horse');
    expect(execs[2]!.stdin).toBe(`correct horse\n${iproute2Preamble(undefined, { announce: true })}\necho hi; ip -j link show\n`);
    for (const e of execs) expect(e.beforePrompt, 'nothing written before sudo asked').toBe('');
    expect(res.script).not.toContain('correct horse');
    expect(res.stderr, "sudo's prompt is cut out").toBe('');
  });

  it('doas with a nopass rule: the script runs through doas -n, the same way as sudo', async () => {
    const before = router.execs.length;
    const t = await connectSsh('b', spec(router, { user: 'operator', become: true, becomeMethod: 'doas' }), { local: local({ known: [router] }), strictBecome: true });
    const res = await t.run('facts', 'echo hi\n');
    await t.close();
    expect(res.stdout).toContain('ran as root: echo hi\n');
    expect(router.execs.slice(before).map((e) => e.command)).toEqual([bounded(30, 'env LC_ALL=C LANG=C LANGUAGE= doas -n true'), `doas -n env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(120, '/bin/sh -s')}`]);
    // Neither ip nor tc in it: sent as it is, without the iproute2 preamble's two processes.
    expect(router.execs.at(-1)!.stdin).toBe('echo hi\n');
  });

  it('doas that wants a password: exit 3 at connect time, saying doas reads it from a terminal only and what to do', async () => {
    const err = await failure(connectSsh('r', op({ becomeMethod: 'doas' }), opts({ becomePassword: 'correct horse' })));
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/become: doas on .* asks for a password; doas reads it from a terminal only/);
    expect(err.hint).toMatch(/permit nopass/);
    expect(`${err.message} ${err.hint}`).not.toContain('correct horse');
  });

  it('a missing password is an exit-3 error at connect time, naming the ways to give one', async () => {
    const err = await failure(connectSsh('r', op(), opts()));
    expect(err.exitCode).toBe(3);
    expect(err.message).toMatch(/become: sudo on .* asks for a password, and none was given/);
    expect(err.hint).toMatch(/TEQLCTL_BECOME_PASSWORD.*--become-password-file FILE/);
  });

  it('a wrong password is an exit-3 error that does not repeat it', async () => {
    const err = await failure(connectSsh('r', op(), opts({ becomePassword: 'wrong battery' })));
    expect(err.message).toMatch(/rejected the become password/);
    expect(`${err.message} ${err.hint}`).not.toContain('wrong battery');
  });

  it('asked once, only where sudo wants it; NOPASSWD hosts never receive it', async () => {
    let asked = 0;
    const ask = async () => { asked++; return 'correct horse'; };
    const before = router.execs.length;
    const nopasswd = await connectSsh('b', spec(router, { user: 'operator', become: true }), { local: local({ known: [router] }), strictBecome: true, askBecomePassword: ask });
    await nopasswd.run('x', 'true\n');
    await nopasswd.close();
    expect(asked).toBe(0);
    expect(router.execs.slice(before).map((e) => e.command)).toEqual([bounded(30, 'env LC_ALL=C LANG=C LANGUAGE= sudo -k -n true'), `sudo -n env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(120, '/bin/sh -s')}`]);
    const t = await connectSsh('a', op(), opts({ askBecomePassword: ask }));
    await t.close();
    expect(asked).toBe(1);
  });

  it('no sudo when the login user is already the become user', async () => {
    const before = router.execs.length;
    const t = await connectSsh('r', spec(router, { become: true }), { local: local({ known: [router] }), strictBecome: true });
    await t.run('x', 'true\n');
    await t.close();
    expect(router.execs.slice(before).map((e) => e.command)).toEqual([bounded(120, '/bin/sh -s')]);
  });
});

describe('a connection that dies', () => {
  it('closed by the peer under a running command: run() rejects with "connection lost"', async () => {
    const t = await connectSsh('r', spec(router), { local: local({ known: [router] }) });
    const err = await failure(t.run('apply', 'DROP\n'));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.message).toMatch(/^connection lost/);
    // And every later run fails at once instead of waiting.
    await expect(t.run('x', 'true\n')).rejects.toThrow(/connection lost/);
    await t.close();
  });

  it('a command that never answers is stopped at teqlctl\'s own deadline (the timeout plus a margin), whatever the router has', async () => {
    const t = await connectSsh('r', spec(router), { local: local({ known: [router] }) });
    const started = Date.now();
    const err = await failure(t.run('apply', 'HANG\n', 1));
    expect(err.message).toMatch(/no answer within 2 s \(the command was stopped\)/);
    expect(err.exitCode).toBe(3);
    expect(Date.now() - started).toBeLessThan(5000);
    await t.close();
  });

  it('a peer gone silent (no FIN): keepalives notice, and the pending run rejects', async () => {
    const relay = await startRelay(router.port);
    const l = local();
    mkdirSync(join(l.env.home, '.ssh'));
    writeFileSync(join(l.env.home, '.ssh', 'known_hosts'), `[127.0.0.1]:${relay.port} ${router.publicKey}\n`);
    const t = await connectSsh('r', spec(router, { port: relay.port }), { local: l, keepaliveIntervalMs: 100, keepaliveCountMax: 2 });
    const pending = t.run('apply', 'HANG\n');
    await new Promise((r) => setTimeout(r, 50));
    relay.blackHole();
    const started = Date.now();
    const err = await failure(pending);
    expect(err.message).toMatch(/^connection lost: Keepalive timeout/);
    expect(Date.now() - started).toBeLessThan(3000);
    await t.close();
    relay.close();
  });
});

describe('a staged round trip (apply, barrier, checks) on a shell that reads its script as it comes', () => {
  const first = 'echo applied > "$D/applied"; echo applied\nprintf \'%s\\n\' M\n';
  const cases: Array<[string, () => FakeSshd, Partial<ConnectionSpec>, ConnectOptions]> = [
    ['as root', () => shellRouter, {}, {}],
    ['through sudo with a password', () => sudoShell, { user: 'operator', become: true }, { strictBecome: true, becomePassword: 'correct horse' }],
  ];
  it.each(cases)('%s: the shell runs the first part, waits at the marker, then runs what the controller sends, in one round trip', async (_n, server, over, o) => {
    const d = mkdtempSync(join(dir, 'staged-'));
    const t = await connectSsh('r', spec(server(), over), { local: local({ known: [server()] }), ...o });
    const trips = t.stats.roundTrips;
    const s = t.runStaged!('apply', `D=${d}\n${first}`, 'M');
    expect(await s.reached).toEqual({ stdout: 'applied\nM\n' });
    expect(readFileSync(join(d, 'applied'), 'utf8')).toBe('applied\n');
    await new Promise((r) => setTimeout(r, 200));
    expect(() => statSync(join(d, 'checked')), 'nothing after the marker ran yet').toThrow();
    const res = await s.finish('echo checked > "$D/checked"; echo checked\n');
    expect(res).toMatchObject({ code: 0, stdout: 'applied\nM\nchecked\n', label: 'apply' });
    expect(statSync(join(d, 'checked')).isFile()).toBe(true);
    expect(t.stats.roundTrips - trips).toBe(1);
    await t.close();
  });

  it('finished with nothing, the shell ends there; a script that ends before its marker says so at once', async () => {
    const t = await connectSsh('r', spec(shellRouter), { local: local({ known: [shellRouter] }) });
    const s = t.runStaged!('apply', 'echo one\nprintf \'%s\\n\' M\n', 'M');
    await s.reached;
    expect(await s.finish('')).toMatchObject({ code: 0, stdout: 'one\nM\n' });
    const early = t.runStaged!('apply', 'echo failed; exit 1\nprintf \'%s\\n\' M\n', 'M');
    const r = await early.reached;
    expect(r.ended).toMatchObject({ code: 1, stdout: 'failed\n' });
    expect(await early.finish('')).toMatchObject({ code: 1 });
    await t.close();
  });
});

describe("a router whose timeout is an older BusyBox's (it wants -t SECS)", () => {
  it('the first command, refused before it ran, is sent again with -t; every later one has -t at once', async () => {
    const old = await startFakeSshd({ name: 'old-busybox', authorized: [pub(login)], oldTimeout: true });
    try {
      const t = await connectSsh('r', spec(old), { local: local({ known: [old] }) });
      const first = await t.run('facts', 'echo hi\n');
      const second = await t.run('apply', 'echo again\n', 60);
      await t.close();
      expect(first).toMatchObject({ code: 0, stdout: 'old-busybox ran as root: echo hi\n', stderr: '' });
      expect(second).toMatchObject({ code: 0, stdout: 'old-busybox ran as root: echo again\n' });
      expect(old.execs.map((e) => e.command)).toEqual([bounded(120, '/bin/sh -s'), bounded(120, '/bin/sh -s', 'dash-t'), bounded(60, '/bin/sh -s', 'dash-t')]);
      expect(old.execs[1]!.stdin, 'the script, sent whole the second time').toBe('echo hi\n');
    } finally {
      await old.close();
    }
  });

  it('two commands sent at once before it is learnt are both sent again with -t (a review)', async () => {
    const old = await startFakeSshd({ name: 'old-busybox', authorized: [pub(login)], oldTimeout: true });
    try {
      const t = await connectSsh('r', spec(old), { local: local({ known: [old] }) });
      const [a, b] = await Promise.all([t.run('facts', 'echo a\n'), t.run('facts', 'echo b\n')]);
      await t.close();
      expect([a.code, a.stdout, b.code, b.stdout]).toEqual([0, 'old-busybox ran as root: echo a\n', 0, 'old-busybox ran as root: echo b\n']);
    } finally {
      await old.close();
    }
  });

  it("become's probe learns it the same way (sudo -n under -t)", async () => {
    const old = await startFakeSshd({ name: 'old-busybox', authorized: [pub(login)], oldTimeout: true });
    try {
      const t = await connectSsh('r', spec(old, { user: 'operator', become: true }), { local: local({ known: [old] }), strictBecome: true });
      const res = await t.run('facts', 'echo hi\n');
      await t.close();
      expect(res.stdout).toBe('old-busybox ran as root: echo hi\n');
      expect(old.execs.map((e) => e.command)).toEqual([bounded(30, 'env LC_ALL=C LANG=C LANGUAGE= sudo -k -n true'), bounded(30, 'env LC_ALL=C LANG=C LANGUAGE= sudo -k -n true', 'dash-t'), `sudo -n env SSH_CONNECTION="$SSH_CONNECTION" ${bounded(120, '/bin/sh -s', 'dash-t')}`]);
    } finally {
      await old.close();
    }
  });

  it('a staged first command (the facts, a confirmation on its fresh connection) is sent again whole, its rest after the marker', async () => {
    const old = await startFakeSshd({ name: 'old-shell', authorized: [pub(login)], oldTimeout: true, shell: true });
    try {
      const t = await connectSsh('r', spec(old), { local: local({ known: [old] }) });
      const s = t.runStaged!('facts', "echo facts\nprintf '%s\\n' M\n", 'M');
      expect(await s.reached).toEqual({ stdout: 'facts\nM\n' });
      expect(await s.finish('echo pings\n')).toMatchObject({ code: 0, stdout: 'facts\nM\npings\n' });
      await t.close();
      expect(old.execs.map((e) => e.command)).toEqual([bounded(120, '/bin/sh -s')]);
    } finally {
      await old.close();
    }
  });
});
