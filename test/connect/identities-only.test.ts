// IdentitiesOnly yes, against an in-process SSH server and a real ssh-agent: of the agent's keys,
// only those of the key files named are offered (ssh's rule), so a server's MaxAuthTries is not
// spent on the agent's other keys. From ssh_config and from -o in ansible_ssh_common_args.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
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
const right = ed25519KeyPair();
const strangers = Array.from({ length: 4 }, () => ed25519KeyPair());
let dir: string;
let server: FakeSshd;
let agent: { sock: string; pid: number };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'teqlctl-idonly-'));
  server = await startFakeSshd({ name: 'router', authorized: [right.public] });
  const started = spawnSync('ssh-agent', ['-s'], { encoding: 'utf8' });
  agent = { sock: /SSH_AUTH_SOCK=([^;]+);/.exec(started.stdout)![1]!, pid: Number(/SSH_AGENT_PID=(\d+);/.exec(started.stdout)![1]) };
  // The strangers first: the agent lists keys in the order they were added.
  for (const [i, k] of [...strangers, right].entries()) {
    const file = join(dir, `agent-key-${i}`);
    writeFileSync(file, k.private, { mode: 0o600 });
    execFileSync('ssh-add', ['-q', file], { env: { ...process.env, SSH_AUTH_SOCK: agent.sock } });
  }
  // The right key's file, encrypted (teqlctl has no passphrase for it), with its .pub beside it.
  writeFileSync(join(dir, 'right'), right.private, { mode: 0o600 });
  execFileSync('ssh-keygen', ['-q', '-p', '-P', '', '-N', 'secretpass', '-f', join(dir, 'right')]);
  writeFileSync(join(dir, 'right.pub'), right.public);
  writeFileSync(join(dir, 'plain'), strangers[0]!.private, { mode: 0o600 });
  // The same encrypted key without its .pub (its OpenSSH header still names its public half), and
  // the public half alone, as agent-only keys are named (IdentityFile ~/.ssh/key.pub).
  execFileSync('cp', [join(dir, 'right'), join(dir, 'right-alone')]);
  writeFileSync(join(dir, 'agent-only.pub'), right.public);
});

afterAll(async () => {
  process.kill(agent.pid);
  await server.close();
});

function local(config = ''): LocalSsh {
  const home = mkdtempSync(join(dir, 'home-'));
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), `[127.0.0.1]:${server.port} ${server.publicKey}\n`);
  return { env: { home, localUser: 'me', exists: () => false }, config: parseSshConfig(config, join(home, '.ssh', 'config')), agent: agent.sock };
}

const spec = (over: Partial<ConnectionSpec> = {}): ConnectionSpec => ({ host: 'r', user: 'root', become: false, becomeUser: 'root', ...over });
/** Naming the agent's first key (a stranger's): with IdentitiesOnly no, the agent's others follow it. */
const plainBlock = (extra: string) => `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ${join(dir, 'plain')}\n${extra}`;
const hostBlock = (extra: string) => `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ${join(dir, 'right')}\n${extra}`;

/** The keys the server saw offered by one connection. */
async function offeredBy(connect: () => Promise<{ close(): Promise<void> }>): Promise<string[]> {
  const before = server.keysOffered.length;
  const t = await connect();
  await t.close();
  return server.keysOffered.slice(before);
}

describe('IdentitiesOnly', () => {
  it('without it, every key the agent holds is offered, in the agent order, the agent key of a file named first (as ssh)', async () => {
    // The file named is the agent's first key: then the agent's order is ssh's order.
    const offered = await offeredBy(() => connectSsh('r', spec(), { local: local(plainBlock('')) }));
    expect(offered).toEqual([...strangers, right].map(blob));
    // The right key's file named: its agent key goes first, as ssh offers it; it was offered last,
    // after the strangers, until a review (key-order.test.ts compares with ssh itself).
    expect(await offeredBy(() => connectSsh('r', spec(), { local: local(hostBlock('')) }))).toEqual([blob(right)]);
  });

  it('yes in ssh_config: only the agent key of the encrypted file named (found by its .pub)', async () => {
    const offered = await offeredBy(() => connectSsh('r', spec(), { local: local(hostBlock('  IdentitiesOnly yes\n')) }));
    expect(offered).toEqual([blob(right)]);
  });

  it('yes, with the public half named (an agent-only key) or an encrypted key without a .pub: its agent key alone', async () => {
    for (const file of ['agent-only.pub', 'right-alone']) {
      const config = `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ${join(dir, file)}\n  IdentitiesOnly yes\n`;
      expect(await offeredBy(() => connectSsh('r', spec(), { local: local(config) })), file).toEqual([blob(right)]);
    }
  });

  it('-o IdentitiesOnly=yes of the inventory wins over ssh_config, and =no too', async () => {
    expect(await offeredBy(() => connectSsh('r', spec({ identitiesOnly: true }), { local: local(hostBlock('')) }))).toEqual([blob(right)]);
    const offered = await offeredBy(() => connectSsh('r', spec({ identitiesOnly: false }), { local: local(plainBlock('  IdentitiesOnly yes\n')) }));
    expect(offered).toEqual([...strangers, right].map(blob));
  });

  it('yes, with a usable key file that the server refuses: that key alone is offered (the agent holds it: in its slot), and the message says what was offered', async () => {
    // Until a review the agent was not asked here (its order did not matter then); ssh asks it for
    // the keys of every file named, ready ones included. The key offered is the same.
    const config = `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ${join(dir, 'plain')}\n  IdentitiesOnly yes\n`;
    const before = server.keysOffered.length;
    const err = await connectSsh('r', spec(), { local: local(config) }).then(() => undefined, (e: Error) => e);
    expect(server.keysOffered.slice(before)).toEqual([blob(strangers[0]!)]);
    expect(err?.message).toBe(`authentication as root to r (root@127.0.0.1:${server.port}) failed (offered: ssh-agent (its keys of the files named: IdentitiesOnly), ${join(dir, 'plain')})`);
  });

  it('yes, with no file named that shows a public key: the agent is not asked, and the message says why', async () => {
    const config = `Host r\n  HostName 127.0.0.1\n  Port ${server.port}\n  IdentityFile ${join(dir, 'no-such-key')}\n  IdentitiesOnly yes\n`;
    const before = server.keysOffered.length;
    const err = await connectSsh('r', spec(), { local: local(config) }).then(() => undefined, (e: Error) => e);
    expect(server.keysOffered.slice(before)).toEqual([]);
    expect(err?.message).toContain('ssh-agent not asked: IdentitiesOnly yes, and no key file named shows a public key the agent could match');
  });
});
