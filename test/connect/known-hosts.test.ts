import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type HostKeyVerdict, checkHostKey, checkHostKeyFor, entriesFor, fingerprint, hostKeyName, keyTypeOf, knownKeyTypes, parseKnownHosts, preferKnownTypes } from '../../src/connect/known-hosts.js';
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
    expect(v).toEqual({ kind: 'mismatch', source: 'kh:1', expected: `ssh-ed25519 ${fingerprint(other)}` });
    const r = checkHostKey(parseKnownHosts(`@revoked ${line('*')}`, 'kh'), '127.0.0.1', 2201, key);
    expect(r.kind).toBe('revoked');
  });
});

/** An RSA public key blob (string "ssh-rsa", mpint e, mpint n), written with `pad` extra zero bytes before n. */
function rsaBlob(pad = 0, jwk = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' })): Buffer {
  const str = (b: Buffer) => { const l = Buffer.alloc(4); l.writeUInt32BE(b.length); return Buffer.concat([l, b]); };
  const mpint = (b: Buffer, zeros = 0) => str(Buffer.concat([Buffer.alloc(zeros + ((b[0]! & 0x80) !== 0 ? 1 : 0)), b]));
  return Buffer.concat([str(Buffer.from('ssh-rsa')), mpint(Buffer.from(jwk.e!, 'base64url')), mpint(Buffer.from(jwk.n!, 'base64url'), pad)]);
}

