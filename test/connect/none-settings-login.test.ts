// `none` settings of ssh_config and the default key files, through teqlctl's own reader of
// ssh_config (no ssh client), as a user sees them at login against an in-process SSH server:
// UserKnownHostsFile none, IdentityAgent none, IdentityFile none, a default security key (a review).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalSsh } from '../../src/connect/local-ssh.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { connectSsh } from '../../src/connect/ssh-transport.js';
import type { ConnectError } from '../../src/errors.js';
import type { ConnectionSpec } from '../../src/load/types.js';
import { ed25519KeyPair } from '../helpers/keys.js';
import { startFakeSshd, type FakeSshd } from './fake-sshd.js';

const login = ed25519KeyPair();
let dir: string;
let server: FakeSshd;
let agent: { sock: string; pid: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teqlctl-none-'));
  server = await startFakeSshd({ name: 'router', authorized: [login.public] });
  const started = spawnSync('ssh-agent', ['-s'], { encoding: 'utf8' });
  agent = { sock: /SSH_AUTH_SOCK=([^;]+);/.exec(started.stdout)![1]!, pid: Number(/SSH_AGENT_PID=(\d+);/.exec(started.stdout)![1]) };
  writeFileSync(join(dir, 'login'), login.private, { mode: 0o600 });
  execFileSync('ssh-add', ['-q', join(dir, 'login')], { env: { ...process.env, SSH_AUTH_SOCK: agent.sock } });
});

afterAll(async () => {
  process.kill(agent.pid);
  await server.close();
});

/** A home whose ~/.ssh holds `keys` (name: private key text) and a known_hosts that knows the server. */
function local(config: string, opts: { keys?: Record<string, string>; agent?: boolean } = {}): LocalSsh {
  const home = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${server.port} ${server.publicKey}\n`);
  for (const [name, text] of Object.entries(opts.keys ?? {})) writeFileSync(join(home, '.ssh', name), text, { mode: 0o600 });
  const text = `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n${config}`;
  return { env: { home, localUser: 'me', exists: existsSync }, config: parseSshConfig(text, join(home, '.ssh', 'config')), ...(opts.agent ? { agent: agent.sock } : {}) };
}

const spec: ConnectionSpec = { host: 'r', user: 'root', become: false, becomeUser: 'root' };
const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e as ConnectError);

describe('UserKnownHostsFile none (own reader)', () => {
  it('~/.ssh/known_hosts is not read: the key it lists is unknown, as to ssh', async () => {
    const err = await failure(connectSsh('r', spec, { local: local(`  UserKnownHostsFile none\n  IdentityFile ${join(dir, 'login')}\n`) }));
    expect(err.message).toContain(`unknown host key for [127.0.0.1]:${server.port}`);
    expect(err.message).not.toContain('.ssh/known_hosts');
  });

  it('--accept-new trusts the key for this run only and says so; nothing is written to ~/.ssh/known_hosts', async () => {
    const l = local(`  UserKnownHostsFile none\n  IdentityFile ${join(dir, 'login')}\n`);
    writeFileSync(join(l.env.home, '.ssh', 'known_hosts'), '');
    const said: string[] = [];
    const t = await connectSsh('r', spec, { local: l, onUnknownHostKey: async () => true, warn: (w) => said.push(w) });
    await t.close();
    expect(said).toContain(`r: warning: the host key of [127.0.0.1]:${server.port} is trusted for this run only: ssh_config sets UserKnownHostsFile none for r, so it is recorded nowhere`);
    expect(readFileSync(join(l.env.home, '.ssh', 'known_hosts'), 'utf8')).toBe('');
  });
});

describe('IdentityAgent none and IdentityFile none (own reader)', () => {
  it('IdentityAgent none: the agent (which holds the key) is not asked, so no key logs in', async () => {
    const err = await failure(connectSsh('r', spec, { local: local('  IdentityAgent none\n', { agent: true }) }));
    expect(err.message).toMatch(/^cannot log in to r \(root@127\.0\.0\.1:\d+\): no key file is named, none of .* exists, and ssh_config leaves the agent out \(IdentityAgent none, or a socket that is not there\)$/);
    // Without it, the same agent logs in.
    await (await connectSsh('r', spec, { local: local('', { agent: true }) })).close();
  });

  it('IdentityFile none: ~/.ssh/id_ed25519 is not offered, and the error names the setting', async () => {
    const err = await failure(connectSsh('r', spec, { local: local('  IdentityFile none\n', { keys: { id_ed25519: login.private } }) }));
    expect(err.message).toMatch(/^cannot log in to r \(root@127\.0\.0\.1:\d+\): ssh_config sets IdentityFile none \(no key file, not even ~\/\.ssh\/id_\*\), and no ssh-agent is asked$/);
    // The agent's keys are still offered, as by ssh.
    await (await connectSsh('r', spec, { local: local('  IdentityFile none\n', { agent: true }) })).close();
  });
});

describe('default key files', () => {
  it('a default security key (id_ed25519_sk) is said as a warning when another key logs in, not skipped silently', async () => {
    const said: string[] = [];
    const l = local('', { keys: { id_ed25519_sk: 'not read\n', id_ed25519: login.private } });
    await (await connectSsh('r', spec, { local: l, warn: (w) => said.push(w) })).close();
    expect(said).toEqual([`r: warning: ${l.env.home}/.ssh/id_ed25519_sk is a security key (FIDO) key ssh would offer by default; teqlctl's SSH client cannot use it, so it is not offered (name another key with IdentityFile) (logged in to r (root@127.0.0.1:${server.port}) without it)`]);
  });
});
