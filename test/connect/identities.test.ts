import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePrivateKey, planAuth, readPrivateKey } from '../../src/connect/identities.js';
import { ed25519KeyPair } from '../helpers/keys.js';

const plain = ed25519KeyPair();
const encrypted = ed25519KeyPair({ passphrase: 'secretpass', cipher: 'aes256-ctr', rounds: 2 });

describe('private keys', () => {
  it('a plain key is ready', () => {
    expect(parsePrivateKey('k', plain.private).kind).toBe('ready');
  });

  it('an encrypted key waits for its passphrase; the right one unlocks it, a wrong one says so', () => {
    expect(parsePrivateKey('k', encrypted.private)).toMatchObject({ kind: 'locked' });
    expect(parsePrivateKey('k', encrypted.private, 'secretpass').kind).toBe('ready');
    expect(parsePrivateKey('k', encrypted.private, 'nope')).toEqual({ file: 'k', kind: 'unusable', why: 'k is encrypted, and the passphrase given does not unlock it' });
  });

  it('a public key given as a private key is named as such', () => {
    expect(parsePrivateKey('id.pub', plain.public)).toMatchObject({ kind: 'unusable', why: 'id.pub is not a private key (that is the public half: drop .pub)' });
  });
});

describe('planAuth', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-ids-'));
  writeFileSync(join(dir, 'plain'), plain.private, { mode: 0o600 });
  writeFileSync(join(dir, 'enc'), encrypted.private, { mode: 0o600 });

  it('offers the agent, then the ready keys it does not hold, in one agent method, as ssh orders them; encrypted keys wait; missing files become notes', async () => {
    // Was ['publickey', 'agent'] (the files first) until a review: ssh offers the agent's keys first.
    const p = await planAuth('root', [join(dir, 'enc'), join(dir, 'plain'), join(dir, 'missing')], '/run/agent.sock', undefined);
    expect(p.methods.map((m) => m.type)).toEqual(['agent']);
    expect(p.offered).toEqual(['ssh-agent', join(dir, 'plain')]);
    expect(p.locked.map((l) => l.file)).toEqual([join(dir, 'enc')]);
    expect(p.notes).toEqual([`cannot read ${join(dir, 'missing')}: ENOENT`]);
  });

  it('a certificate beside a key (<key>-cert.pub, as an SSH CA issues it) is said, not dropped: ssh would offer it, teqlctl offers the key alone (a review)', async () => {
    const certDir = mkdtempSync(join(tmpdir(), 'teqlctl-ids-cert-'));
    writeFileSync(join(certDir, 'id_ed25519'), plain.private, { mode: 0o600 });
    writeFileSync(join(certDir, 'id_ed25519-cert.pub'), 'ssh-ed25519-cert-v01@openssh.com AAAA... user\n');
    const p = await planAuth('root', [join(certDir, 'id_ed25519')], undefined, undefined);
    expect(p.offered).toEqual([join(certDir, 'id_ed25519')]);
    expect(p.notes).toEqual([`${join(certDir, 'id_ed25519')}-cert.pub is a certificate ssh would offer with its key; teqlctl's SSH client offers the key alone (a router that takes certificates only refuses it)`]);
    expect((await planAuth('root', [join(dir, 'plain')], undefined, undefined)).notes).toEqual([]);
  });

  it('a named pipe, a folder or a device given as a key is never read (a pipe waited forever, /dev/zero never ends): a note says what it is', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const p = await planAuth('root', [fifo, dir, '/dev/zero', join(dir, 'plain')], '/run/agent.sock', undefined, true);
    expect(p.offered).toEqual(['ssh-agent (its keys of the files named: IdentitiesOnly)', join(dir, 'plain')]);
    expect(p.notes.slice(0, 3)).toEqual([fifo, dir, '/dev/zero'].map((f) => `${f} is not a file (a folder, a pipe or a device): no key is read from it`));
  });

  it('a passphrase given up front unlocks at once', async () => {
    const p = await planAuth('root', [join(dir, 'enc')], undefined, 'secretpass');
    expect(p.locked).toEqual([]);
    expect(p.offered).toEqual([join(dir, 'enc')]);
  });

  it('only the agent: a host with no key file at all', async () => {
    const p = await planAuth('root', [], '/run/agent.sock', undefined);
    expect(p.methods).toEqual([{ type: 'agent', username: 'root', agent: '/run/agent.sock' }]);
  });
});

describe('readPrivateKey: read once per file version for the run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'teqlctl-ids-cache-'));
  const file = join(dir, 'id');

  it('gives the same parsed key again, a new one once the file changes, and still checks permissions', async () => {
    writeFileSync(file, plain.private, { mode: 0o600 });
    const first = await readPrivateKey(file);
    expect(first.kind).toBe('ready');
    expect(await readPrivateKey(file)).toBe(first);

    const other = ed25519KeyPair();
    writeFileSync(file, other.private + '\n'); // another key, another size
    const changed = await readPrivateKey(file);
    expect(changed.kind).toBe('ready');
    expect(changed).not.toBe(first);

    chmodSync(file, 0o644);
    expect(await readPrivateKey(file)).toMatchObject({ kind: 'unusable', why: expect.stringContaining(`chmod 600 ${file}`) });
  });

  it('a public key file (0644, as ssh-keygen writes it) is named a public key, not told to be chmod 600', async () => {
    const pub = join(dir, 'id_ed25519.pub');
    writeFileSync(pub, plain.public, { mode: 0o644 });
    chmodSync(pub, 0o644);
    expect(await readPrivateKey(pub)).toEqual({ file: pub, kind: 'unusable', why: `${pub} is not a private key (that is the public half: drop .pub)` });
  });

  it('keeps a key unlocked with one passphrase apart from the same file read without it', async () => {
    const enc = join(dir, 'enc');
    writeFileSync(enc, encrypted.private, { mode: 0o600 });
    expect((await readPrivateKey(enc)).kind).toBe('locked');
    expect((await readPrivateKey(enc, 'secretpass')).kind).toBe('ready');
    expect((await readPrivateKey(enc, 'nope')).kind).toBe('unusable');
    expect((await readPrivateKey(enc)).kind).toBe('locked');
  });
});
