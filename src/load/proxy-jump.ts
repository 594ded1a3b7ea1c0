// OpenSSH's ProxyJump syntax, read where it is written: the inventory (ansible_ssh_common_args, so a bad
// value is bad input, exit 2), and ssh_config (connect/). Pure.
import { sshPort, type ServicePort } from './tcp-services.js';
import { hostProblem } from './login-rules.js';

export interface JumpSpec {
  user?: string;
  host: string;
  port?: number;
}

export function parsePort(text: string | undefined): number | undefined {
  if (!text || !/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/**
 * `[user@]host[:port]` entries, comma-separated (ssh:// URIs and `[v6]:port` too); undefined when
 * malformed. A port is read as ssh's a2port reads it: a number, or a TCP service name `services`
 * knows (`bastion:ssh`; none by default).
 */
export function parseProxyJump(text: string, services: ServicePort = () => undefined): JumpSpec[] | undefined {
  const out: JumpSpec[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim().replace(/^ssh:\/\//, '').replace(/\/$/, '');
    const at = entry.lastIndexOf('@');
    const user = at > 0 ? entry.slice(0, at) : undefined;
    const rest = at >= 0 ? entry.slice(at + 1) : entry;
    const m = /^\[([^\]]+)\](?::([^:\s]+))?$/.exec(rest) ?? /^([^:[\]\s]+)(?::([^:\s]+))?$/.exec(rest);
    if (!m) return undefined;
    // A host as ansible_host must be (login-rules.ts): not an option (-oProxyCommand=...), not an
    // address a resolver reads otherwise (010.0.0.1, 127.1); nor a user starting with '-' (a review).
    if (hostProblem(m[1]!) !== undefined || user?.startsWith('-')) return undefined;
    const port = m[2] === undefined ? undefined : sshPort(m[2], services);
    if (m[2] !== undefined && port === undefined) return undefined;
    out.push({ host: m[1]!, ...(user ? { user } : {}), ...(port ? { port } : {}) });
  }
  return out.length > 0 ? out : undefined;
}
