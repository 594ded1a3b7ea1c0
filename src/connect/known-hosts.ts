// OpenSSH known_hosts matching (plain, [host]:port, wildcard and hashed |1|salt|hmac entries).
import { createHash, createHmac } from 'node:crypto';
import { canonicalBlob, canonicalKey, lineKeyType } from './key-blob.js';
import { orderHostKeyAlgorithms, SSH2_DEFAULT_HOST_KEY } from './ssh-algorithms.js';

export interface KnownHostEntry {
  patterns: string[]; // or one hashed entry
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  key: string; // base64 blob, in canonical form (key-blob.ts)
  marker?: '@revoked' | '@cert-authority';
  source: string; // file:line
}

/**
 * The lines ssh would use, as OpenSSH 9.2's hostkeys_foreach reads them: fields split at spaces and
 * tabs (a CR ending the line is dropped), a marker other than @revoked or @cert-authority, or a key
 * ssh cannot parse (key-blob.ts), makes the line one ssh skips, and so it is skipped here.
 */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^[ \t]+/, '');
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/[ \t]+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0]!.startsWith('@')) {
      if (fields[0] !== '@revoked' && fields[0] !== '@cert-authority') return;
      marker = fields.shift() as KnownHostEntry['marker'];
    }
    const [hosts, keyType, blob] = fields;
    const key = hosts && keyType && blob ? canonicalKey(keyType, blob) : undefined;
    if (!hosts || !keyType || key === undefined) return;
    // The key's own type (an `rsa-sha2-512` or `RSA` line holds an ssh-rsa key), as ssh counts it.
    const entry: KnownHostEntry = { patterns: [], keyType: lineKeyType(keyType), key, source: `${file}:${i + 1}`, ...(marker ? { marker } : {}) };
    if (hosts.startsWith('|1|')) {
      const [, , salt, hash] = hosts.split('|');
      entry.hashed = { salt: Buffer.from(salt ?? '', 'base64'), hash: Buffer.from(hash ?? '', 'base64') };
    } else {
      entry.patterns = hosts.split(',');
    }
    out.push(entry);
  });
  return out;
}

/** The name OpenSSH looks up: `host`, or `[host]:port` when the port is not 22. */
export function hostKeyName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

// Compiled once per pattern: a fleet checks every connection's key against every line of a
// fleet-sized known_hosts (at 500 hosts, a RegExp per line and check cost ~0.7 s of CPU).
const compiled = new Map<string, RegExp>();

function globMatch(pattern: string, name: string): boolean {
  // A literal name (most lines): compared as a string, as OpenSSH does, without case.
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern.toLowerCase() === name.toLowerCase();
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 'i');
    compiled.set(pattern, re);
  }
  return re.test(name);
}

function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) {
    const hmac = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return hmac.equals(entry.hashed.hash);
  }
  let matched = false;
  for (const p of entry.patterns) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) {
      matched = true;
    }
  }
  return matched;
}

/**
 * The lines that can match a name, looked up instead of scanned: at 500 hosts, each of 1,000
 * connections matched every line of a fleet-sized file twice. Lines of literal names only are
 * indexed by name (without case, as OpenSSH compares them); hashed, wildcard and negated lines
 * are still tried one by one. Built once per entries array (loadKnownHosts returns the same array
 * while no file changes).
 */
interface Index {
  size: number;
  byName: Map<string, number[]>;
  others: number[];
}
const indexes = new WeakMap<readonly KnownHostEntry[], Index>();

function indexOf(entries: readonly KnownHostEntry[]): Index {
  const known = indexes.get(entries);
  if (known && known.size === entries.length) return known;
  const index: Index = { size: entries.length, byName: new Map(), others: [] };
  entries.forEach((e, i) => {
    const literal = !e.hashed && e.patterns.every((p) => !/[*?!]/.test(p));
    if (!literal) return void index.others.push(i);
    for (const name of new Set(e.patterns.map((p) => p.toLowerCase()))) {
      const list = index.byName.get(name) ?? [];
      list.push(i);
      index.byName.set(name, list);
    }
  });
  indexes.set(entries, index);
  return index;
}

/** The entries that match `name`, in file order (the first one found is the one reported). */
export function entriesFor(entries: readonly KnownHostEntry[], name: string): KnownHostEntry[] {
  const index = indexOf(entries);
  const hits = [...(index.byName.get(name.toLowerCase()) ?? []), ...index.others.filter((i) => entryMatches(entries[i]!, name))];
  return hits.sort((x, y) => x - y).map((i) => entries[i]!);
}

