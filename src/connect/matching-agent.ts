// The public key of a key file named, as ssh finds it to match the agent's keys by (IdentitiesOnly
// yes, and the order keys are offered in: ordered-agent.ts). The agent that lists only the matching
// keys went into ordered-agent.ts, which orders them as ssh does (a review).
import { readKeyFile } from './read-key-file.js';
import ssh2 from 'ssh2';

/**
 * The public blob of a key file named, as ssh finds it for a key it cannot open itself: the file
 * itself when it is a public key (`IdentityFile ~/.ssh/id.pub`, as agent-only keys of 1Password,
 * Secretive or a YubiKey are named), else the public half an OpenSSH private key keeps unencrypted
 * in its header, else `file.pub`.
 */
export async function publicBlobOf(file: string): Promise<Buffer | undefined> {
  const own = await readKeyFile(file);
  if (own !== undefined) {
    const blob = publicKeyText(own) ?? openSshHeaderBlob(own);
    if (blob) return blob;
  }
  const pub = await readKeyFile(`${file}.pub`);
  return pub === undefined ? undefined : publicKeyText(pub);
}

function publicKeyText(text: string): Buffer | undefined {
  if (!/^\s*(ssh-|ecdsa-|sk-)/.test(text)) return undefined;
  const parsed = ssh2.utils.parseKey(text);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  return key instanceof Error || key === undefined || key.isPrivateKey() ? undefined : key.getPublicSSH();
}

/** openssh-key-v1: magic, cipher, kdf, kdf options, key count, then the first public key, in clear. */
function openSshHeaderBlob(text: string): Buffer | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m) return undefined;
  const b = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0');
  if (b.length < magic.length || !b.subarray(0, magic.length).equals(magic)) return undefined;
  let at = magic.length;
  const string = (): Buffer | undefined => {
    if (at + 4 > b.length) return undefined;
    const n = b.readUInt32BE(at);
    if (at + 4 + n > b.length) return undefined;
    const s = b.subarray(at + 4, at + 4 + n);
    at += 4 + n;
    return s;
  };
  for (let i = 0; i < 3; i++) if (!string()) return undefined; // cipher, kdf, kdf options
  if (at + 4 > b.length || b.readUInt32BE(at) < 1) return undefined;
  at += 4;
  return string();
}
