import { describe, expect, it } from 'vitest';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { checkHostKey, fingerprint, hostKeyName, keyTypeOf, parseKnownHosts } from '../../src/connect/known-hosts.js';

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
