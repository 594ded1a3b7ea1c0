import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalBlob, canonicalKey } from '../../src/connect/key-blob.js';

const str = (b: Buffer) => { const l = Buffer.alloc(4); l.writeUInt32BE(b.length); return Buffer.concat([l, b]); };

describe('canonicalKey (a known_hosts key as ssh reads it)', () => {
  const ed = Buffer.concat([str(Buffer.from('ssh-ed25519')), str(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32))]);
  const pub = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }).subarray(-65);
  const ec = Buffer.concat([str(Buffer.from('ecdsa-sha2-nistp256')), str(Buffer.from('nistp256')), str(pub)]);

  it('keeps a well-formed key as it is', () => {
    expect(canonicalKey('ssh-ed25519', ed.toString('base64'))).toBe(ed.toString('base64'));
    expect(canonicalKey('ecdsa-sha2-nistp256', ec.toString('base64'))).toBe(ec.toString('base64'));
    expect(canonicalBlob(ec)).toBe(ec.toString('base64'));
  });

  it('refuses what ssh cannot parse: the wrong curve or type, stray base64 bits, a short RSA modulus', () => {
    expect(canonicalKey('ecdsa-sha2-nistp384', ec.toString('base64'))).toBeUndefined();
    const wrongCurve = Buffer.concat([str(Buffer.from('ecdsa-sha2-nistp256')), str(Buffer.from('nistp384')), str(pub)]);
    expect(canonicalKey('ecdsa-sha2-nistp256', wrongCurve.toString('base64'))).toBeUndefined();
    const b64 = ec.toString('base64'); // 104 bytes: ends in 'X=', whose low bits must be zero
    const stray = b64.slice(0, -2) + String.fromCharCode(b64.charCodeAt(b64.length - 2) + 1) + '=';
    expect(canonicalKey('ecdsa-sha2-nistp256', stray)).toBeUndefined();
    const short = Buffer.concat([str(Buffer.from('ssh-rsa')), str(Buffer.from([1, 0, 1])), str(Buffer.concat([Buffer.from([0x7f]), Buffer.alloc(100, 1)]))]);
    expect(canonicalBlob(short)).toBeUndefined();
  });
});
