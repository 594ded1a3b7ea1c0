// OpenSSH known_hosts matching (plain, [host]:port, wildcard and hashed |1|salt|hmac entries).
import { createHash, createHmac } from 'node:crypto';

export interface KnownHostEntry {
  patterns: string[]; // or one hashed entry
  hashed?: { salt: Buffer; hash: Buffer };
  keyType: string;
  key: string; // base64 blob
  marker?: '@revoked' | '@cert-authority';
  source: string; // file:line
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    const entry: KnownHostEntry = { patterns: [], keyType, key, source: `${file}:${i + 1}`, ...(marker ? { marker } : {}) };
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
  | { kind: 'mismatch'; source: string; expected: string }
  | { kind: 'revoked'; source: string }
  /** `known`: keys of other types listed for the host (OpenSSH: "keys of different type are already known for this host"). */
  | { kind: 'unknown'; known: { keyType: string; source: string }[]; ca?: string[] };

export function checkHostKey(entries: readonly KnownHostEntry[], host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  return checkHostKeyNamed(entries, hostKeyName(host, port), keyBlob);
}

/** As checkHostKey, for a name already in known_hosts form (`[host]:port`, or a HostKeyAlias). */
export function checkHostKeyNamed(entries: readonly KnownHostEntry[], name: string, keyBlob: Buffer): HostKeyVerdict {
  const type = keyTypeOf(keyBlob);
  const blob = keyBlob.toString('base64');
  const forHost = entriesFor(entries, name);
  const revoked = forHost.find((e) => e.marker === '@revoked' && e.key === blob);
  if (revoked) return { kind: 'revoked', source: revoked.source };
  const plain = forHost.filter((e) => !e.marker);
  const hit = plain.find((e) => e.keyType === type && e.key === blob);
  if (hit) return { kind: 'match', source: hit.source };
  // OpenSSH refuses a different key of the same type; a key of a type we have not seen is unknown.
  const clash = plain.find((e) => e.keyType === type);
  if (clash) return { kind: 'mismatch', source: clash.source, expected: fingerprint(Buffer.from(clash.key, 'base64')) };
  // @cert-authority lines for the host: ssh would take a certificate they signed; teqlctl checks keys only.
  const ca = forHost.filter((e) => e.marker === '@cert-authority').map((e) => e.source);
  return { kind: 'unknown', known: plain.map((e) => ({ keyType: e.keyType, source: e.source })), ...(ca.length > 0 ? { ca } : {}) };
}

/** Key types known for a host, for ssh2's host key algorithms (an RSA key signs as rsa-sha2-*). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], name: string): string[] {
  return [...new Set(entriesFor(entries, name).filter((e) => !e.marker).map((e) => e.keyType))];
}

/**
 * The host key algorithms to ask for, the types known for this host first, as OpenSSH's
 * order_hostkeyalgs (sshconnect2.c) does, so that a host that has several keys shows the one we know.
 */
export function preferKnownTypes(types: readonly string[]): { remove: RegExp[]; prepend: RegExp[] } | undefined {
  const algos = types.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t])).filter((a) => /^[a-z0-9@.-]+$/.test(a));
  if (algos.length === 0) return undefined;
  const exact = algos.map((a) => new RegExp(`^${a.replace(/\./g, '\\.')}$`));
  return { remove: exact, prepend: exact };
}
