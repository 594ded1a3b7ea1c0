import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HostKeyVerdict, checkHostKey, entriesFor, fingerprint, hostKeyName, keyTypeOf, knownKeyTypes, parseKnownHosts, preferKnownTypes } from '../../src/connect/known-hosts.js';
import { hostKeyRefusal, knownHostsFiles, loadKnownHosts, recordFileFor, recordHostKey } from '../../src/connect/host-keys.js';

/** An ed25519 public key blob as SSH puts it on the wire: string "ssh-ed25519", string key. */
function ed25519Blob(): Buffer {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
}

function hashed(name: string): string {
  const salt = Buffer.from('0123456789abcdef0123');
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  const key = ed25519Blob();
  const other = ed25519Blob();
  const line = (host: string, blob = key) => `${host} ssh-ed25519 ${blob.toString('base64')}`;

  it('names non-22 ports as [host]:port', () => {
    expect(hostKeyName('127.0.0.1', 22)).toBe('127.0.0.1');
    expect(hostKeyName('127.0.0.1', 2201)).toBe('[127.0.0.1]:2201');
  });

  it('reads the key type out of the blob', () => {
    expect(keyTypeOf(key)).toBe('ssh-ed25519');
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('matches plain, bracketed, wildcard and hashed entries', () => {
    for (const host of ['[127.0.0.1]:2201', '*:2201', hashed('[127.0.0.1]:2201'), 'other,[127.0.0.1]:2201']) {
      const entries = parseKnownHosts(`# comment\n${line(host)}\n`, 'kh');
      expect(checkHostKey(entries, '127.0.0.1', 2201, key)).toEqual({ kind: 'match', source: 'kh:2' });
    }
  });

  it('does not mistake port 2202 for 2201 or a negated pattern for a match', () => {
    expect(checkHostKey(parseKnownHosts(line('[127.0.0.1]:2201'), 'kh'), '127.0.0.1', 2202, key).kind).toBe('unknown');
    expect(checkHostKey(parseKnownHosts(line('*,!127.0.0.1'), 'kh'), '127.0.0.1', 22, key).kind).toBe('unknown');
  });

  it('reports a changed key with the expected fingerprint, and a revoked one', () => {
    const v = checkHostKey(parseKnownHosts(line('[127.0.0.1]:2201', other), 'kh'), '127.0.0.1', 2201, key);
    expect(v).toEqual({ kind: 'mismatch', source: 'kh:1', expected: fingerprint(other) });
    const r = checkHostKey(parseKnownHosts(`@revoked ${line('*')}`, 'kh'), '127.0.0.1', 2201, key);
    expect(r.kind).toBe('revoked');
  });
});

describe('a key of a new type for a known host', () => {
  const ed = ed25519Blob();
  const rsaLine = (host: string) => `${host} ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx`;

  it('is unknown, with the types already known for the host and where', () => {
    const entries = parseKnownHosts(`${rsaLine('[127.0.0.1]:2201')}\n${rsaLine('other')}\n`, 'kh');
    expect(checkHostKey(entries, '127.0.0.1', 2201, ed)).toEqual({ kind: 'unknown', known: [{ keyType: 'ssh-rsa', source: 'kh:1' }] });
    expect(checkHostKey(entries, '127.0.0.1', 2202, ed)).toEqual({ kind: 'unknown', known: [] });
    expect(knownKeyTypes(entries, '[127.0.0.1]:2201')).toEqual(['ssh-rsa']);
  });

  it('an @cert-authority line for the host is named with the unknown key (teqlctl checks keys, not certificates)', () => {
    const entries = parseKnownHosts(`@cert-authority *.routers.example ${rsaLine('x').split(' ').slice(1).join(' ')}\n`, 'kh');
    expect(checkHostKey(entries, 'r1.routers.example', 22, ed)).toEqual({ kind: 'unknown', known: [], ca: ['kh:1'] });
    const hop = { alias: 'r1', host: 'r1.routers.example', port: 22, user: 'u', identityFiles: [], defaultIdentities: true, hostKeyName: 'r1.routers.example' };
    const err = hostKeyRefusal('r1', hop, checkHostKey(entries, 'r1.routers.example', 22, ed) as Exclude<HostKeyVerdict, { kind: 'match' }>, ed, ['kh']);
    expect(err.message).toMatch(/is in no known_hosts file \(read: kh\); kh:1 trusts a certificate authority for it \(@cert-authority\), whose host certificates teqlctl cannot check: it checks the host's own key$/);
  });

  it('makes the known types the preferred host key algorithms (OpenSSH: order_hostkeyalgs)', () => {
    expect(preferKnownTypes([])).toBeUndefined();
    const p = preferKnownTypes(['ssh-rsa'])!;
    expect(p.prepend.map(String)).toEqual(['/^rsa-sha2-512$/', '/^rsa-sha2-256$/', '/^ssh-rsa$/']);
    expect(p.remove).toEqual(p.prepend);
  });
});

describe('the lines that can match a name (entriesFor, indexed by literal name)', () => {
  const blob = ed25519Blob().toString('base64');
  const text = [
    `*.example ssh-ed25519 ${blob}`,
    `Router1,other ssh-ed25519 ${blob}`,
    `${hashed('router1')} ssh-ed25519 ${blob}`,
    `router1,!router1 ssh-ed25519 ${blob}`,
    `router1.example ssh-ed25519 ${blob}`,
    `router?,router1 ssh-ed25519 ${blob}`,
    `[router1]:2201 ssh-ed25519 ${blob}`,
  ].join('\n');
  const entries = parseKnownHosts(text, 'kh');
  const lines = (name: string) => entriesFor(entries, name).map((e) => e.source);

  it('finds literal, hashed and wildcard lines, in file order, without case for literal names', () => {
    expect(lines('router1')).toEqual(['kh:2', 'kh:3', 'kh:6']);
    expect(lines('ROUTER1')).toEqual(['kh:2', 'kh:6']); // a hashed name is compared as written
    expect(lines('router1.example')).toEqual(['kh:1', 'kh:5']);
    expect(lines('[router1]:2201')).toEqual(['kh:7']);
    expect(lines('nobody')).toEqual([]);
  });

  it('matches as a scan of every line does', () => {
    for (const name of ['router1', 'Router1', 'other', 'router2', 'x.example', '[router1]:2201', 'router1.example']) {
      const scanned = entries.filter((e) => checkHostKey([e], name, 22, Buffer.from(blob, 'base64')).kind === 'match').map((e) => e.source);
      expect(lines(name), name).toEqual(scanned);
    }
  });

  it('sees a line added to the same array', () => {
    const grown = parseKnownHosts(text, 'kh');
    expect(entriesFor(grown, 'late')).toEqual([]);
    grown.push(...parseKnownHosts(`late ssh-ed25519 ${blob}`, 'kh2'));
    expect(entriesFor(grown, 'late').map((e) => e.source)).toEqual(['kh2:1']);
  });
});

describe('recording a key (--accept-new)', () => {
  it('appends a well-formed line even when the file lacks a final newline', async () => {
    const home = mkdtempSync(join(tmpdir(), 'teqlctl-kh-'));
    mkdirSync(join(home, '.ssh'));
    const file = join(home, '.ssh', 'known_hosts');
    writeFileSync(file, 'old ssh-ed25519 AAAA');
    const blob = ed25519Blob();
    await recordHostKey(file, '[h]:2201', blob);
    expect(readFileSync(file, 'utf8')).toBe(`old ssh-ed25519 AAAA\n[h]:2201 ssh-ed25519 ${blob.toString('base64')}\n`);
    await recordHostKey(file, 'h2', blob);
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
    expect(parseKnownHosts(readFileSync(file, 'utf8'), 'kh').map((e) => e.patterns[0])).toEqual(['old', '[h]:2201', 'h2']);
  });

  it('HashKnownHosts yes: the name hashed as ssh hashes it (|1|salt|HMAC-SHA1), found again by the reader, and only by that name', async () => {
    const home = mkdtempSync(join(tmpdir(), 'teqlctl-kh-'));
    const file = join(home, 'known_hosts');
    const blob = ed25519Blob();
    await recordHostKey(file, '[h]:2201', blob, true);
    const line = readFileSync(file, 'utf8');
    expect(line).not.toContain('[h]:2201');
    const m = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+) ssh-ed25519 (\S+)\n$/.exec(line)!;
    expect(m).not.toBeNull();
    expect(createHmac('sha1', Buffer.from(m[1]!, 'base64')).update('[h]:2201').digest('base64')).toBe(m[2]);
    const entries = parseKnownHosts(line, 'kh');
    expect(checkHostKey(entries, 'h', 2201, blob).kind).toBe('match');
    expect(checkHostKey(entries, 'h', 2202, blob).kind).toBe('unknown');
  });

  it("goes into ssh_config's first UserKnownHostsFile where it is set, its folder made (0700)", async () => {
    const home = mkdtempSync(join(tmpdir(), 'teqlctl-kh-'));
    const hop = { alias: 'r1', host: 'r1', port: 22, user: 'u', identityFiles: [], defaultIdentities: true, hostKeyName: 'r1' };
    expect(recordFileFor(home, hop)).toBe(join(home, '.ssh', 'known_hosts'));
    const lab = join(home, 'lab', 'known_hosts.lab');
    const file = recordFileFor(home, { ...hop, knownHosts: { user: [lab, join(home, 'other')], global: [] } });
    expect(file).toBe(lab);
    await recordHostKey(file, 'r1', ed25519Blob());
    expect(readFileSync(lab, 'utf8')).toMatch(/^r1 ssh-ed25519 /);
    expect(statSync(join(home, 'lab')).mode & 0o777).toBe(0o700);
  });
});

describe('reading the known_hosts files once per version', () => {
  it('connections starting at once share one read; a missing file is skipped; the same files give the same array', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-kh-'));
    const file = join(dir, 'known_hosts');
    const blob = ed25519Blob();
    writeFileSync(file, `r1 ssh-ed25519 ${blob.toString('base64')}\n`);
    const files = [file, join(dir, 'absent')];
    const at = await Promise.all(Array.from({ length: 50 }, () => loadKnownHosts(files)));
    expect(at[0]!.map((e) => e.patterns[0])).toEqual(['r1']);
    expect(new Set(at).size).toBe(1);
    expect(await loadKnownHosts(files)).toBe(at[0]);
  });

  it('a named pipe, a folder or a device named as a known_hosts file is refused, never read (a pipe waited forever); /dev/null reads as none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-kh-'));
    execFileSync('mkfifo', [join(dir, 'fifo')]);
    for (const file of [join(dir, 'fifo'), dir, '/dev/zero']) {
      await expect(loadKnownHosts([file])).rejects.toThrow(`the known_hosts file ${file} is not a file (a folder, a pipe or a device): teqlctl reads files only`);
    }
    expect(await loadKnownHosts(['/dev/null'])).toEqual([]);
  });

  it('a key recorded meanwhile is read by the next connection, even with reads still under way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-kh-'));
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `r1 ssh-ed25519 ${ed25519Blob().toString('base64')}\n`);
    const before = loadKnownHosts([file]);
    await recordHostKey(file, 'r2', ed25519Blob());
    const after = await loadKnownHosts([file]);
    expect(after.map((e) => e.patterns[0])).toEqual(['r1', 'r2']);
    expect((await before).length).toBeGreaterThanOrEqual(1);
  });

  it('a file changed by someone else is read again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'teqlctl-kh-'));
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `r1 ssh-ed25519 ${ed25519Blob().toString('base64')}\n`);
    expect((await loadKnownHosts([file])).map((e) => e.patterns[0])).toEqual(['r1']);
    writeFileSync(file, `r3 ssh-ed25519 ${ed25519Blob().toString('base64')}\nr4 ssh-ed25519 ${ed25519Blob().toString('base64')}\n`);
    expect((await loadKnownHosts([file])).map((e) => e.patterns[0])).toEqual(['r3', 'r4']);
  });
});

describe('the known_hosts files of a connection', () => {
  it("ssh_config's files where set, of the host and of each jump host (OpenSSH's defaults where not), then the inventory's", () => {
    // ssh's defaults hold the *2 files too (ssh -G lists them).
    expect(knownHostsFiles('/h', '/inv/kh')).toEqual(['/h/.ssh/known_hosts', '/h/.ssh/known_hosts2', '/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2', '/inv/kh']);
    expect(knownHostsFiles('/h', undefined, [{ user: ['/h/.ssh/kh.lab'], global: ['/etc/ssh/ssh_known_hosts'] }, undefined])).toEqual(['/h/.ssh/kh.lab', '/etc/ssh/ssh_known_hosts', '/h/.ssh/known_hosts', '/h/.ssh/known_hosts2', '/etc/ssh/ssh_known_hosts2']);
  });
});
