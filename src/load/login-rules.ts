// What ansible_host and ansible_user can be: one rule for the loader and the wizard's questions, so
// the wizard never connects to, nor writes, a value that `teqlctl play` would then refuse.
import { isIPv6 } from 'node:net';
import { MAX_NAME_CHARS } from './limits.js';
import { parseIPv4 } from '../router/ipv4.js';
import { codePoint, shown } from './shown.js';

const SPACE_OR_INVISIBLE = /[\s\p{Cc}\p{Cf}]/u;

/** One word: no whitespace or invisible character, no leading '-', at most MAX_NAME_CHARS. */
export function oneWord(v: string): string | undefined {
  const bad = SPACE_OR_INVISIBLE.exec(v)?.[0];
  if (bad !== undefined) return `${shown(v)} contains whitespace or an invisible character (${codePoint(bad)})`;
  if (v.startsWith('-')) return `${shown(v)} starts with '-'`;
  if (v.length > MAX_NAME_CHARS) return `${shown(v)} is longer than ${MAX_NAME_CHARS} characters`;
  return undefined;
}

/**
 * What Ansible would hand ssh as a host, and ssh would take as a name to resolve: a port, a prefix
 * or brackets around it would become a DNS query for a name that does not exist, after loading.
 */
export function hostShape(v: string): string | undefined {
  // The resolver (inet_aton) reads 127.1, 2130706433, 010.0.0.1 (octal) and 0x7f.1 (hex) as addresses: each a different one than it looks.
  if ((/^[\d.]+$/.test(v) || /^(0x[\da-f]*|\d+)(\.(0x[\da-f]*|\d+)){0,3}$/i.test(v)) && parseIPv4(v) === undefined) return `${shown(v)} is not an IPv4 address (four numbers 0..255 without leading zeros)`;
  // Ansible hands it to ssh, which would log in as that user (teqlctl looked up "user@host" as a name).
  if (v.includes('@')) return `${shown(v)} holds a user (user@host): give the host alone, and the user in ansible_user`;
  if (v.startsWith('[')) return `${shown(v)} is in brackets: give the address alone (and its port in ansible_port)`;
  if (v.includes('/')) return `${shown(v)} holds a prefix length: give the address alone`;
  if (v.includes(':') && !isIPv6(v)) return `${shown(v)} is not an IPv6 address; a port goes in ansible_port, not after the host`;
  return undefined;
}

export const hostProblem = (v: string): string | undefined => oneWord(v) ?? hostShape(v);
export const userProblem = oneWord;
