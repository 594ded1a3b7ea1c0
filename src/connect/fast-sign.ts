// A parsed private key that signs with a key object made once, not from its PEM text each time.
// ssh2's ParsedKey.sign hands OpenSSL the key's PEM, which it decodes again for every signature:
// at 500 hosts (1,000 logins) that was teqlctl's largest single CPU cost in the fleet's profile.
import { createPrivateKey, sign } from 'node:crypto';
import type { ParsedKey } from 'ssh2';

export function signingOnce(key: ParsedKey): ParsedKey {
  const keyObject = createPrivateKey(key.getPrivatePEM());
  // ssh2 signs ed25519 with no hash, other types with the hash named by the algorithm it agreed on;
  // without one, the key's own default applies, which only ssh2 knows: its own sign is used then.
  const fast = (data: Buffer, algo?: string): Buffer | Error => {
    if (!algo && key.type !== 'ssh-ed25519') return key.sign(data, algo);
    try {
      return sign(key.type === 'ssh-ed25519' ? null : algo!, data, keyObject);
    } catch (err) {
      return err as Error;
    }
  };
  // The rest (public blob, type, checks that it is a parsed key) comes from the parsed key itself.
  return Object.create(key, { sign: { value: fast } }) as ParsedKey;
}
