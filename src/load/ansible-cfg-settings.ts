// The ansible.cfg and ANSIBLE_* settings that change where, as whom or how Ansible connects and
// becomes, each where Ansible reads it (base.yml; the options of the ssh, sudo and doas plugins),
// with the inventory variables that win over it and the values that change nothing teqlctl does.
import type { CfgSource } from './ansible-cfg-lookup.js';
import { SSH_CONNECTIONS } from './connection.js';
import { shellWords } from './shell-words.js';
import { sshKeyword } from './ssh-aliases.js';

export type BecomeMethod = 'sudo' | 'doas';

export interface Setting extends CfgSource {
  /** The variables of which any, set (not null) for a host, wins over it. */
  vars: readonly string[];
  /** Its value changes nothing teqlctl does (Ansible's default, or ssh options that do not move the connection). */
  inert?: (value: string) => boolean;
  /** Read only for a host that becomes: with any method, or with this become plugin alone. */
  become?: 'any' | BecomeMethod;
  /** What to do, where no inventory variable teqlctl reads wins over it. */
  hint?: string;
}

// Ansible's booleans (ansible.module_utils.parsing.convert_bool): these and an empty value are false.
export const falsy = (v: string) => /^(false|no|off|0|n|f|)$/i.test(v.trim());
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
      // An older name as the keyword ssh reads it as: -o IdentityFile2=... is an IdentityFile (a review).
      if (flag === 'o' && MOVING_OPTIONS.test(sshKeyword(arg.trim().split(/[=\s]/)[0] ?? ''))) return false;
      break;
    }
  }
  return true;
}

const is = (...values: string[]) => (v: string) => values.includes(v.trim().split(/\s+/).join(' '));
const ssh = (key: string): CfgSource => ({ ini: [['ssh_connection', key]], env: [`ANSIBLE_${key.toUpperCase()}`] });
const base = (section: string, key: string): CfgSource => ({ ini: [[section, key]], env: [`ANSIBLE_${key.toUpperCase()}`] });
// A become plugin's option (sudo.py, community.general's doas.py): [privilege_escalation] and the
// plugin's own section, ANSIBLE_BECOME_* and the plugin's own variable; the plugin's win. A review
// found `[sudo_become_plugin] user = netops` and ANSIBLE_SUDO_USER only noted, commands run as root.
const plugin = (method: BecomeMethod, option: string, key: string): CfgSource => ({
  ini: [['privilege_escalation', `become_${option}`], [`${method}_become_plugin`, key]],
  env: [`ANSIBLE_BECOME_${option.toUpperCase()}`, `ANSIBLE_${method.toUpperCase()}_${option.toUpperCase()}`],
});
const OWN_BECOME = 'remove it: teqlctl runs sudo or doas itself, with its own flags (ansible_become_exe and ansible_become_flags are refused too)';

export const SETTINGS: readonly Setting[] = [
  { ...base('defaults', 'remote_user'), vars: ['ansible_user', 'ansible_ssh_user'] },
  { ...base('defaults', 'remote_port'), vars: ['ansible_port', 'ansible_ssh_port'] },
  { ...base('defaults', 'private_key_file'), vars: ['ansible_ssh_private_key_file', 'ansible_private_key_file'] },
  // Ansible's default connection (ssh; smart before 2.x); any other is refused, as ansible_connection is.
  { ...base('defaults', 'transport'), vars: ['ansible_connection'], inert: is(...SSH_CONNECTIONS) },
  { ...base('privilege_escalation', 'become'), vars: ['ansible_become'], inert: falsy },
  { ...base('privilege_escalation', 'become_method'), vars: ['ansible_become_method'], inert: is('sudo'), become: 'any' },
  { ...plugin('sudo', 'user', 'user'), vars: ['ansible_become_user'], inert: is('root'), become: 'sudo' },
  { ...plugin('doas', 'user', 'user'), vars: ['ansible_become_user'], inert: is('root'), become: 'doas' },
  { ...plugin('sudo', 'exe', 'executable'), vars: [], inert: is('sudo'), become: 'sudo', hint: OWN_BECOME },
  { ...plugin('doas', 'exe', 'executable'), vars: [], inert: is('doas'), become: 'doas', hint: OWN_BECOME },
  { ...plugin('sudo', 'flags', 'flags'), vars: [], inert: is('-H -S -n'), become: 'sudo', hint: OWN_BECOME },
  { ...plugin('doas', 'flags', 'flags'), vars: [], inert: is(''), become: 'doas', hint: OWN_BECOME },
  // ansible_ssh_args, the variable over ssh_args, is refused by teqlctl: nothing wins over it.
  { ...ssh('ssh_args'), vars: [], inert: sshArgsInert, hint: 'put what it must do in ansible_ssh_common_args in the inventory, and remove ssh_args (Ansible passes both)' },
  { ...ssh('ssh_common_args'), vars: ['ansible_ssh_common_args'], inert: sshArgsInert },
  { ...ssh('ssh_extra_args'), vars: ['ansible_ssh_extra_args'], inert: sshArgsInert },
  // ansible_ssh_executable is refused as well: nothing wins over it (a review found it only noted).
  { ...ssh('ssh_executable'), vars: [], inert: is('ssh'), hint: 'remove it: teqlctl has its own SSH client, which reads ~/.ssh/config through `ssh -G`' },
];
