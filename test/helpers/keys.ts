// ssh2's generateKeyPairSync('ed25519') returns a malformed private key about once in 200 calls
// (measured: 9 of 2000), which made tests that start SSH servers flaky. Regenerate until it parses.
import ssh2 from 'ssh2';

type Options = Parameters<typeof ssh2.utils.generateKeyPairSync>[1];

export function ed25519KeyPair(options?: Options): { private: string; public: string } {
  for (let attempt = 0; attempt < 50; attempt++) {
    const pair = options ? ssh2.utils.generateKeyPairSync('ed25519', options) : ssh2.utils.generateKeyPairSync('ed25519');
    const parsed = ssh2.utils.parseKey(pair.private, (options as { passphrase?: string } | undefined)?.passphrase);
    if (!(parsed instanceof Error)) return pair;
  }
  throw new Error('could not generate a valid ed25519 key pair');
}
