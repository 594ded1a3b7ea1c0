// What an operator with Ansible habits may have configured outside the inventory and the playbook:
// an ansible.cfg (the first of $ANSIBLE_CONFIG, ./ansible.cfg, ~/.ansible.cfg,
// /etc/ansible/ansible.cfg, as Ansible looks) and ANSIBLE_* environment variables. teqlctl reads
// neither; a remote_user or become set there would otherwise be dropped without a word. Said in a
// note, with the inventory variable that does the same where there is one; one that changes how
// Ansible connects is refused besides, unless the hosts override it (ansible-config-connection.ts).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

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

/** The config file Ansible would use: the first that exists of its four places. */
export function configFile(env: NodeJS.ProcessEnv, cwd: string, home: string, system: string): { path: string; text: string } | undefined {
  const places = [env.ANSIBLE_CONFIG, join(cwd, 'ansible.cfg'), join(home, '.ansible.cfg'), system];
  for (const path of places) {
    if (!path) continue;
    try {
      return { path, text: readFileSync(path, 'utf8') };
    } catch {
      // not there (or not readable): Ansible goes on to the next place too
    }
  }
  return undefined;
}

/** The keys an ansible.cfg sets (comments, blank lines and section headers aside). */
export function configKeys(text: string): string[] {
  const keys: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*[=:]/.exec(line);
    // configparser lowercases option names (REMOTE_USER is remote_user to Ansible).
    const key = m?.[1]?.toLowerCase();
    if (key !== undefined && !/^\s*[#;]/.test(line) && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

export function ansibleConfigNotes(env: NodeJS.ProcessEnv, cwd: string, home: string, system = '/etc/ansible/ansible.cfg'): string[] {
  const notes: string[] = [];
  const cfg = configFile(env, cwd, home, system);
  const keys = cfg ? configKeys(cfg.text) : [];
  if (cfg && keys.length > 0) {
    const mapped = keys.filter((k) => AS_VARIABLE[k]).map((k) => `${k} -> ${AS_VARIABLE[k]}`);
    notes.push(`not read: ${cfg.path} sets ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', ...' : ''}; teqlctl reads no ansible.cfg${mapped.length > 0 ? ` (as inventory variables: ${mapped.join(', ')})` : ''}`);
  }
  const vars = Object.keys(env).filter((k) => k.startsWith('ANSIBLE_') && k !== 'ANSIBLE_CONFIG' && env[k] !== undefined).sort();
  if (vars.length > 0) notes.push(`not read: the environment sets ${vars.slice(0, 8).join(', ')}${vars.length > 8 ? ', ...' : ''}; teqlctl reads no ANSIBLE_* variable (set what they mean in the inventory)`);
  return notes;
}
