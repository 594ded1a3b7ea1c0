// The one list of Ansible's `ansible_*` variables that teqlctl honours. Any other `ansible_*` name is
// refused wherever it is set (inventory, group_vars/host_vars, play vars, -e): a variable Ansible
// would act on and teqlctl would not is a run that goes elsewhere, or as someone else, silently.
import type { Problems } from './problems.js';
import type { VarLayer } from './scope.js';
import { shown } from './shown.js';

/** Read by buildConnection (connection.ts); the older `ansible_ssh_*` names are synonyms. */
export const HONOURED_ANSIBLE_VARS = [
  'ansible_host',
  'ansible_ssh_host',
  'ansible_port',
  'ansible_ssh_port',
  'ansible_user',
  'ansible_ssh_user',
  'ansible_ssh_private_key_file',
  'ansible_private_key_file',
  'ansible_ssh_common_args',
  'ansible_ssh_extra_args',
  'ansible_become',
  'ansible_become_user',
  'ansible_become_method',
  'ansible_connection',
];

/** Refused with their own message (by buildConnection, and in play vars), never read. */
export const PASSWORD_VARS = ['ansible_password', 'ansible_ssh_pass', 'ansible_become_password', 'ansible_become_pass'];

export function passwordHint(name: string): string {
  return /become/.test(name)
    ? 'a sudo password never goes in the inventory: give it with --become-password-file FILE or TEQLCTL_BECOME_PASSWORD (on a terminal, teqlctl asks)'
    : 'use an SSH key (ansible_ssh_private_key_file, IdentityFile in ~/.ssh/config, or ssh-agent)';
}

// Names seen in real inventories, with what to do instead; any other name gets the generic hint.
const HINTS: Record<string, string> = {
  ansible_python_interpreter: 'teqlctl runs no Python on the router: remove it',
  ansible_ssh_args: 'put the options in ansible_ssh_common_args (ProxyJump, Port, User, IdentityFile) or in ~/.ssh/config',
  ansible_ssh_executable: 'teqlctl has its own SSH client; it reads ~/.ssh/config through `ssh -G`',
  ansible_ssh_pipelining: 'teqlctl always sends one script per round trip: remove it',
  ansible_pipelining: 'teqlctl always sends one script per round trip: remove it',
  ansible_become_flags: 'teqlctl runs sudo or doas with its own flags: remove it',
  ansible_become_exe: 'set ansible_become_method: sudo or doas',
  ansible_shell_type: 'teqlctl runs /bin/sh: remove it',
  ansible_shell_executable: 'teqlctl runs /bin/sh: remove it',
  ansible_ssh_timeout: 'teqlctl waits 20 s for a connection: remove it',
  ansible_timeout: 'teqlctl waits 20 s for a connection: remove it',
  ansible_network_os: 'teqlctl drives Linux routers only: remove it',
};

export function isHonoured(name: string): boolean {
  return !name.startsWith('ansible_') || HONOURED_ANSIBLE_VARS.includes(name) || PASSWORD_VARS.includes(name);
}

/** Adds a problem for every `ansible_*` variable of `layer` that teqlctl neither honours nor refuses elsewhere. */
export function refuseUnknownAnsibleVars(layer: VarLayer, problems: Problems): void {
  for (const [name, origin] of layer.origins) {
    if (isHonoured(name)) continue;
    problems.add(
      `${shown(name, 60)} is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
      origin.pos,
      HINTS[name] ?? `remove it; the ansible_* variables teqlctl honours are ${HONOURED_ANSIBLE_VARS.join(', ')}`,
    );
  }
}
