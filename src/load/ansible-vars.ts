// The one list of Ansible's `ansible_*` variables that teqlctl honours. Any other `ansible_*` name is
// refused wherever it is set (inventory, group_vars/host_vars, play vars, -e): a variable Ansible
// would act on and teqlctl would not is a run that goes elsewhere, or as someone else, silently.
// So are unknown `teqlctl_*` names, near misses of the bundle variables (typos), and the names
// Ansible reserves for its magic variables.
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

/**
 * Why an `ansible_*` variable changes nothing teqlctl does, for one that is only for how Ansible
 * runs its modules: noted, not refused. In a shared group_vars/all it stopped every run, and
 * removing it, as hinted, broke Ansible's runs of the same inventory (a review).
 */
export function noOpWhy(name: string): string | undefined {
  if (/^ansible_\w+_interpreter$/.test(name)) return 'teqlctl runs no interpreter on the router (its scripts are POSIX sh)';
  if (name === 'ansible_pipelining' || name === 'ansible_ssh_pipelining') return 'teqlctl always sends one script per round trip';
  if (name === 'ansible_remote_tmp') return 'teqlctl copies no module files to the router';
  return undefined;
}

// Names seen in real inventories, with what to do instead; any other name gets the generic hint.
const HINTS: Record<string, string> = {
  ansible_ssh_args: 'put the options in ansible_ssh_common_args (ProxyJump, Port, User, IdentityFile) or in ~/.ssh/config',
  ansible_ssh_executable: 'teqlctl has its own SSH client; it reads ~/.ssh/config through `ssh -G`',
  ansible_become_flags: 'teqlctl runs sudo or doas with its own flags: remove it',
  ansible_become_exe: 'set ansible_become_method: sudo or doas',
  ansible_shell_type: 'teqlctl runs /bin/sh: remove it',
  ansible_shell_executable: 'teqlctl runs /bin/sh: remove it',
  ansible_ssh_timeout: 'teqlctl waits 20 s for a connection: remove it',
  ansible_timeout: 'teqlctl waits 20 s for a connection: remove it',
  ansible_network_os: 'teqlctl drives Linux routers only: remove it',
  // Honoured among a group's variables in the inventory itself (group-priority.ts), and nowhere else.
  ansible_group_priority: "move it to the group's variables in the inventory ([group:vars] in INI, the group's vars: in YAML); a group_vars/ file, a host's or a play's variables are read after the groups are ordered",
};

/** teqlctl's own variables: any other `teqlctl_*` name is a typo that would be ignored without a word. */
export const TEQLCTL_VARS = ['teqlctl_known_hosts_file'];

// The bundle variables' near misses (docs/playbook-language.md, "Bundles"): a host that set one of
// these would silently be in no bundle, or a bundle without its addresses.
const NEAR_MISSES: Record<string, string> = {
  teql_peers: 'teql_peer',
  teql_bundle: 'teql_bundles',
  teql_link_addresses: 'link_addresses',
  peer_teql_addresses: 'peer_teql_address',
};

// Ansible's magic variables ("Special Variables"): Ansible sets them itself, over any value given to
// them ("Found variable using reserved name"). teqlctl provides the first five; a value set for any of
// them would be ignored by Ansible, and by teqlctl either ignored or (play vars, -e, the names teqlctl
// does not provide) read where Ansible reads its own: refused where it is set.
export const PROVIDED_MAGIC_VARS = ['inventory_hostname', 'inventory_hostname_short', 'group_names', 'groups', 'item'];
export const RESERVED_VARS = new Set([
  ...PROVIDED_MAGIC_VARS,
  'hostvars', 'omit', 'playbook_dir', 'inventory_dir', 'inventory_file', 'play_hosts', 'role_name', 'role_names', 'role_path',
  'ansible_check_mode', 'ansible_collection_name', 'ansible_config_file', 'ansible_dependent_role_names', 'ansible_diff_mode',
  'ansible_forks', 'ansible_index_var', 'ansible_inventory_sources', 'ansible_limit', 'ansible_loop', 'ansible_loop_var',
  'ansible_parent_role_names', 'ansible_parent_role_paths', 'ansible_play_batch', 'ansible_play_hosts', 'ansible_play_hosts_all',
  'ansible_play_name', 'ansible_play_role_names', 'ansible_playbook_python', 'ansible_role_name', 'ansible_role_names',
  'ansible_run_tags', 'ansible_search_path', 'ansible_skip_tags', 'ansible_verbosity', 'ansible_version',
]);

/** The origin teqlctl gives the magic variables it provides (inventory.ts): its own values, never refused. */
export const BUILT_IN = 'built in';

export function isHonoured(name: string): boolean {
  if (RESERVED_VARS.has(name)) return false;
  if (name.startsWith('teqlctl_')) return TEQLCTL_VARS.includes(name);
  if (Object.hasOwn(NEAR_MISSES, name)) return false;
  return !name.startsWith('ansible_') || HONOURED_ANSIBLE_VARS.includes(name) || PASSWORD_VARS.includes(name);
}

function refusal(name: string): { message: string; hint: string } {
  if (RESERVED_VARS.has(name)) {
    const own = PROVIDED_MAGIC_VARS.includes(name) ? `; teqlctl provides ${name} itself, as Ansible does` : '';
    const why = name === 'item' ? "a task's loop sets it, over a value set here" : 'Ansible sets this magic variable itself and ignores a value set here';
    return { message: `${shown(name, 60)} is a reserved name: ${why}`, hint: `rename the variable, e.g. my_${name}${own}` };
  }
  if (name.startsWith('teqlctl_')) return { message: `${shown(name, 60)} is not a variable teqlctl reads (it would be ignored)`, hint: `teqlctl's own variables are ${TEQLCTL_VARS.join(', ')}` };
  if (name === 'ansible_group_priority') return { message: `${shown(name, 60)} has no effect here, in Ansible or teqlctl: it orders groups only among a group's variables in the inventory itself`, hint: HINTS[name]! };
  const meant = Object.hasOwn(NEAR_MISSES, name) ? NEAR_MISSES[name] : undefined;
  if (meant !== undefined) return { message: `${shown(name, 60)} is not a variable teqlctl reads (it would be ignored)`, hint: `did you mean ${meant}?` };
  return {
    message: `${shown(name, 60)} is not supported by teqlctl (it would change what Ansible does, and teqlctl would ignore it)`,
    hint: HINTS[name] ?? `remove it; the ansible_* variables teqlctl honours are ${HONOURED_ANSIBLE_VARS.join(', ')}`,
  };
}

/** Adds a problem for every `ansible_*` or reserved variable of `layer` that teqlctl neither honours nor refuses elsewhere. */
export function refuseUnknownAnsibleVars(layer: VarLayer, problems: Problems, allowed: readonly string[] = []): void {
  for (const [name, origin] of layer.origins) {
    if (isHonoured(name) || allowed.includes(name) || origin.where === BUILT_IN || noOpWhy(name) !== undefined) continue;
    const { message, hint } = refusal(name);
    problems.add(message, origin.pos, hint);
  }
}

/** The reserved names of `layer` alone: for the INI reader, whose values teqlctl's own replace before any other check sees them. */
export function refuseReservedVars(layer: VarLayer, problems: Problems): void {
  for (const [name, origin] of layer.origins) {
    if (!RESERVED_VARS.has(name)) continue;
    const { message, hint } = refusal(name);
    problems.add(message, origin.pos, hint);
  }
}
