// The order in which a login offers keys, as the server sees it, against a real ssh-agent and the
// real ssh as reference: OpenSSH 9.2 offers the agent's keys of files named first, then its other
// keys, then the files it does not hold. teqlctl offered its files first until a review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalSsh } from '../../src/connect/local-ssh.js';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { connectSsh } from '../../src/connect/ssh-transport.js';
import type { ConnectionSpec } from '../../src/load/types.js';
import { ed25519KeyPair } from '../helpers/keys.js';
import { startFakeSshd, type FakeSshd } from './fake-sshd.js';

const blob = (k: { public: string }) => k.public.split(' ')[1]!;
const [inAgent, both, fileOnly] = [ed25519KeyPair(), ed25519KeyPair(), ed25519KeyPair()];
let dir: string;
let server: FakeSshd;
let agent: { sock: string; pid: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teqlctl-keyorder-'));
  // Authorizes no key: every key offered is seen, in order.
  server = await startFakeSshd({ name: 'router', authorized: [] });
  const started = spawnSync('ssh-agent', ['-s'], { encoding: 'utf8' });
  agent = { sock: /SSH_AUTH_SOCK=([^;]+);/.exec(started.stdout)![1]!, pid: Number(/SSH_AGENT_PID=(\d+);/.exec(started.stdout)![1]) };
  for (const [name, k] of [['in-agent', inAgent], ['both', both], ['file-only', fileOnly]] as const) writeFileSync(join(dir, name), k.private, { mode: 0o600 });
  for (const name of ['in-agent', 'both']) execFileSync('ssh-add', ['-q', join(dir, name)], { env: { ...process.env, SSH_AUTH_SOCK: agent.sock } });
});

afterAll(async () => {
  process.kill(agent.pid);
  await server.close();
});

/** The files named: one the agent does not hold, then one it holds. */
const files = () => [join(dir, 'file-only'), join(dir, 'both')];

function local(extra: string): LocalSsh {
  const home = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${server.port} ${server.publicKey}\n`);
  const config = `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n${files().map((f) => `  IdentityFile ${f}\n`).join('')}${extra}`;
  return { env: { home, localUser: 'me', exists: () => false }, config: parseSshConfig(config, join(home, '.ssh', 'config')), agent: agent.sock };
}

const spec: ConnectionSpec = { host: 'r', user: 'root', become: false, becomeUser: 'root' };

async function offeredBy(run: () => Promise<unknown>): Promise<string[]> {
  const before = server.keysOffered.length;
  await run().catch(() => undefined);
  return server.keysOffered.slice(before);
}

/** What the real ssh offers with the same files and agent. */
const bySsh = (identitiesOnly: boolean) => offeredBy(async () => {
  const args = ['-F', '/dev/null', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', `IdentitiesOnly=${identitiesOnly ? 'yes' : 'no'}`,
    ...files().flatMap((f) => ['-i', f]), '-p', String(server.port), '-l', 'root', '127.0.0.1', 'true'];
  // Not spawnSync: the server runs in this process.
  await promisify(execFile)('ssh', args, { env: { ...process.env, SSH_AUTH_SOCK: agent.sock }, timeout: 20_000 });
});

describe('the order keys are offered in, as ssh offers them (a review)', () => {
  it("the agent's key of a file named first, then the agent's other key, then the file it does not hold", async () => {
    const offered = await offeredBy(() => connectSsh('r', spec, { local: local('') }));
    expect(offered).toEqual([blob(both), blob(inAgent), blob(fileOnly)]);
    expect(await bySsh(false)).toEqual(offered);
  });

  it("IdentitiesOnly yes: the agent's keys of the files named, in the agent's order, then the file it does not hold", async () => {
    const offered = await offeredBy(() => connectSsh('r', spec, { local: local('  IdentitiesOnly yes\n') }));
    expect(offered).toEqual([blob(both), blob(fileOnly)]);
    expect(await bySsh(true)).toEqual(offered);
  });

  it('an agent that does not answer: the files are offered all the same, in their order, as by ssh', async () => {
    const l = { ...local(''), agent: join(dir, 'no-agent.sock') };
    expect(await offeredBy(() => connectSsh('r', spec, { local: l }))).toEqual([blob(fileOnly), blob(both)]);
  });

  it('the failure says what was offered, the agent first', async () => {
    const err = await connectSsh('r', spec, { local: local('') }).then(() => undefined, (e: Error) => e);
    expect(err?.message).toBe(`authentication as root to r (root@127.0.0.1:${server.port}) failed (offered: ssh-agent, ${files().join(', ')})`);
  });
});
