// Strict host key checking: which known_hosts files are read, how a first-use key is recorded, and
// the refusals. A changed or revoked key is always refused; nothing here can turn checking off.
import { createHmac, randomBytes } from 'node:crypto';
import { appendFile, mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConnectError } from '../errors.js';
import { fingerprint, keyTypeOf, parseKnownHosts, type HostKeyVerdict, type KnownHostEntry } from './known-hosts.js';
import type { Hop } from './resolve-target.js';

export const GLOBAL_KNOWN_HOSTS = '/etc/ssh/ssh_known_hosts';

/**
 * The known_hosts files a hop is checked against: ssh_config's UserKnownHostsFile and
 * GlobalKnownHostsFile where set, else ~/.ssh/known_hosts{,2} and the global ones; then the inventory's
 * teqlctl_known_hosts_file. Where ssh_config names no user file (`UserKnownHostsFile none`), none is
 * read, as by ssh (~/.ssh/known_hosts was read, trusting a key kept out of the host's check: a review).
 */
export function knownHostsFiles(home: string, inventoryFile?: string, configured?: Array<Hop['knownHosts']>): string[] {
  // ssh's own defaults, the *2 files with them (readconf.c: _PATH_SSH_USER_HOSTFILE2, _PATH_SSH_SYSTEM_HOSTFILE2).
  const defaults = [join(home, '.ssh', 'known_hosts'), join(home, '.ssh', 'known_hosts2'), GLOBAL_KNOWN_HOSTS, `${GLOBAL_KNOWN_HOSTS}2`];
  const hops = configured === undefined || configured.length === 0 ? [undefined] : configured;
  const own = [...new Set(hops.flatMap((k) => (k ? [...k.user, ...k.global] : defaults)))];
  return [...own, ...(inventoryFile ? [inventoryFile] : [])];
}

/**
 * Where a key accepted on first use is written: ssh_config's first UserKnownHostsFile, else
 * ~/.ssh/known_hosts; nowhere with `UserKnownHostsFile none` (trusted for this run only, as ssh does).
 */
export function recordFileFor(home: string, hop: Hop): string | undefined {
  if (hop.knownHosts) return hop.knownHosts.user[0];
  return join(home, '.ssh', 'known_hosts');
}

// Parsed once per file and version for the whole run: at 500 hosts, re-parsing a fleet-sized
// known_hosts for each of the 1000 connections cost ~150 MB of heap (measured by the bench).
// The promise is cached, not its result: 200 connections starting at once (--forks 200) read and
// parse the file once, not once each before the first parse ends.
const parsed = new Map<string, { version: string; entries: Promise<KnownHostEntry[]> }>();

// The same list of files at the same versions gives back the same array, so that the name index
// built over it (known-hosts.ts entriesFor) is built once per run, not once per connection. It is
// shared, so never changed: a key accepted on first use goes into a copy (ssh-hop.ts).
const combined = new Map<string, { versions: string; entries: Promise<KnownHostEntry[]> }>();

// A stat already under way answers every connection that asks meanwhile, as if that connection had
// started the moment the stat did (a few ms earlier). The one change of the file that must be seen at
// once, a key teqlctl records itself, drops the stat under way (recordHostKey). At --forks 200, 200
// connections starting at once stat each file once, not 200 times (the fleet's profile: ~0.35 s of
// 9 s CPU went to these stats at 500 hosts).
const statting = new Map<string, Promise<string | undefined>>();

function versionOf(file: string): Promise<string | undefined> {
  let pending = statting.get(file);
  if (!pending) {
    pending = stat(file).then(
      (st) => {
        // Read whole: a named pipe (ssh_config's UserKnownHostsFile) waited forever, a device
        // never ends. /dev/null, ssh's idiom for none, reads as empty.
        if (!st.isFile() && file !== '/dev/null') throw new Error(`the known_hosts file ${file} is not a file (a folder, a pipe or a device): teqlctl reads files only`);
        return `${st.mtimeMs}:${st.size}:${st.ino}`;
      },
      (err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return undefined;
        throw err;
      },
    );
    statting.set(file, pending);
    const mine = pending;
    const done = () => statting.get(file) === mine && statting.delete(file);
    mine.then(done, done);
  }
  return pending;
}

export async function loadKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
  const found = (await Promise.all(files.map(async (file) => ({ file, version: await versionOf(file) })))).filter(
    (f): f is { file: string; version: string } => f.version !== undefined,
  );
  const key = files.join('\0');
  const versions = found.map((f) => `${f.file}@${f.version}`).join('\0');
  const known = combined.get(key);
  // The same files at the same versions: the array built before (or being built, for connections
  // that start together), without reading or copying anything.
  if (known?.versions === versions) return known.entries;
  const entries = (async () => {
    const all: KnownHostEntry[] = [];
    for (const { file, version } of found) {
      let cached = parsed.get(file);
      if (cached?.version !== version) {
        cached = { version, entries: readFile(file, 'utf8').then((text) => parseKnownHosts(text, file)) };
        parsed.set(file, cached);
        const mine = cached;
        mine.entries.catch(() => parsed.get(file) === mine && parsed.delete(file));
      }
      all.push(...(await cached.entries));
    }
    return all;
  })();
  const mine = { versions, entries };
  combined.set(key, mine);
  entries.catch(() => combined.get(key) === mine && combined.delete(key));
  return entries;
}

