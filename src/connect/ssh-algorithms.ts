// KexAlgorithms, Ciphers, HostKeyAlgorithms and MACs as ssh_config sets them. `ssh -G` prints each
// list resolved (OpenSSH's defaults, or the config's with its +, - and ^ applied), and teqlctl
// offers the part of it its SSH client (ssh2) has: it then connects where ssh does, and refuses
// where ssh refuses. Before, ssh2's own lists were offered whatever the config said: a router that
// signs its host key only with ssh-rsa (SHA-1, which OpenSSH 8.8+ leaves out) was accepted, and a
// `KexAlgorithms +diffie-hellman-group14-sha1` for an old router was not followed.
import { createRequire } from 'node:module';

/** The lists offered, as ssh2's `algorithms` option takes them. */
export interface SshAlgorithms {
  kex?: string[];
  cipher?: string[];
  serverHostKey?: string[];
  hmac?: string[];
}

interface Ssh2Lists {
  SUPPORTED_KEX: string[];
  SUPPORTED_CIPHER: string[];
  DEFAULT_CIPHER: string[];
  SUPPORTED_SERVER_HOST_KEY: string[];
  DEFAULT_SERVER_HOST_KEY: string[];
  SUPPORTED_MAC: string[];
  DEFAULT_MAC: string[];
}
// ssh2's own lists (the version is pinned in package.json): what its client can negotiate.
const ssh2 = createRequire(import.meta.url)('ssh2/lib/protocol/constants.js') as Ssh2Lists;
/** The host key algorithms ssh2 asks for when told nothing (no ssh_config read through ssh). */
export const SSH2_DEFAULT_HOST_KEY: readonly string[] = ssh2.DEFAULT_SERVER_HOST_KEY;

type Kind = keyof SshAlgorithms;
const SETTINGS: ReadonlyArray<{ key: string; name: string; kind: Kind; supported: string[]; speedOrder?: string[] }> = [
  { key: 'kexalgorithms', name: 'KexAlgorithms', kind: 'kex', supported: ssh2.SUPPORTED_KEX },
  // Ciphers and MACs in ssh2's order among those allowed (AES-GCM first where the CPU has AES:
  // ssh2's chacha20 is slower); the set is the config's. Key exchange and host keys keep the
  // config's order: it decides which host key a server shows (known_hosts).
  { key: 'ciphers', name: 'Ciphers', kind: 'cipher', supported: ssh2.SUPPORTED_CIPHER, speedOrder: ssh2.DEFAULT_CIPHER },
  { key: 'hostkeyalgorithms', name: 'HostKeyAlgorithms', kind: 'serverHostKey', supported: ssh2.SUPPORTED_SERVER_HOST_KEY },
  { key: 'macs', name: 'MACs', kind: 'hmac', supported: ssh2.SUPPORTED_MAC, speedOrder: ssh2.DEFAULT_MAC },
];

/** A list none of whose algorithms ssh2 has: ssh could connect with it, teqlctl cannot. */
export interface UnsupportedList {
  name: string;
  listed: string[];
  supported: string[];
}

/**
 * The lists of `ssh -G`'s output (`g`) that ssh2 can offer. A list ssh -G does not print is left to
 * ssh2's defaults; a list with nothing ssh2 has is returned in `unsupported`.
 */
export function algorithmsOf(g: ReadonlyMap<string, string[]>): { algorithms: SshAlgorithms; unsupported: UnsupportedList[] } {
  const algorithms: SshAlgorithms = {};
  const unsupported: UnsupportedList[] = [];
  for (const s of SETTINGS) {
    const value = g.get(s.key)?.[0];
    if (value === undefined) continue;
    const listed = value.split(',').filter((a) => a !== '');
    const allowed = listed.filter((a) => s.supported.includes(a));
    if (allowed.length === 0) {
      unsupported.push({ name: s.name, listed, supported: s.supported });
      continue;
    }
    algorithms[s.kind] = s.speedOrder ? [...s.speedOrder.filter((a) => allowed.includes(a)), ...allowed.filter((a) => !s.speedOrder!.includes(a))] : allowed;
  }
  return { algorithms, unsupported };
}

/** The key type an algorithm signs with (an RSA key signs as rsa-sha2-512, rsa-sha2-256 and ssh-rsa). */
const keyTypeOfAlgorithm = (a: string) => (a === 'rsa-sha2-512' || a === 'rsa-sha2-256' ? 'ssh-rsa' : a);

/**
 * The host key algorithms to ask for, as OpenSSH 9.2's order_hostkeyalgs: `allowed` as it is when
 * known_hosts holds a key of its first algorithm's type for this host; else the algorithms of the
 * types it holds first, each part in `allowed`'s order. (Putting every known type first instead let
 * a host that lost its ed25519 key show an RSA key listed with it, where ssh asks for its ECDSA key.)
 */
export function orderHostKeyAlgorithms(allowed: readonly string[], knownTypes: readonly string[]): string[] {
  const known = (a: string) => knownTypes.includes(keyTypeOfAlgorithm(a));
  if (allowed.length === 0 || known(allowed[0]!)) return [...allowed];
  return [...allowed.filter(known), ...allowed.filter((a) => !known(a))];
}

/**
 * Whether ssh reorders a host key algorithm list (ssh -G prints it resolved) for the keys
 * known_hosts holds: OpenSSH 9.2 does for its default list and for one the config changed with + or
 * - (its defaults with some left out, some appended), not for a list written out or with ^ (probed
 * against ssh 9.2). A list written out in the defaults' order cannot be told from a - list here,
 * and is reordered.
 */
export function reordersHostKeyAlgorithms(resolved: readonly string[], defaults: readonly string[]): boolean {
  let at = 0;
  let appended = false;
  for (const a of resolved) {
    const i = defaults.indexOf(a, at);
    if (i < 0) {
      if (defaults.includes(a)) return false; // out of the defaults' order
      appended = true;
    } else if (appended) {
      return false; // one of the defaults after an added one: written out, or ^
    } else {
      at = i + 1;
    }
  }
  return true;
}
