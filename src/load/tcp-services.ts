// The TCP service names of /etc/services, as OpenSSH's a2port finds them (getservbyname(name, "tcp")):
// `Port ssh` in ssh_config is port 22 for ssh 9.2, `Port www` 80, and a name the file lacks makes ssh
// refuse the whole file ("Bad port"). Read once, and only when a port is written as a word.
import { readFileSync } from 'node:fs';

/** name or alias -> port, of the tcp lines of an /etc/services text; the first line naming it wins, as in glibc. */
export function parseServices(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const raw of text.split('\n')) {
    const words = raw.replace(/#.*/, '').trim().split(/\s+/);
    const m = /^(\d+)\/tcp$/.exec(words[1] ?? '');
    if (!m) continue;
    for (const name of [words[0]!, ...words.slice(2)]) if (!out.has(name)) out.set(name, Number(m[1]));
  }
  return out;
}

let cached: Map<string, number> | undefined;

/** The port of a tcp service name (case-sensitive, as getservbyname), or undefined; no /etc/services: none. */
export function tcpServicePort(name: string, file = '/etc/services'): number | undefined {
  if (!cached) {
    try {
      cached = parseServices(readFileSync(file, 'utf8'));
    } catch {
      cached = new Map();
    }
  }
  return cached.get(name);
}

/** Port numbers and TCP service names (/etc/services: tcp-services.ts); none by default. */
export type ServicePort = (name: string) => number | undefined;

/**
 * A port as OpenSSH 9.2's a2port reads it: a decimal number 1..65535 (strtonum: leading blanks, a
 * sign and zeros allowed: ` 22`, `+22`, `022`), else a TCP service name (`ssh`, `www`, case-sensitive).
 * Undefined where ssh says "Bad port" (0, 70000, -1, 0x16, abc, SSH) and refuses the whole file.
 */
export function sshPort(v: string, services: ServicePort = () => undefined): number | undefined {
  if (/^\s*[+-]?\d+$/.test(v)) {
    const n = Number(v.trim());
    return n >= 1 && n <= 65535 ? n : undefined;
  }
  const p = services(v);
  return p !== undefined && p >= 1 && p <= 65535 ? p : undefined;
}
