// The connection variables of one host (ansible_host, ansible_port, ...) read into a ConnectionSpec.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { expandPath, pathProblem } from './user-home.js';
import { isAbsolute, resolve } from 'node:path';
import { HONOURED_ANSIBLE_VARS, PASSWORD_VARS, passwordHint, refuseUnknownAnsibleVars } from './ansible-vars.js';
import { ExprError } from './expr-error.js';
import { ansibleBoolean } from './ansible-boolean.js';
import { hostProblem, hostShape, userProblem } from './login-rules.js';
import type { Problems } from './problems.js';
import type { SourcePos } from '../errors.js';
import type { VarScope } from './scope.js';
import { codePoint, short, shown } from './shown.js';
import { readSshArgs, type SshArgSettings } from './ssh-args.js';
import { yaml11Refusal } from './yaml11-readings.js';
import { yaml11Through } from './yaml11-through.js';
import type { ConnectionSpec } from './types.js';

/** Variables that say where, as whom and how to connect: one list, with ansible-vars.ts. */
export const CONNECTION_VARS = [...HONOURED_ANSIBLE_VARS, 'teqlctl_known_hosts_file'];

export { PASSWORD_VARS };

// The older names, as Ansible still reads them. When both are set it takes the older one (it is
// later in its list of names); teqlctl refuses that case instead, since the two disagree silently.
const OLDER_NAME: Record<string, string> = {
  ansible_host: 'ansible_ssh_host',
  ansible_port: 'ansible_ssh_port',
  ansible_user: 'ansible_ssh_user',
  ansible_private_key_file: 'ansible_ssh_private_key_file',
};

// None of these reaches a shell (ssh2 takes host and user as data, paths are read locally; the become
// user does reach one, quoted), but each is held to what it can be, so a hostile value stops here.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
export const SSH_CONNECTIONS = ['ssh', 'smart', 'ansible.builtin.ssh', 'ansible.legacy.ssh'];
export const BECOME_METHODS = new Map<string, 'sudo' | 'doas'>([['sudo', 'sudo'], ['ansible.builtin.sudo', 'sudo'], ['ansible.legacy.sudo', 'sudo'], ['doas', 'doas'], ['community.general.doas', 'doas']]);
const BECOME_USER = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}$/;

const PATH_RULE = {
  check: (v: string) => {
    const bad = INVISIBLE.exec(v)?.[0];
    if (bad !== undefined) return `${shown(v)} contains a control or invisible character (${codePoint(bad)})`;
    if (Buffer.byteLength(v) > 4096) return `${shown(v)} is longer than 4096 bytes`;
    const unread = pathProblem(v);
    return unread ? `${unread.why}: ${unread.hint}` : undefined;
  },
  hint: 'a path to a file, e.g. ~/.ssh/id_ed25519',
};
const RULES: Record<string, { check: (v: string) => string | undefined; hint: string }> = {
  ansible_host: {
    check: hostProblem,
    hint: 'an address (192.0.2.10, 2001:db8::1), a DNS name or an ssh_config Host alias; a port goes in ansible_port',
  },
  ansible_user: { check: userProblem, hint: 'a user name, e.g. ansible_user: admin' },

  ansible_become_user: {
    check: (v) => (BECOME_USER.test(v) ? undefined : `${shown(v)} is not a user name (letters, digits, _ . -, at most 32, not starting with a digit, - or .)`),
    hint: 'e.g. ansible_become_user: root',
  },
  ansible_ssh_private_key_file: PATH_RULE,
  ansible_private_key_file: PATH_RULE,
  teqlctl_known_hosts_file: PATH_RULE,
};
RULES.ansible_ssh_host = RULES.ansible_host!;
RULES.ansible_ssh_user = RULES.ansible_user!;

/**
 * A relative path that names a file both in the inventory's folder (where teqlctl looks first) and
 * in the current folder (where Ansible's ssh reads it): two different files, so which one the run
 * means cannot be told (a review found teqlctl taking the inventory's, Ansible the other).
 */
function twoPlaces(p: string, inventoryDir: string): string | undefined {
  if (p.startsWith('~') || isAbsolute(p)) return undefined;
  const own = resolve(inventoryDir, p);
  const fromHere = resolve(p);
  if (own === fromHere || !existsSync(own) || !existsSync(fromHere)) return undefined;
  try {
    if (realpathSync(own) === realpathSync(fromHere)) return undefined;
  } catch {
    return undefined;
  }
  return `${p} names two files: ${own} (beside the inventory, which teqlctl reads) and ${fromHere} (in the current folder, which Ansible's ssh reads)`;
}