/**
 * Appends `name type base64` (OpenSSH's format) to ~/.ssh/known_hosts, creating ~/.ssh (mode 700) if
 * needed; a file whose last line has no newline gets one first, so the two lines do not run together.
 */
/** `name` as known_hosts holds it: hashed (`|1|salt|HMAC-SHA1`) where HashKnownHosts says so, as ssh writes it. */
export function knownHostsName(name: string, hashed = false): string {
  if (!hashed) return name;
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

export async function recordHostKey(file: string, name: string, key: Buffer, hashed = false): Promise<string> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  let lastByte = '\n';
  try {
    const fh = await open(file, 'r');
    try {
      const { size } = await fh.stat();
      if (size > 0) lastByte = (await fh.read(Buffer.alloc(1), 0, 1, size - 1)).buffer.toString('latin1');
    } finally {
      await fh.close();
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await appendFile(file, `${lastByte === '\n' ? '' : '\n'}${knownHostsName(name, hashed)} ${keyTypeOf(key)} ${key.toString('base64')}\n`, { mode: 0o600 });
  // A connection that asks from now on stats the file again, and so reads the key just written.
  statting.delete(file);
  return file;
}

export function hostKeyRefusal(inventoryName: string, hop: Hop, verdict: Exclude<HostKeyVerdict, { kind: 'match' }>, key: Buffer, files: readonly string[], unknownHint?: string): ConnectError {
  const where = `${hop.hostKeyName}${hop.alias !== hop.host ? ` (${hop.alias})` : ''}`;
  const seen = `${keyTypeOf(key)} ${fingerprint(key)}`;
  if (verdict.kind === 'mismatch') {
    const file = verdict.source.replace(/:\d+$/, '');
    // A key of another type than the one listed is a changed key to ssh too (REMOTE HOST
    // IDENTIFICATION HAS CHANGED, even with accept-new): the listed key may still be right.
    const otherType = !verdict.expected.startsWith(`${keyTypeOf(key)} `);
    return new ConnectError(
      inventoryName,
      `HOST KEY CHANGED for ${where}: the host presents ${seen}, but ${verdict.source} says ${verdict.expected}${otherType ? ' (a key of another type)' : ''}. ` +
        'Someone may be intercepting the connection (man in the middle), or the host was reinstalled. Refused; --accept-new does not override this.',
      otherType
        ? `check the new key out of band; if it is right, add it yourself (e.g. ssh-keyscan -t ${keyTypeOf(key)} -p PORT HOST >> ${file}, after comparing its fingerprint)`
        : `check the new key out of band; if it is right, remove the old line (ssh-keygen -R '${hop.hostKeyName}' -f ${file}) and run again with --accept-new`,
    );
  }
  if (verdict.kind === 'bad') {
    return new ConnectError(inventoryName, `host key of ${where} (${seen}) is one ssh refuses to use (an RSA key under 1024 bits, or a malformed key). Refused.`, 'give the router a stronger host key (e.g. ssh-keygen -t ed25519 on it, as HostKey in its sshd_config)');
  }
  if (verdict.kind === 'small') {
    return new ConnectError(inventoryName, `host key of ${where} (${seen}) is an RSA key of ${verdict.bits} bits, under the ${verdict.required} ssh_config's RequiredRSASize asks for (ssh ends such a connection). Refused.`, 'give the router a stronger host key (e.g. ssh-keygen -t ed25519 on it, as HostKey in its sshd_config), or lower RequiredRSASize for this host');
  }
  if (verdict.kind === 'revoked') {
    return new ConnectError(inventoryName, `host key of ${where} (${seen}) is marked @revoked in ${verdict.source}. Refused.`);
  }
  // Said, not dropped: the operator trusts a CA for this host, which teqlctl's client cannot check.
  const ca = verdict.ca ? `; ${verdict.ca.join(', ')} trusts a certificate authority for it (@cert-authority), whose host certificates teqlctl cannot check: it checks the host's own key` : '';
  return new ConnectError(
    inventoryName,
    `unknown host key for ${where}: ${seen} is in no known_hosts file (read: ${files.join(', ')})${ca}`,
    unknownHint ?? `check the fingerprint out of band, then add the key to ~/.ssh/known_hosts (or name a known_hosts file with teqlctl_known_hosts_file)`,
  );
}
