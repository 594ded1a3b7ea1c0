// A known_hosts line as ssh would write it here: hashed (|1|salt|HMAC-SHA1 of the name) where the
// system's ssh_config says HashKnownHosts yes (Debian's does), plain otherwise. A test with its own
// HOME has teqlctl's ssh -G read that HOME's config and then the system's, as ssh does.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';

/** Whether the system's ssh_config hashes the names ssh writes into known_hosts. */
export function systemHashesKnownHosts(): boolean {
  return /^hashknownhosts yes$/m.test(execFileSync('ssh', ['-G', '-F', existsSync('/etc/ssh/ssh_config') ? '/etc/ssh/ssh_config' : '/dev/null', 'x'], { encoding: 'utf8' }));
}

/** Whether `line` is `name`'s key `typeAndKey` ("ssh-ed25519 AAAA..."; or any ed25519 key when undefined), written as ssh would write it here. */
export function knownHostsLineNames(line: string, name: string, typeAndKey?: string): boolean {
  const [names, type, key] = line.split(' ');
  if (typeAndKey !== undefined ? `${type} ${key}` !== typeAndKey.trim() : type !== 'ssh-ed25519' || !key?.startsWith('AAAA')) return false;
  const hashed = /^\|1\|([^|]+)\|([^|]+)$/.exec(names ?? '');
  if (!hashed) return !systemHashesKnownHosts() && names === name;
  return systemHashesKnownHosts() && createHmac('sha1', Buffer.from(hashed[1]!, 'base64')).update(name).digest('base64') === hashed[2];
}
