// The connection variables of one host (ansible_host, ansible_port, ...) read into a ConnectionSpec.
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { ExprError } from './expr-error.js';
import { toBool } from './expr-eval.js';
import { MAX_NAME_CHARS } from './limits.js';
import { parseIPv4 } from '../router/ipv4.js';
import type { Problems } from './problems.js';
import type { VarScope } from './scope.js';
import { codePoint, short, shown } from './shown.js';
import type { ConnectionSpec } from './types.js';

export const CONNECTION_VARS = [
  'ansible_host',
  'ansible_port',
  'ansible_user',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_become',
  'ansible_become_user',
  'ansible_become_method',
  'ansible_connection',
  'teqlctl_known_hosts_file',
];

export const PASSWORD_VARS = ['ansible_password', 'ansible_ssh_pass', 'ansible_become_password', 'ansible_become_pass'];

// None of these reaches a shell (ssh2 takes host and user as data, paths are read locally; the become
// user does reach one, quoted), but each is held to what it can be, so a hostile value stops here.
const SPACE_OR_INVISIBLE = /[\s\p{Cc}\p{Cf}]/u;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const BECOME_USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

function oneWord(v: string): string | undefined {
  const bad = SPACE_OR_INVISIBLE.exec(v)?.[0];
  if (bad !== undefined) return `${shown(v)} contains whitespace or an invisible character (${codePoint(bad)})`;
  if (v.startsWith('-')) return `${shown(v)} starts with '-'`;
  if (v.length > MAX_NAME_CHARS) return `${shown(v)} is longer than ${MAX_NAME_CHARS} characters`;
  return undefined;
}

const PATH_RULE = {
  check: (v: string) => {
    const bad = INVISIBLE.exec(v)?.[0];
    if (bad !== undefined) return `${shown(v)} contains a control or invisible character (${codePoint(bad)})`;
    return Buffer.byteLength(v) > 4096 ? `${shown(v)} is longer than 4096 bytes` : undefined;
  },
  hint: 'a path to a file, e.g. ~/.ssh/id_ed25519',
};
const RULES: Record<string, { check: (v: string) => string | undefined; hint: string }> = {
  ansible_host: {
    check: (v) => oneWord(v) ?? (/^[\d.]+$/.test(v) && parseIPv4(v) === undefined ? `${shown(v)} is not an IPv4 address (four numbers 0..255 without leading zeros)` : undefined),
    hint: 'an address (192.0.2.10), a DNS name or an ssh_config Host alias',
  },
  ansible_user: { check: oneWord, hint: 'a user name, e.g. ansible_user: admin' },
  ansible_become_user: {
    check: (v) => (BECOME_USER.test(v) ? undefined : `${shown(v)} is not a user name (letters, digits, _ . -, at most 32, not starting with a digit, - or .)`),
    hint: 'e.g. ansible_become_user: root',
  },
  ansible_ssh_private_key_file: PATH_RULE,
  ansible_private_key_file: PATH_RULE,
  teqlctl_known_hosts_file: PATH_RULE,
};

/** `~` is the home folder; a relative path is relative to the inventory file's folder. */
export function expandPath(p: string, inventoryDir: string): string {
  const home = p === '~' ? homedir() : p.startsWith('~/') ? resolve(homedir(), p.slice(2)) : p;
  return isAbsolute(home) ? home : resolve(inventoryDir, home);
}

export function buildConnection(hostName: string, scope: VarScope, inventoryDir: string, problems: Problems): ConnectionSpec {
  const posOfVar = (name: string) => scope.origin(name)?.pos;
  const read = (name: string): unknown => {
    try {
      const r = scope.lookup(name);
      return r.found ? r.value : undefined;
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      problems.add(`${name} of host ${hostName}: ${err.message}`, posOfVar(name), err.hint);
      return undefined;
    }
  };
  const bad = (name: string, want: string, value: unknown, hint?: string): undefined => {
    problems.add(`${name} of host ${hostName} must be ${want}, got ${short(JSON.stringify(value) ?? String(value), 80)}`, posOfVar(name), hint);
    return undefined;
  };
  const text = (name: string): string | undefined => {
    const v = read(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string' && v !== '') {
      const rule = RULES[name];
      const why = rule?.check(v);
      if (why === undefined) return v;
      problems.add(`${name} of host ${hostName}: ${why}`, posOfVar(name), rule?.hint);
      return undefined;
    }
    if (typeof v === 'number' && name === 'ansible_host') return bad(name, 'a host name or address in text', v, 'quote it');
    return bad(name, 'a non-empty string', v);
  };

  for (const name of PASSWORD_VARS) {
    if (read(name) !== undefined) {
      const hint = /become/.test(name)
        ? 'a sudo password never goes in the inventory: give it with --become-password-file FILE or TEQLCTL_BECOME_PASSWORD (on a terminal, teqlctl asks)'
        : 'use an SSH key (ansible_ssh_private_key_file, IdentityFile in ~/.ssh/config, or ssh-agent)';
      problems.add(`${name} of host ${hostName}: passwords are not supported`, posOfVar(name), hint);
    }
  }
  const connection = read('ansible_connection');
  if (connection !== undefined && connection !== 'ssh') {
    bad('ansible_connection', "'ssh' (teqlctl only connects over SSH)", connection, 'remove ansible_connection or set it to ssh');
  }

  const spec: ConnectionSpec = { host: text('ansible_host') ?? hostName, become: false, becomeUser: 'root' };
  const port = read('ansible_port');
  if (port !== undefined && port !== null) {
    const n = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) spec.port = n;
    else bad('ansible_port', 'a port number 1..65535', port, 'e.g. ansible_port: 22, or leave it out for ssh_config or 22');
  }
  const user = text('ansible_user');
  if (user !== undefined) spec.user = user;
  const key = text('ansible_ssh_private_key_file') ?? text('ansible_private_key_file');
  if (key !== undefined) spec.privateKeyFile = expandPath(key, inventoryDir);
  const knownHosts = text('teqlctl_known_hosts_file');
  if (knownHosts !== undefined) spec.knownHostsFile = expandPath(knownHosts, inventoryDir);
  const become = read('ansible_become');
  if (become !== undefined && become !== null) {
    try {
      spec.become = toBool(become);
    } catch {
      bad('ansible_become', 'true or false', become, 'write ansible_become: true (or yes/no)');
    }
  }
  spec.becomeUser = text('ansible_become_user') ?? 'root';
  const method = text('ansible_become_method');
  if (method === 'sudo' || method === 'doas') spec.becomeMethod = method;
  else if (method !== undefined) bad('ansible_become_method', "'sudo' or 'doas' (Alpine's default)", method, 'teqlctl becomes root with sudo or doas only; set ansible_become_method: sudo or doas');
  return spec;
}
