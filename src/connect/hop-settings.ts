// Settings of one hop read from ssh_config's values, alike for ssh -G's (resolve-openssh.ts) and
// teqlctl's own reader (resolve-target.ts). Pure.

/**
 * ConnectTimeout (seconds, `none` by default): bounds the hop's TCP connection, as ssh bounds it;
 * the system's own otherwise. The login after it keeps teqlctl's 20 s. In milliseconds at most
 * INT_MAX (24.8 days), as ssh 9.2 caps it (ssh.c); a longer timer would fire at once in Node.
 */
export function connectTimeoutOf(v: string | undefined): { connectTimeoutMs?: number } {
  const n = v === undefined || v === 'none' ? NaN : Number(v);
  return Number.isInteger(n) && n > 0 ? { connectTimeoutMs: Math.min(n * 1000, 2 ** 31 - 1) } : {};
}

/** AddressFamily: `inet` or `inet6` kept (the name resolved to that family only), `any` is the default. */
export function addressFamilyOf(v: string | undefined): { addressFamily?: 'inet' | 'inet6' } {
  return v === 'inet' || v === 'inet6' ? { addressFamily: v } : {};
}

/** RequiredRSASize above the 1024 bits every RSA key is held to anyway (key-blob.ts). */
export function requiredRsaOf(value: string | undefined): { requiredRsaBits?: number } {
  const bits = Number(value);
  return Number.isInteger(bits) && bits > 1024 ? { requiredRsaBits: bits } : {};
}
