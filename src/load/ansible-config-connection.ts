// An ansible.cfg or ANSIBLE_* setting that changes where, or as whom, Ansible connects: teqlctl
// reads neither, so a host the run reaches without the inventory variable that would win over it
// (in Ansible too) was connected otherwise than by Ansible, with a note only (a review found
// `remote_user = admin` and `ssh_args = -o ProxyJump=bastion` passed by). Refused before any
// connection (exit 2), where it is set, naming the hosts and the variable to set. Settings that
// change nothing (become = false, become_user = root, ssh_args of ControlPersist and compression)
// pass; the others are still noted (ansible-config.ts).
import { configEntries, configFile } from './ansible-config.js';
import type { SourcePos } from '../errors.js';
import type { Problems } from './problems.js';
import type { VarLayer } from './scope.js';
import { shellWords } from './shell-words.js';

interface Setting {
  /** The ansible.cfg section Ansible reads it from (the same key elsewhere is ignored). */
  section: 'defaults' | 'privilege_escalation' | 'ssh_connection';
  /** The variables of which any, set for a host, wins over it. */
  vars: readonly string[];
  /** Its value changes nothing teqlctl does (Ansible's default, or ssh options that do not move the connection). */
  inert?: (value: string) => boolean;
}

// Ansible's booleans (ansible.module_utils.parsing.convert_bool): these and an empty value are false.
const falsy = (v: string) => /^(false|no|off|0|n|f|)$/i.test(v.trim());
// ssh options that change where a connection goes, as whom, with which keys or agent, or which
// host keys it trusts (a review found IdentityAgent, RevokedHostKeys, KnownHostsCommand,
// PubkeyAuthentication and CanonicalizeHostname passed as inert).
// The forwards with them, as their flags (-L, -R, -D): Ansible would open them, teqlctl does not.
const MOVING_OPTIONS = /^(proxyjump|proxycommand|port|user|hostname|identityfile|identitiesonly|identityagent|certificatefile|pkcs11provider|securitykeyprovider|pubkeyauthentication|userknownhostsfile|globalknownhostsfile|knownhostscommand|revokedhostkeys|stricthostkeychecking|hostkeyalias|hostkeyalgorithms|verifyhostkeydns|requiredrsasize|addressfamily|canonicalizehostname|canonicaldomains|canonicalizefallbacklocal|canonicalizemaxdots|canonicalizepermittedcnames|bindaddress|bindinterface|include|localforward|remoteforward|dynamicforward)$/i;
// ssh's own options (OpenSSH 9.2's getopt string): those that take a value, and those that move
// the connection (an address family, a jump, a port, a user, a key or PKCS#11 provider, a config
// file, forwards). -S (ControlPath), as -o ControlPath, moves nothing: a multiplexing socket, in
// many ansible.cfg files beside ControlMaster and ControlPersist.
const WITH_VALUE = new Set('bcDEeFIiJLlmOopQRSWw');
const MOVING_FLAGS = new Set('46JplFiWbBDLRI');
function sshArgsInert(value: string): boolean {
  const read = shellWords(value);
  if ('error' in read) return false;
  const words = read.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith('-') || w === '-') continue;
    // Flags bundle as getopt reads them: -Cp 2222 is -C and -p 2222, -CJbastion -C and -J bastion.
    for (let k = 1; k < w.length; k++) {
      const flag = w[k]!;
      if (MOVING_FLAGS.has(flag)) return false;
      if (!WITH_VALUE.has(flag)) continue;
      const arg = k + 1 < w.length ? w.slice(k + 1) : words[++i] ?? '';
      if (flag === 'o' && MOVING_OPTIONS.test(arg.trim().split(/[=\s]/)[0] ?? '')) return false;
      break;
    }
  }
  return true;
}

const SETTINGS: Record<string, Setting> = {
  remote_user: { section: 'defaults', vars: ['ansible_user', 'ansible_ssh_user'] },
  remote_port: { section: 'defaults', vars: ['ansible_port', 'ansible_ssh_port'] },
  private_key_file: { section: 'defaults', vars: ['ansible_ssh_private_key_file', 'ansible_private_key_file'] },
  become: { section: 'privilege_escalation', vars: ['ansible_become'], inert: falsy },
  become_user: { section: 'privilege_escalation', vars: ['ansible_become_user'], inert: (v) => v.trim() === 'root' },
  become_method: { section: 'privilege_escalation', vars: ['ansible_become_method'], inert: (v) => v.trim() === 'sudo' },
  // ansible_ssh_args, the variable over ssh_args, is refused by teqlctl: nothing wins over it.
  ssh_args: { section: 'ssh_connection', vars: [], inert: sshArgsInert },
  ssh_common_args: { section: 'ssh_connection', vars: ['ansible_ssh_common_args'], inert: sshArgsInert },
  ssh_extra_args: { section: 'ssh_connection', vars: ['ansible_ssh_extra_args'], inert: sshArgsInert },
};

