// Trust on first use in the SSH transport, against an in-process SSH server (ssh2's Server).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import { connectSsh } from '../../src/connect/ssh-transport.js';
import { ConnectError } from '../../src/errors.js';
import { ed25519KeyPair } from '../helpers/keys.js';

const home = mkdtempSync(join(tmpdir(), 'teqlctl-tofu-'));
const saved = { HOME: process.env.HOME, SSH_AUTH_SOCK: process.env.SSH_AUTH_SOCK };
const hostKey = ed25519KeyPair();
const clientKey = ed25519KeyPair();
const blob = hostKey.public.split(' ')[1]!;
const expectedFingerprint = 'SHA256:' + createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
let server: ssh2.Server;
let port = 0;

beforeAll(async () => {
  process.env.HOME = home;
  delete process.env.SSH_AUTH_SOCK;
  writeFileSync(join(home, 'client_key'), clientKey.private, { mode: 0o600 });
  server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    client.on('authentication', (ctx) => ctx.accept());
    client.on('error', () => undefined);
    client.on('session', (accept) => {
      accept().on('exec', (acceptExec) => {
        const stream = acceptExec();
        stream.write('hello from the router\n');
        stream.exit(0);
        stream.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => {
  server.close();
  process.env.HOME = saved.HOME;
  if (saved.SSH_AUTH_SOCK !== undefined) process.env.SSH_AUTH_SOCK = saved.SSH_AUTH_SOCK;
  rmSync(home, { recursive: true, force: true });
});

const spec = () => ({ host: '127.0.0.1', port, user: 'root', privateKeyFile: join(home, 'client_key'), become: false, becomeUser: 'root' });
const knownHosts = () => join(home, '.ssh', 'known_hosts');

describe('trust on first use', () => {
  it('asks with the SHA256 fingerprint; a no refuses and writes nothing', async () => {
    const asked: [string, string, boolean][] = [];
    const err = await connectSsh('r', spec(), { onUnknownHostKey: async (fp, label, jump) => { asked.push([fp, label, jump]); return false; } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as Error).message).toMatch(/unknown host key/);
    expect(asked).toEqual([[expectedFingerprint, `[127.0.0.1]:${port}`, false]]);
    expect(existsSync(knownHosts())).toBe(false);
  });

  it('without the callback an unknown key is refused as before, without asking', async () => {
    await expect(connectSsh('r', spec())).rejects.toThrow(/unknown host key/);
  });

  it("a yes appends OpenSSH's line to ~/.ssh/known_hosts and connects; later connections need no question", async () => {
    const t = await connectSsh('r', spec(), { onUnknownHostKey: async () => true });
    expect((await t.run('x', 'true')).stdout).toBe('hello from the router\n');
    await t.close();
    // Hashed where the system's ssh_config says HashKnownHosts yes (Debian's does), as ssh writes it:
    // with a test's own HOME, ssh -G reads $HOME's config and then the system's.
    const hashed = /^hashknownhosts yes$/m.test(execFileSync('ssh', ['-G', '-F', existsSync('/etc/ssh/ssh_config') ? '/etc/ssh/ssh_config' : '/dev/null', 'x'], { encoding: 'utf8' }));
    const line = readFileSync(knownHosts(), 'utf8');
    if (hashed) expect(line).toMatch(new RegExp(`^\\|1\\|[A-Za-z0-9+/=]{28}\\|[A-Za-z0-9+/=]{28} ssh-ed25519 ${blob.replace(/[+/]/g, '\\$&')}\n$`));
    else expect(line).toBe(`[127.0.0.1]:${port} ssh-ed25519 ${blob}\n`);
    const again = await connectSsh('r', spec());
    await again.close();
  });

  it('a changed key is refused without asking, whatever the callback would say', async () => {
    const other = ed25519KeyPair().public.split(' ')[1]!;
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(knownHosts(), `[127.0.0.1]:${port} ssh-ed25519 ${other}\n`);
    let asked = false;
    const err = await connectSsh('r', spec(), { onUnknownHostKey: async () => (asked = true) }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/HOST KEY CHANGED/);
    expect(asked).toBe(false);
    expect(readFileSync(knownHosts(), 'utf8')).toBe(`[127.0.0.1]:${port} ssh-ed25519 ${other}\n`);
  });
});