export function buildConnection(hostName: string, scope: VarScope, inventoryDir: string, problems: Problems, hostPos?: SourcePos): ConnectionSpec {
  const posOfVar = (name: string) => scope.origin(name)?.pos;
  const read = (name: string): unknown => {
    try {
      const r = scope.lookup(name);
      // Read otherwise by Ansible (`010`: 8 there), the two would connect otherwise (a review: a note only).
      const y11 = r.found ? yaml11Through(scope, name) : undefined;
      const no = y11 && yaml11Refusal(`${name} of host ${hostName}${y11.name === name ? '' : ` (through ${y11.name})`}`, y11.name, y11.reading, 'connect');
      if (no) return void problems.add(no.message, scope.origin(y11!.name.split(/[.[]/)[0]!)?.pos ?? posOfVar(name), no.hint);
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
    // In INI, shlex takes the outer quotes off before literal_eval reads a number ('127.1' is 127.1
    // there too): the text needs quotes inside quotes (a review: the hint said to quote it, quoted).
    if (typeof v === 'number' && /^ansible(_ssh)?_host$/.test(name)) return bad(name, 'a host name or address in text', v, `quote it (YAML: ${name}: "${String(v)}"; an INI line: ${name}="'${String(v)}'", quotes inside quotes, as shlex takes the outer ones off)`);
    // Any other text variable written as a number (an INI line's ansible_user=1000 reads as one):
    // the same way to write it as text (a review: "must be a string" for what was written bare).
    if (typeof v === 'number') return bad(name, 'text', v, `write it as text (YAML: ${name}: "${String(v)}"; an INI line: ${name}="'${String(v)}'", quotes inside quotes, as shlex takes the outer ones off)`);
    return bad(name, 'a non-empty string', v);
  };

  // Also here, for inventories whose variables were not read by readVars: one message per place either way.
  refuseUnknownAnsibleVars(scope.layer, problems);
  for (const name of PASSWORD_VARS) {
    if (read(name) !== undefined) problems.add(`${name} of host ${hostName}: passwords are not supported`, posOfVar(name), passwordHint(name));
  }
  /** The value under the current name or its older synonym; refused when the two disagree. */
  const either = <T>(name: string, get: (n: string) => T | undefined): T | undefined => {
    const older = OLDER_NAME[name]!;
    const [now, old] = [get(name), get(older)];
    if (now !== undefined && old !== undefined && JSON.stringify(now) !== JSON.stringify(old)) {
      problems.add(`host ${hostName} has both ${name} and its older name ${older}, with different values`, posOfVar(older), `keep only ${name}`);
      return undefined;
    }
    return now ?? old;
  };
  const connection = read('ansible_connection');
  // Ansible's names for its ssh plugin: `smart` (its default) and the fully qualified ones (a review: refused).
  if (connection !== undefined && !(typeof connection === 'string' && SSH_CONNECTIONS.includes(connection))) {
    bad('ansible_connection', "'ssh' (teqlctl only connects over SSH)", connection, 'remove ansible_connection or set it to ssh');
  }

  const portOf = (name: string): number | undefined => {
    const port = read(name);
    if (port === undefined || port === null) return undefined;
    const n = typeof port === 'string' && /^\d+$/.test(port) ? Number(port) : port;
    if (typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
    return bad(name, 'a port number 1..65535', port, 'e.g. ansible_port: 22, or leave it out for ssh_config or 22');
  };

  const address = either('ansible_host', text);
  // Without ansible_host the name is the address, handed to ssh as ansible_host would be: the same
  // rules (010.0.0.1, 127.1, admin@r1 as names passed until 2026-12-06, a review).
  const nameProblem = address === undefined && read('ansible_host') == null && read('ansible_ssh_host') == null ? hostShape(hostName) : undefined;
  if (nameProblem) problems.add(`host ${hostName}, its own address without ansible_host: ${nameProblem}`, hostPos, 'name the host otherwise and give its address in ansible_host, e.g. r1 ansible_host=10.0.0.1');
  const spec: ConnectionSpec = { host: address ?? hostName, become: false, becomeUser: 'root' };
  const port = either('ansible_port', portOf);
  if (port !== undefined) spec.port = port;
  const user = either('ansible_user', text);
  if (user !== undefined) spec.user = user;
  // A path given with -e is relative to where teqlctl runs, as ssh would read it for Ansible; one
  // set in the inventory, to the inventory file's folder.
  const baseOf = (...names: string[]) => (names.some((n) => scope.origin(n)?.where.startsWith('-e ')) ? process.cwd() : inventoryDir);
  const key = either('ansible_private_key_file', text);
  if (key !== undefined) spec.privateKeyFile = expandPath(key, baseOf('ansible_private_key_file', 'ansible_ssh_private_key_file'));
  const twoKeys = key !== undefined && baseOf('ansible_private_key_file', 'ansible_ssh_private_key_file') === inventoryDir ? twoPlaces(key, inventoryDir) : undefined;
  if (twoKeys) problems.add(`the key file of host ${hostName}: ${twoKeys}`, posOfVar('ansible_ssh_private_key_file') ?? posOfVar('ansible_private_key_file'), 'write its absolute path (or ~/...), so that teqlctl and Ansible read the same file');
  // As Ansible builds ssh's command line: its own -o Port/User/IdentityFile first (so they win),
  // then the common args, then the extra args; ssh keeps the first value of each option.
  const args: SshArgSettings = { identityFiles: [] };
  for (const name of ['ansible_ssh_common_args', 'ansible_ssh_extra_args']) {
    const given = text(name);
    const r = given === undefined ? { ok: true as const } : readSshArgs(given, args);
    if (!r.ok) problems.add(`${name} of host ${hostName}: ${r.why}`, posOfVar(name), r.hint);
  }
  // The paths of -i and -F as ssh would read them: a ~user teqlctl cannot find, or a % token, is refused.
  for (const path of [...args.identityFiles, ...(args.configFile !== undefined ? [args.configFile] : [])]) {
    const unread = pathProblem(path, path !== args.configFile || args.identityFiles.includes(path));
    if (unread) problems.add(`ssh arguments of host ${hostName}: ${unread.why}`, posOfVar('ansible_ssh_common_args') ?? posOfVar('ansible_ssh_extra_args'), unread.hint);
    const two = twoPlaces(path, inventoryDir);
    if (two) problems.add(`ssh arguments of host ${hostName}: ${two}`, posOfVar('ansible_ssh_common_args') ?? posOfVar('ansible_ssh_extra_args'), 'write its absolute path (or ~/...), so that teqlctl and Ansible read the same file');
  }
  if (args.port !== undefined) spec.port ??= args.port;
  if (args.user !== undefined) spec.user ??= args.user;
  if (args.identityFiles.length > 0) spec.argIdentityFiles = args.identityFiles.map((f) => expandPath(f, inventoryDir));
  if (args.proxyJump !== undefined) spec.proxyJump = args.proxyJump;
  // `-F none` (any case, as ssh compares it) reads no configuration file (ssh(1)), as -F /dev/null: it was taken for a file named none.
  if (args.configFile !== undefined) spec.sshConfigFile = args.configFile.toLowerCase() === 'none' ? '/dev/null' : expandPath(args.configFile, inventoryDir, false);
  // ssh reads that file instead of ~/.ssh/config: one not there failed only at connect, the other hosts contacted.
  const config = spec.sshConfigFile;
  const configWhy = config === undefined || config === '/dev/null' ? undefined : !existsSync(config) ? 'does not exist' : statSync(config).isFile() ? undefined : 'is not a file (a folder, a pipe or a device)';
  if (configWhy) problems.add(`ssh arguments of host ${hostName}: -F ${config} ${configWhy}`, posOfVar('ansible_ssh_common_args') ?? posOfVar('ansible_ssh_extra_args'), 'check the path given to -F (ssh reads that file instead of ~/.ssh/config; -F /dev/null reads none)');
  if (args.strictHostKeys) spec.strictHostKeys = true;
  if (args.identitiesOnly !== undefined) spec.identitiesOnly = args.identitiesOnly;
  const knownHosts = text('teqlctl_known_hosts_file');
  if (knownHosts !== undefined) {
    spec.knownHostsFile = expandPath(knownHosts, baseOf('teqlctl_known_hosts_file'));
    const at = posOfVar('teqlctl_known_hosts_file');
    if (at) spec.knownHostsFileAt = at;
  }
  const become = read('ansible_become');
  if (become !== undefined && become !== null) {
    try {
      spec.become = ansibleBoolean(become);
    } catch {
      bad('ansible_become', 'true or false', become, 'write ansible_become: true (or yes/no)');
    }
  }
  spec.becomeUser = text('ansible_become_user') ?? 'root';
  const given = text('ansible_become_method');
  // The plugins' fully qualified names, as Ansible takes them.
  const method = given === undefined ? undefined : BECOME_METHODS.get(given);
  if (method !== undefined) spec.becomeMethod = method;
  else if (given !== undefined) bad('ansible_become_method', "'sudo' or 'doas' (Alpine's default)", given, 'teqlctl becomes root with sudo or doas only; set ansible_become_method: sudo or doas');
  return spec;
}

/**
 * Before connecting (not for --syntax-check or --list-hosts, which connect to nothing): a
 * teqlctl_known_hosts_file that is not there is refused at its place. The keys pinned in it are what
 * the host is checked against: missing (a typo), the host would be checked against ~/.ssh/known_hosts
 * alone, or trusted on first use.
 */
export function missingKnownHostsFiles(hosts: Iterable<[string, ConnectionSpec]>, problems: Problems): void {
  for (const [host, spec] of hosts) {
    if (spec.knownHostsFile === undefined) continue;
    // Read whole at connect time: a folder, a pipe (it would wait forever) or a device (/dev/zero
    // filled the memory) is refused here, before any host is contacted, as a missing file is.
    const kind = !existsSync(spec.knownHostsFile) ? 'does not exist' : statSync(spec.knownHostsFile).isFile() ? undefined : 'is not a file (a folder, a pipe or a device)';
    if (kind !== undefined) {
      problems.add(`teqlctl_known_hosts_file of host ${host}: ${spec.knownHostsFile} ${kind}`, spec.knownHostsFileAt, "check the path (a relative one is taken from the inventory file's folder, or from the working folder when -e gives it); it names the known_hosts file this host's key is checked against");
    }
  }
}