export interface ConfigConnectionInput {
  env: NodeJS.ProcessEnv;
  cwd: string;
  home: string;
  /** Each host the run reaches, with its variables (inventory, playbook folder). */
  hosts: ReadonlyMap<string, VarLayer>;
  /** -e. */
  extra: VarLayer;
  system?: string;
}

/** Refuses each connection setting of ansible.cfg or ANSIBLE_* that some reached host does not override. */
export function refuseConfigConnection(input: ConfigConnectionInput, problems: Problems): void {
  const cfg = configFile(input.env, input.cwd, input.home, input.system ?? '/etc/ansible/ansible.cfg');
  // The environment wins over the file, in Ansible: its setting is the one said.
  const found = new Map<string, { value: string; where: string; pos?: SourcePos }>();
  for (const e of cfg ? configEntries(cfg.text, cfg.path) : []) if (SETTINGS[e.key]?.section === e.section) found.set(e.key, { value: e.value, where: `${cfg!.path} sets ${e.key}`, pos: e.pos });
  for (const key of Object.keys(SETTINGS)) {
    const name = `ANSIBLE_${key.toUpperCase()}`;
    const value = input.env[name];
    if (value !== undefined) found.set(key, { value, where: `the environment sets ${name}` });
  }
  // Become on for a host: its ansible_become (-e's over the host's), else the config's become. Who
  // to become, and how, change nothing where it is off.
  const configBecome = found.get('become') !== undefined && !falsy(found.get('become')!.value);
  const becomeOf = (layer: VarLayer) => (input.extra.origins.has('ansible_become') ? input.extra : layer.origins.has('ansible_become') ? layer : undefined)?.values.ansible_become;
  const becomes = (layer: VarLayer) => {
    const v = becomeOf(layer);
    return v === undefined ? configBecome : !(v === false || (typeof v === 'string' && falsy(v)));
  };
  for (const [key, { value, where, pos }] of found) {
    const setting = SETTINGS[key]!;
    if (setting.inert?.(value)) continue;
    const overrides = (layer: VarLayer) => setting.vars.some((v) => layer.origins.has(v)) || ((key === 'become_user' || key === 'become_method') && !becomes(layer));
    if (setting.vars.some((v) => input.extra.origins.has(v))) continue;
    const missing = [...input.hosts].filter(([, layer]) => !overrides(layer)).map(([h]) => h);
    if (missing.length === 0) continue;
    const hosts = `${missing.slice(0, 5).join(', ')}${missing.length > 5 ? `, and ${missing.length - 5} more` : ''}`;
    problems.add(
      `${where} (${JSON.stringify(value.trim())}), which changes how Ansible connects to ${hosts}; teqlctl reads no ansible.cfg and no ANSIBLE_* variable, and would connect otherwise`,
      pos,
      setting.vars.length > 0 ? `set ${setting.vars[0]} for those hosts in the inventory (or -e ${setting.vars[0]}=...), which Ansible reads over it too; or remove the setting` : `put what it must do in ansible_ssh_common_args in the inventory, and remove ${key} (Ansible passes both)`,
    );
  }
}

/**
 * `hash_behaviour = merge` (or ANSIBLE_HASH_BEHAVIOUR=merge): Ansible merges a mapping variable set
 * in several places, teqlctl takes the one that wins, as Ansible's default `replace` does; a note
 * alone let such a variable read otherwise than in Ansible (a review). Refused where it is set,
 * when the run reads a mapping variable (`layers`: the reached hosts', the plays', -e): without
 * one, merge and replace read the same (teqlctl's own variables are lists and scalars).
 */
export function refuseHashMerge(input: Pick<ConfigConnectionInput, 'env' | 'cwd' | 'home' | 'system'>, layers: readonly VarLayer[], problems: Problems): void {
  const mapping = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!layers.some((l) => Object.values(l.values).some(mapping))) return;
  const cfg = configFile(input.env, input.cwd, input.home, input.system ?? '/etc/ansible/ansible.cfg');
  const entry = cfg ? configEntries(cfg.text, cfg.path).find((e) => e.section === 'defaults' && e.key === 'hash_behaviour') : undefined;
  const env = input.env.ANSIBLE_HASH_BEHAVIOUR;
  const value = env ?? entry?.value;
  if (value === undefined || value.trim().toLowerCase() !== 'merge') return;
  const where = env !== undefined ? 'the environment sets ANSIBLE_HASH_BEHAVIOUR' : `${cfg!.path} sets hash_behaviour`;
  problems.add(`${where} (${JSON.stringify(value.trim())}): Ansible then merges a mapping variable set in several places, and teqlctl takes the one that wins (Ansible's default, replace)`, env !== undefined ? undefined : entry!.pos, 'remove the setting, and give each mapping whole where it wins: teqlctl reads variables as Ansible does by default');
}
