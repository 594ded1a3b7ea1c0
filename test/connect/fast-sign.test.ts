import { describe, expect, it } from 'vitest';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import { signingOnce } from '../../src/connect/fast-sign.js';

function parsed(type: 'ed25519' | 'rsa' | 'ecdsa'): ParsedKey {
  const opts = type === 'rsa' ? { bits: 2048 } : type === 'ecdsa' ? { bits: 256 } : {};
  // ssh2's ed25519 keygen now and then drops a leading zero byte, which its parser refuses: retry.
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync(type as 'ed25519', opts as never);
    const key = ssh2.utils.parseKey(pair.private);
    if (!(key instanceof Error)) return Array.isArray(key) ? key[0]! : key;
  }
}

describe('signingOnce: the same signatures as ssh2, from a key object made once', () => {
  const data = Buffer.from('session id and userauth request');

  it('ed25519: byte for byte the signature ssh2 makes', () => {
    const key = parsed('ed25519');
    const fast = signingOnce(key);
    expect(fast.sign(data)).toEqual(key.sign(data));
    expect(key.verify(data, fast.sign(data))).toBe(true);
  });

  it('RSA with the agreed hash: byte for byte; without one, ssh2 signs with its own default', () => {
    const key = parsed('rsa');
    const fast = signingOnce(key);
    expect(fast.sign(data, 'sha256')).toEqual(key.sign(data, 'sha256'));
    expect(fast.sign(data, 'sha512')).toEqual(key.sign(data, 'sha512'));
    expect(fast.sign(data)).toEqual(key.sign(data));
  });

  it('ECDSA: a signature the key verifies, with the hash of its curve when ssh2 names none (it never does)', () => {
    const key = parsed('ecdsa');
    const fast = signingOnce(key);
    expect(key.verify(data, fast.sign(data, 'sha256'), 'sha256')).toBe(true);
    expect(key.verify(data, fast.sign(data))).toBe(true);
    expect(key.verify(data, fast.sign(data), 'sha512')).toBe(false);
  });

  it('is still a parsed key to ssh2: same type, public blob and private flag', () => {
    const key = parsed('ed25519');
    const fast = signingOnce(key);
    expect(fast.type).toBe('ssh-ed25519');
    expect(fast.isPrivateKey()).toBe(true);
    expect(fast.getPublicSSH()).toEqual(key.getPublicSSH());
    expect(ssh2.utils.parseKey(fast as never)).toBe(fast);
  });
});
