// An agent that hangs or fails to sign does not stop a login a ready key file can make: the keys go
// through one agent method in ssh's order (ordered-agent.ts), and a hung agent held the login until
// the handshake timed out, a failed signature ended it (node-ssh stops at the first error; a review).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshConfig } from '../../src/connect/ssh-config.js';
import { connectSsh } from '../../src/connect/ssh-transport.js';
import { AGENT_LIST_MS } from '../../src/connect/ordered-agent.js';
import { ed25519KeyPair } from '../helpers/keys.js';
import { startFakeSshd } from './fake-sshd.js';

async function loginWith(agentSocket: string, keyFile: string, key: { public: string }) {
  const server = await startFakeSshd({ name: 'router', authorized: [key.public] });
  const home = mkdtempSync(join(tmpdir(), 'teqlctl-agent-home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${server.port} ${server.publicKey}\n`);
  const cfg = `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ${keyFile}\n`;
  const local = { env: { home, localUser: 'me', exists: () => false }, config: parseSshConfig(cfg, join(home, '.ssh', 'config')), agent: agentSocket };
  const started = Date.now();
  try {
    const t = await connectSsh('r', { host: 'r', user: 'root', become: false, becomeUser: 'root' } as never, { local } as never);
    await t.close();
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, message: (err as Error).message };
  } finally {
    await server.close();
  }
}

describe('a login through an agent that fails', () => {
  it('an agent socket that never answers: the key file logs in once the agent is given up', async () => {
    const right = ed25519KeyPair();
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-agent-hung-'));
    writeFileSync(join(dir, 'right'), right.private, { mode: 0o600 });
    const sock = join(dir, 'agent.sock');
    const hung = createServer(() => undefined);
    await new Promise<void>((r) => hung.listen(sock, r));
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => (said.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const r = await loginWith(sock, join(dir, 'right'), right);
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
      expect(r.ms).toBeGreaterThanOrEqual(AGENT_LIST_MS - 100);
      // Said, and not waited for again: a fleet's every login paid the 5 s, without a word.
      const again = await loginWith(sock, join(dir, 'right'), right);
      expect(again, JSON.stringify(again)).toMatchObject({ ok: true });
      expect(again.ms).toBeLessThan(AGENT_LIST_MS - 1000);
      expect(said.filter((l) => l.includes(sock))).toEqual([
        `the SSH agent at ${sock} did not list its keys within 5 s: logging in with key files only, without it, for the next minute (a stale SSH_AUTH_SOCK or IdentityAgent, or an agent waiting for a PIN?)\n`,
      ]);
    } finally {
      process.stderr.write = write;
      hung.close();
    }
  }, 30_000);

  it('an agent that holds the file\'s key and refuses to sign with it (ssh-add -c, its confirmation failing): the file signs', async () => {
    const right = ed25519KeyPair();
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-agent-fail-'));
    writeFileSync(join(dir, 'right'), right.private, { mode: 0o600 });
    const started = spawnSync('ssh-agent', ['-s'], { encoding: 'utf8' });
    const sock = /SSH_AUTH_SOCK=([^;]+);/.exec(started.stdout)![1]!;
    const pid = Number(/SSH_AGENT_PID=(\d+);/.exec(started.stdout)![1]);
    try {
      execFileSync('ssh-add', ['-q', '-c', join(dir, 'right')], { env: { ...process.env, SSH_AUTH_SOCK: sock, SSH_ASKPASS: '/bin/false', SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':99' } });
      const r = await loginWith(sock, join(dir, 'right'), right);
      expect(r, JSON.stringify(r)).toMatchObject({ ok: true });
    } finally {
      process.kill(pid);
    }
  }, 30_000);
});
