// Pure: known_hosts lines for the forwarded SSH ports, in the form OpenSSH itself writes them.
import type { LabRouter, Router } from './topology.js';

/** `[127.0.0.1]:2201 ssh-ed25519 AAAA...`: non-22 ports are bracketed; the key's comment is dropped. */
export function knownHostsLine(host: string, port: number, publicKey: string): string {
  const [type, blob] = publicKey.trim().split(/\s+/);
  if (!type || !blob) throw new Error(`not an OpenSSH public key: ${publicKey.slice(0, 40)}`);
  const name = port === 22 ? host : `[${host}]:${port}`;
  return `${name} ${type} ${blob}`;
}

export function renderKnownHosts(entries: { router: LabRouter; port: number; publicKey: string }[]): string {
  return entries.map((e) => knownHostsLine('127.0.0.1', e.port, e.publicKey) + '\n').join('');
}
