// A public key's blob (the base64 of a known_hosts line) read as OpenSSH's sshkey_read reads it:
// a line whose key ssh cannot parse is skipped by ssh, so it must count for nothing here either.

// The fields after the type name, per type: 's' a string, 'm' an mpint (OpenSSH drops its leading
// zero bytes, so two spellings of one RSA key are one key to it: compared here in the shortest).
const LAYOUT: Record<string, string> = {
  'ssh-ed25519': 's',
  'ecdsa-sha2-nistp256': 'ss',
  'ecdsa-sha2-nistp384': 'ss',
  'ecdsa-sha2-nistp521': 'ss',
  'ssh-rsa': 'mm',
  'ssh-dss': 'mmmm',
  'sk-ssh-ed25519@openssh.com': 'ss',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'sss',
};
const CURVE: Record<string, { name: string; point: number }> = {
  'ecdsa-sha2-nistp256': { name: 'nistp256', point: 65 },
  'ecdsa-sha2-nistp384': { name: 'nistp384', point: 97 },
  'ecdsa-sha2-nistp521': { name: 'nistp521', point: 133 },
  'sk-ecdsa-sha2-nistp256@openssh.com': { name: 'nistp256', point: 65 },
};

// What else sshkey_type_from_name takes for a plain key's type on a known_hosts line: the RSA
// signature names, and a type's short name in any case (ECDSA alone fails its curve check there).
const TYPE_ALIASES: Record<string, string> = { 'rsa-sha2-256': 'ssh-rsa', 'rsa-sha2-512': 'ssh-rsa' };
const SHORT_NAMES: Record<string, string> = { rsa: 'ssh-rsa', dsa: 'ssh-dss', ed25519: 'ssh-ed25519', 'ed25519-sk': 'sk-ssh-ed25519@openssh.com', 'ecdsa-sk': 'sk-ecdsa-sha2-nistp256@openssh.com' };

/** The key type a known_hosts line's type field names, as OpenSSH 9.2 reads it (`RSA`, `rsa-sha2-512`: ssh-rsa). */
export function lineKeyType(field: string): string {
  return TYPE_ALIASES[field] ?? SHORT_NAMES[field.toLowerCase()] ?? field;
}

function readString(buf: Buffer, at: number): [Buffer, number] | undefined {
  if (at + 4 > buf.length) return undefined;
  const len = buf.readUInt32BE(at);
  if (at + 4 + len > buf.length) return undefined;
  return [buf.subarray(at + 4, at + 4 + len), at + 4 + len];
}

function sshString(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}

/**
 * The key of a known_hosts line in one canonical form (base64), or undefined where ssh would call
 * the line a parse error: base64 that is not strict (b64_pton: padding, no stray bits), a type
 * this reader does not know, a blob whose type is not the line's, fields cut short or left over.
 */
export function canonicalKey(type: string, base64: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) return undefined;
  const blob = Buffer.from(base64, 'base64');
  if (blob.toString('base64') !== base64) return undefined;
  return canonicalBlob(blob, type);
}

/** As canonicalKey, for a blob (a server's host key); `type`, where given, must be the blob's. */
export function canonicalBlob(blob: Buffer, type?: string): string | undefined {
  const head = readString(blob, 0);
  if (!head) return undefined;
  const name = head[0].toString('latin1');
  const layout = LAYOUT[name];
  if (layout === undefined || (type !== undefined && lineKeyType(type) !== name)) return undefined;
  let at = head[1];
  const out = [sshString(head[0])];
  for (const [i, kind] of [...layout].entries()) {
    const field = readString(blob, at);
    if (!field) return undefined;
    at = field[1];
    let value = field[0];
    if (kind === 'm') {
      if (value.length > 0 && (value[0]! & 0x80) !== 0) return undefined; // negative: refused by ssh
      let z = 0;
      while (z < value.length && value[z] === 0) z++;
      value = value.subarray(z);
      // ssh refuses an RSA modulus under 1024 bits (SSH_RSA_MINIMUM_MODULUS_SIZE) as it reads the key.
      if (name === 'ssh-rsa' && i === 1 && (value.length - 1) * 8 + (value.length ? 32 - Math.clz32(value[0]!) : 0) < 1024) return undefined;
      if (value.length > 0 && (value[0]! & 0x80) !== 0) value = Buffer.concat([Buffer.alloc(1), value]);
    }
    const curve = CURVE[name];
    if (curve && i === 0 && value.toString('latin1') !== curve.name) return undefined;
    if (curve && i === 1 && (value.length !== curve.point || value[0] !== 4)) return undefined;
    if (name.endsWith('ed25519') && name !== 'sk-ssh-ed25519@openssh.com' && value.length !== 32) return undefined;
    if (name === 'sk-ssh-ed25519@openssh.com' && i === 0 && value.length !== 32) return undefined;
    out.push(sshString(value));
  }
  if (at !== blob.length) return undefined;
  return Buffer.concat(out).toString('base64');
}

/** The modulus size in bits of an ssh-rsa key blob, undefined for any other key (RequiredRSASize). */
export function rsaModulusBits(blob: Buffer): number | undefined {
  const head = readString(blob, 0);
  if (!head || head[0].toString('latin1') !== 'ssh-rsa') return undefined;
  const e = readString(blob, head[1]);
  const n = e && readString(blob, e[1]);
  if (!n) return undefined;
  let m = n[0];
  let z = 0;
  while (z < m.length && m[z] === 0) z++;
  m = m.subarray(z);
  return m.length === 0 ? 0 : (m.length - 1) * 8 + (32 - Math.clz32(m[0]!));
}