describe('a key of another type than the one listed for the host', () => {
  const ed = ed25519Blob();
  const rsa = rsaBlob().toString('base64');
  const rsaLine = (host: string) => `${host} ssh-rsa ${rsa}`;

  it('is a changed key, as to ssh 9.2 (REMOTE HOST IDENTIFICATION HAS CHANGED), naming the last line listed', () => {
    const entries = parseKnownHosts(`${rsaLine('[127.0.0.1]:2201')}\n${rsaLine('other')}\n${rsaLine('*:2201')}\n`, 'kh');
    expect(checkHostKey(entries, '127.0.0.1', 2201, ed)).toEqual({ kind: 'mismatch', source: 'kh:3', expected: `ssh-rsa ${fingerprint(Buffer.from(rsa, 'base64'))}` });
    expect(checkHostKey(entries, '127.0.0.1', 2202, ed)).toEqual({ kind: 'unknown' });
    expect(knownKeyTypes(entries, '[127.0.0.1]:2201')).toEqual(['ssh-rsa']);
    const hop = { alias: 'r1', host: '127.0.0.1', port: 2201, user: 'u', identityFiles: [], defaultIdentities: true, hostKeyName: '[127.0.0.1]:2201' };
    const err = hostKeyRefusal('r1', hop, checkHostKey(entries, '127.0.0.1', 2201, ed) as Exclude<HostKeyVerdict, { kind: 'match' }>, ed, ['kh']);
    expect(err.message).toMatch(/^HOST KEY CHANGED for \[127\.0\.0\.1\]:2201 \(r1\): the host presents ssh-ed25519 SHA256:\S+, but kh:3 says ssh-rsa SHA256:\S+ \(a key of another type\)/);
    expect(err.hint).toMatch(/ssh-keyscan -t ssh-ed25519/);
  });

  it('an @cert-authority line for the host is named with the unknown key (teqlctl checks keys, not certificates)', () => {
    const entries = parseKnownHosts(`@cert-authority *.routers.example ssh-rsa ${rsa}\n`, 'kh');
    expect(checkHostKey(entries, 'r1.routers.example', 22, ed)).toEqual({ kind: 'unknown', ca: ['kh:1'] });
    const hop = { alias: 'r1', host: 'r1.routers.example', port: 22, user: 'u', identityFiles: [], defaultIdentities: true, hostKeyName: 'r1.routers.example' };
    const err = hostKeyRefusal('r1', hop, checkHostKey(entries, 'r1.routers.example', 22, ed) as Exclude<HostKeyVerdict, { kind: 'match' }>, ed, ['kh']);
    expect(err.message).toMatch(/is in no known_hosts file \(read: kh\); kh:1 trusts a certificate authority for it \(@cert-authority\), whose host certificates teqlctl cannot check: it checks the host's own key$/);
  });

  it('a type whose first key listed for the host is @revoked is not a known type (ssh does not ask for it first)', () => {
    const rsa2 = rsaBlob().toString('base64');
    const text = `h ssh-rsa ${rsa}\nh ssh-rsa ${rsa2}\nh ssh-ed25519 ${ed.toString('base64')}\n@revoked h ssh-rsa ${rsa}\n`;
    expect(knownKeyTypes(parseKnownHosts(text, 'kh'), 'h')).toEqual(['ssh-ed25519']);
    expect(knownKeyTypes(parseKnownHosts(text.replace('@revoked h', '@revoked other'), 'kh'), 'h')).toEqual(['ssh-rsa', 'ssh-ed25519']);
  });

  it("reorders ssh2's own host key algorithms as OpenSSH's order_hostkeyalgs: untouched when the first one's type is known", () => {
    expect(preferKnownTypes([])).toBeUndefined();
    expect(preferKnownTypes(['ssh-ed25519', 'ssh-rsa'])).toBeUndefined();
    expect(preferKnownTypes(['ssh-rsa'])!.slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
    expect(preferKnownTypes(['ssh-rsa', 'ecdsa-sha2-nistp256'])!.slice(0, 4)).toEqual(['ecdsa-sha2-nistp256', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']);
  });
});

describe('lines ssh cannot parse count for nothing, as ssh skips them', () => {
  const ed = ed25519Blob();
  const b64 = ed.toString('base64');
  const rsa = rsaBlob();

  it('bad base64, a type that is not the blob\'s, an unknown type, a blob cut short or with bytes left over, a marker ssh does not know', () => {
    for (const l of [`h ssh-ed25519 ${b64.slice(0, -4)}`, `h ssh-ed25519 ${b64}=`, `h ssh-ed25519 ${b64.slice(0, -1)}`, `h ssh-rsa ${b64}`, `h ssh-foo ${b64}`,
      `h ecdsa-sha2-nistp256 ${b64}`, `h ssh-ed25519`, `@REVOKED h ssh-ed25519 ${b64}`, `@bogus h ssh-ed25519 ${b64}`, `h ssh-ed25519 ${Buffer.concat([ed, Buffer.from([0])]).toString('base64')}`]) {
      expect(parseKnownHosts(l, 'kh'), l).toEqual([]);
    }
    // Read by ssh, so here: a tab, leading blanks, a CR at the end, a comment after the key.
    expect(parseKnownHosts(`\t h\tssh-ed25519  ${b64} c\r\n h2 ssh-ed25519 ${b64}\r`, 'kh').map((e) => e.patterns)).toEqual([['h'], ['h2']]);
  });

  it('a line ssh skips is no changed key for the host', () => {
    const entries = parseKnownHosts(`[127.0.0.1]:2201 ssh-ed25519 ${b64.slice(0, -4)}\n[127.0.0.1]:2201 ssh-rsa ${b64}\n`, 'kh');
    expect(checkHostKey(entries, '127.0.0.1', 2201, ed)).toEqual({ kind: 'unknown' });
  });

  it('an RSA key written with a leading zero in its modulus is the same key to ssh: @revoked so, it is still revoked', () => {
    const jwk = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
    const key = rsaBlob(0, jwk);
    const spelled = rsaBlob(1, jwk);
    expect(spelled.equals(key)).toBe(false);
    const text = `h ssh-rsa ${key.toString('base64')}\n@revoked h ssh-rsa ${spelled.toString('base64')}\n`;
    expect(checkHostKey(parseKnownHosts(text, 'kh'), 'h', 22, key)).toEqual({ kind: 'revoked', source: 'kh:2' });
  });
});

describe('a key unknown under [host]:port is looked up under the host, as ssh ("checking without port identifier")', () => {
  const key = ed25519Blob();
  const other = ed25519Blob();
  const b64 = key.toString('base64');

  it('a match under the bare name is a match; a changed key there is not a change; @revoked there is refused', () => {
    const entries = parseKnownHosts(`127.0.0.1 ssh-ed25519 ${b64}\nr9 ssh-ed25519 ${other.toString('base64')}\n@revoked r8 ssh-ed25519 ${b64}\n`, 'kh');
    expect(checkHostKeyFor(entries, '[127.0.0.1]:2201', '127.0.0.1', key)).toEqual({ kind: 'match', source: 'kh:1' });
    expect(checkHostKeyFor(entries, '[127.0.0.1]:2201', undefined, key)).toEqual({ kind: 'unknown' });
    expect(checkHostKeyFor(entries, '[r9]:2201', 'r9', key)).toEqual({ kind: 'unknown' });
    expect(checkHostKeyFor(entries, '[r8]:2201', 'r8', key)).toEqual({ kind: 'revoked', source: 'kh:3' });
  });

  it('only when nothing is listed under [host]:port: a changed key there stays changed', () => {
    const entries = parseKnownHosts(`127.0.0.1 ssh-ed25519 ${b64}\n[127.0.0.1]:2201 ssh-ed25519 ${other.toString('base64')}\n`, 'kh');
    expect(checkHostKeyFor(entries, '[127.0.0.1]:2201', '127.0.0.1', key).kind).toBe('mismatch');
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
    const blob = ed25519Blob();
    writeFileSync(file, `old ssh-ed25519 ${blob.toString('base64')}`);
    await recordHostKey(file, '[h]:2201', blob);
    expect(readFileSync(file, 'utf8')).toBe(`old ssh-ed25519 ${blob.toString('base64')}\n[h]:2201 ssh-ed25519 ${blob.toString('base64')}\n`);
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
    await recordHostKey(file!, 'r1', ed25519Blob());
    expect(readFileSync(lab, 'utf8')).toMatch(/^r1 ssh-ed25519 /);
    // UserKnownHostsFile none: recorded nowhere (trusted for the run only, as ssh does).
    expect(recordFileFor(home, { ...hop, knownHosts: { user: [], global: ['/etc/ssh/ssh_known_hosts'] } })).toBeUndefined();
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

  it('UserKnownHostsFile none reads no user file, as ssh (~/.ssh/known_hosts was read: a key kept out of the check was trusted, a review)', () => {
    expect(knownHostsFiles('/h', '/inv/kh', [{ user: [], global: ['/etc/ssh/managed_known_hosts'] }])).toEqual(['/etc/ssh/managed_known_hosts', '/inv/kh']);
  });
});

describe('known_hosts type names ssh 9.2 also reads, and server keys it refuses (a review)', () => {
  const ed = ed25519Blob();
  const rsa = rsaBlob();

  it('an RSA key written as rsa-sha2-512, rsa-sha2-256 or RSA is listed for the host: another key is a changed one, not unknown', () => {
    for (const type of ['rsa-sha2-512', 'rsa-sha2-256', 'RSA', 'rsa']) {
      const entries = parseKnownHosts(`[r1]:2222 ${type} ${rsa.toString('base64')}\n`, 'kh');
      expect(entries.map((e) => e.keyType)).toEqual(['ssh-rsa']);
      expect(checkHostKey(entries, 'r1', 2222, ed).kind).toBe('mismatch');
      expect(checkHostKey(entries, 'r1', 2222, rsa).kind).toBe('match');
      expect(knownKeyTypes(entries, '[r1]:2222')).toEqual(['ssh-rsa']);
    }
    // ECDSA alone fails ssh's curve check: the line counts for nothing, there as here.
    expect(parseKnownHosts(`r1 ED25519 ${ed.toString('base64')}\nr1 ECDSA ${ed.toString('base64')}\n`, 'kh').map((e) => e.keyType)).toEqual(['ssh-ed25519']);
  });

  it('a server key ssh refuses to read (RSA under 1024 bits) is refused, never taken as unknown (which --accept-new would record)', () => {
    const small = rsaBlob(0, generateKeyPairSync('rsa', { modulusLength: 768 }).publicKey.export({ format: 'jwk' }));
    const verdict = checkHostKeyFor(parseKnownHosts('', 'kh'), '[r1]:2222', 'r1', small);
    expect(verdict).toEqual({ kind: 'bad' });
    const hop = { hostKeyName: '[r1]:2222', alias: 'r1', host: 'r1' } as Parameters<typeof hostKeyRefusal>[1];
    expect(hostKeyRefusal('r1', hop, verdict as Exclude<HostKeyVerdict, { kind: 'match' }>, small, ['kh']).message).toMatch(/one ssh refuses to use \(an RSA key under 1024 bits/);
  });
});
