// A parsed private key that signs with a key object made once, not from its PEM text each time.
// ssh2's ParsedKey.sign hands OpenSSL the key's PEM, which it decodes again for every signature:
// at 500 hosts (1,000 logins) that was teqlctl's largest single CPU cost in the fleet's profile.
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import type { ParsedKey } from 'ssh2';

// The hash each key type signs with when ssh2 names none (keyParser.js): it names one only for RSA,
// whose rsa-sha2-256/512 it agrees with the server. ed25519 signs with none (null).
const DEFAULT_HASH: Record<string, string | null> = {
  'ssh-ed25519': null,
  'ecdsa-sha2-nistp256': 'sha256',
  'ecdsa-sha2-nistp384': 'sha384',
  'ecdsa-sha2-nistp521': 'sha512',
};

export function signingOnce(key: ParsedKey): ParsedKey {
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey(key.getPrivatePEM());
  } catch {
    return key; // a key OpenSSL will not load this way still signs the slow way
  }
  const fast = (data: Buffer, algo?: string): Buffer | Error => {
    const hash = key.type === 'ssh-ed25519' ? null : algo || DEFAULT_HASH[key.type];
    // Unknown here (RSA with no algorithm named, DSA): ssh2's own default, the slow way.
    if (hash === undefined) return key.sign(data, algo);
    try {
      return sign(hash, data, keyObject);
    } catch (err) {
      return err as Error;
    }
  };
  // The rest (public blob, type, checks that it is a parsed key) comes from the parsed key itself.
  return Object.create(key, { sign: { value: fast } }) as ParsedKey;
}
