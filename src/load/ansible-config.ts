// What an operator with Ansible habits may have configured outside the inventory and the playbook:
// an ansible.cfg (the first of $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg,
// /etc/ansible/ansible.cfg, as Ansible looks) and ANSIBLE_* environment variables. teqlctl reads
// neither; a remote_user or become set there would otherwise be dropped without a word. Said in a
// note, with the inventory variable that does the same where there is one; one that changes how
// Ansible connects is refused besides, unless the hosts override it (ansible-config-connection.ts).
import { configFile, configRead } from './ansible-cfg-read.js';
import { readIgnoreEntries, READ_IGNORE_VARIABLES } from './inventory-ignore.js';

export { configEntries, configFile, configKeys, configRead, type ConfigEntry } from './ansible-cfg-read.js';

const AS_VARIABLE: Record<string, string> = {
  remote_user: 'ansible_user',
  remote_port: 'ansible_port',
  private_key_file: 'ansible_private_key_file',
  become: 'ansible_become',
  become_user: 'ansible_become_user',
  become_method: 'ansible_become_method',
  ssh_args: 'ansible_ssh_common_args',
  ssh_common_args: 'ansible_ssh_common_args',
  ssh_extra_args: 'ansible_ssh_extra_args',
  host_key_checking: 'nothing: teqlctl always checks host keys (--accept-new trusts a first one)',
};

/**
 * Every key and ANSIBLE_* variable that teqlctl does not read, all of them: a list cut after eight
 * hid a forks or a timeout (a review). The inventory ignore settings, which it follows as Ansible
 * does (inventory-ignore.ts), are not among them.
 */
export function ansibleConfigNotes(env: NodeJS.ProcessEnv, cwd: string, home: string, system = '/etc/ansible/ansible.cfg'): string[] {
  const notes: string[] = [];
  const cfg = configFile(env, cwd, home, system);
  const read = cfg ? { path: cfg.path, ...configRead(cfg.text, cfg.path) } : undefined;
  const followed = readIgnoreEntries(read, env);
  const keys = [...new Set((read?.entries ?? []).filter((e) => !followed.includes(e)).map((e) => e.key))];
  if (cfg && keys.length > 0) {
    const mapped = keys.filter((k) => AS_VARIABLE[k]).map((k) => `${k} -> ${AS_VARIABLE[k]}`);
    const only = followed.length > 0 ? `teqlctl reads only its ${followed.map((e) => e.key).join(' and ')} (which files of an inventory folder to skip, as Ansible)` : 'teqlctl follows none of them (of ansible.cfg, only the inventory ignore settings)';
    notes.push(`not read: ${cfg.path} sets ${keys.join(', ')}; ${only}${mapped.length > 0 ? `; as inventory variables: ${mapped.join(', ')}` : ''}`);
  }
  const vars = Object.keys(env).filter((k) => k.startsWith('ANSIBLE_') && k !== 'ANSIBLE_CONFIG' && !READ_IGNORE_VARIABLES.includes(k) && env[k] !== undefined).sort();
  if (vars.length > 0) notes.push(`not read: the environment sets ${vars.join(', ')}; teqlctl follows none of them (of ANSIBLE_*, only the inventory ignore settings; set what they mean in the inventory)`);
  return notes;
}