export function fingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

/** The key type is the first SSH string inside the blob. */
export function keyTypeOf(keyBlob: Buffer): string {
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('ascii');
}

export type HostKeyVerdict =
  | { kind: 'match'; source: string }
  /** `expected`: the key type and fingerprint of the line ssh names ("Offending ... key in"). */
  | { kind: 'mismatch'; source: string; expected: string }
  | { kind: 'revoked'; source: string }
  | { kind: 'unknown'; ca?: string[] }
  /** A key ssh refuses to read (an RSA modulus under 1024 bits, a malformed blob): never trusted, never recorded. */
  | { kind: 'bad' }
  /** An RSA key under ssh_config's RequiredRSASize: ssh ends the connection, whatever known_hosts says. */
  | { kind: 'small'; bits: number; required: number };

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  return checkHostKeyNamed(entries, hostKeyName(host, port), keyBlob);
}

/**
 * As checkHostKey, for a name already in known_hosts form (`[host]:port`, or a HostKeyAlias). As
 * OpenSSH 9.2's check_hostkeys_by_key_or_type: a line with the key is a match; else any other key
 * listed for the name, of whatever type, is a changed key (ssh names the last such line); an
 * @revoked line with the key beats both.
 */
export function checkHostKeyNamed(entries: readonly KnownHostEntry[], name: string, keyBlob: Buffer): HostKeyVerdict {
  const blob = canonicalBlob(keyBlob);
  // ssh: "Bad server host key"; accepted and recorded, its line would then be skipped as unreadable.
  if (blob === undefined) return { kind: 'bad' };
  const forHost = entriesFor(entries, name);
  const revoked = forHost.find((e) => e.marker === '@revoked' && e.key === blob);
  if (revoked) return { kind: 'revoked', source: revoked.source };
  const plain = forHost.filter((e) => !e.marker);
  const hit = plain.find((e) => e.key === blob);
  if (hit) return { kind: 'match', source: hit.source };
  const clash = plain.at(-1);
  if (clash) return { kind: 'mismatch', source: clash.source, expected: `${clash.keyType} ${fingerprint(Buffer.from(clash.key, 'base64'))}` };
  // @cert-authority lines for the host: ssh would take a certificate they signed; teqlctl checks keys only.
  const ca = forHost.filter((e) => e.marker === '@cert-authority').map((e) => e.source);
  return { kind: 'unknown', ...(ca.length > 0 ? { ca } : {}) };
}

/**
 * As checkHostKeyNamed, then, for a key unknown under `[host]:port` (no line for that name at all),
 * under the bare host name, as ssh does without HostKeyAlias ("checking without port identifier"):
 * a match there is a match. ssh looks there quietly and goes on when it finds the key @revoked
 * there; teqlctl refuses it.
 */
export function checkHostKeyFor(entries: readonly KnownHostEntry[], name: string, withoutPort: string | undefined, keyBlob: Buffer): HostKeyVerdict {
  const verdict = checkHostKeyNamed(entries, name, keyBlob);
  if (verdict.kind !== 'unknown' || withoutPort === undefined) return verdict;
  const bare = checkHostKeyNamed(entries, withoutPort, keyBlob);
  return bare.kind === 'match' || bare.kind === 'revoked' ? bare : verdict;
}

/**
 * Key types known for a host, for ordering the host key algorithms, as OpenSSH 9.2's
 * lookup_key_in_hostkeys_by_type: a type counts when the first line of that type listed for the
 * name holds a key that is not @revoked for it (a type whose first key is revoked is not asked for
 * first: ssh then sees the host's other key, and so must teqlctl).
 */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  const forHost = entriesFor(entries, name);
  const revoked = new Set(forHost.filter((e) => e.marker === '@revoked').map((e) => e.key));
  const first = new Map<string, string>();
  for (const e of forHost) if (!e.marker && !first.has(e.keyType)) first.set(e.keyType, e.key);
  return [...first].filter(([, key]) => !revoked.has(key)).map(([type]) => type);
}

/**
 * ssh2's own host key algorithms (no ssh_config read through ssh), reordered for the types known
 * for this host as OpenSSH's order_hostkeyalgs would (ssh-algorithms.ts orderHostKeyAlgorithms).
 */
export function preferKnownTypes(types: readonly string[]): string[] | undefined {
  const ordered = orderHostKeyAlgorithms(SSH2_DEFAULT_HOST_KEY, types);
  return ordered.every((a, i) => a === SSH2_DEFAULT_HOST_KEY[i]) ? undefined : ordered;
}
