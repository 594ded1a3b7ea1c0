// ansible.cfg and ANSIBLE_* variables: teqlctl reads neither, and says so rather than drop them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ansibleConfigNotes, configKeys } from '../../src/load/ansible-config.js';
import { writeCase } from './helpers.js';

// /etc/ansible/ansible.cfg of the machine running the tests is not this test's.
const NO_SYSTEM = '/nonexistent/teqlctl-test/ansible.cfg';
const CFG = '[defaults]\nremote_user = netops\n# private_key_file = ~/.ssh/old\nprivate_key_file=~/.ssh/id_ops\n;host_key_checking = False\n\n[privilege_escalation]\nbecome = True\n[ssh_connection]\nssh_args = -o ProxyJump=bastion\n';

describe('ansible.cfg and ANSIBLE_* variables', () => {
  it('reads the keys a config sets, comments aside', () => {
    expect(configKeys(CFG)).toEqual(['remote_user', 'private_key_file', 'become', 'ssh_args']);
  });

  it('notes the config Ansible would use (ANSIBLE_CONFIG first, then ./ansible.cfg, then ~/.ansible.cfg), with the inventory variable of each key', () => {
    const cwd = writeCase({ 'ansible.cfg': CFG });
    const home = writeCase({ '.ansible.cfg': '[defaults]\nforks = 50\n' });
    expect(ansibleConfigNotes({}, cwd, home, NO_SYSTEM)).toEqual([
      `not read: ${join(cwd, 'ansible.cfg')} sets remote_user, private_key_file, become, ssh_args; teqlctl follows none of them (of ansible.cfg, only the inventory ignore settings); as inventory variables: remote_user -> ansible_user, private_key_file -> ansible_private_key_file, become -> ansible_become, ssh_args -> ansible_ssh_common_args`,
    ]);
    const elsewhere = writeCase({});
    expect(ansibleConfigNotes({}, elsewhere, home, NO_SYSTEM)).toEqual([`not read: ${join(home, '.ansible.cfg')} sets forks; teqlctl follows none of them (of ansible.cfg, only the inventory ignore settings)`]);
    expect(ansibleConfigNotes({ ANSIBLE_CONFIG: join(home, '.ansible.cfg') }, cwd, elsewhere, NO_SYSTEM)).toEqual([`not read: ${join(home, '.ansible.cfg')} sets forks; teqlctl follows none of them (of ansible.cfg, only the inventory ignore settings)`]);
  });

  it('notes ANSIBLE_* variables; says nothing when there is neither', () => {
    const none = writeCase({});
    expect(ansibleConfigNotes({ ANSIBLE_REMOTE_USER: 'envuser', ANSIBLE_BECOME: 'true', PATH: '/bin' }, none, none, NO_SYSTEM)).toEqual([
      'not read: the environment sets ANSIBLE_BECOME, ANSIBLE_REMOTE_USER; teqlctl follows none of them (of ANSIBLE_*, only the inventory ignore settings; set what they mean in the inventory)',
    ]);
    expect(ansibleConfigNotes({ PATH: '/bin' }, none, none, NO_SYSTEM)).toEqual([]);
  });

  it('names every key and variable, not the first eight: a forks or a timeout was hidden behind "..." (a review)', () => {
    const keys = ['forks', 'gathering', 'retry_files_enabled', 'stdout_callback', 'nocows', 'log_path', 'roles_path', 'interpreter_python', 'strategy', 'timeout'];
    const cwd = writeCase({ 'ansible.cfg': `[defaults]\n${keys.map((k) => `${k} = 1\n`).join('')}` });
    const env = Object.fromEntries(['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7', 'A8', 'FORKS', 'TIMEOUT'].map((k) => [`ANSIBLE_${k}`, '1']));
    expect(ansibleConfigNotes(env, cwd, cwd, NO_SYSTEM)).toEqual([
      `not read: ${join(cwd, 'ansible.cfg')} sets ${keys.join(', ')}; teqlctl follows none of them (of ansible.cfg, only the inventory ignore settings)`,
      'not read: the environment sets ANSIBLE_A1, ANSIBLE_A2, ANSIBLE_A3, ANSIBLE_A4, ANSIBLE_A5, ANSIBLE_A6, ANSIBLE_A7, ANSIBLE_A8, ANSIBLE_FORKS, ANSIBLE_TIMEOUT; teqlctl follows none of them (of ANSIBLE_*, only the inventory ignore settings; set what they mean in the inventory)',
    ]);
  });

  it('does not call the inventory ignore settings it follows unread, in the file or the environment', () => {
    const cwd = writeCase({ 'ansible.cfg': '[defaults]\nforks = 5\n[inventory]\nignore_patterns = _old\n' });
    expect(ansibleConfigNotes({ ANSIBLE_INVENTORY_IGNORE: '.old', ANSIBLE_FORKS: '5' }, cwd, cwd, NO_SYSTEM)).toEqual([
      `not read: ${join(cwd, 'ansible.cfg')} sets forks; teqlctl reads only its ignore_patterns (which files of an inventory folder to skip, as Ansible)`,
      'not read: the environment sets ANSIBLE_FORKS; teqlctl follows none of them (of ANSIBLE_*, only the inventory ignore settings; set what they mean in the inventory)',
    ]);
    // Where the environment wins over it, the file's key is not read, by Ansible either.
    expect(ansibleConfigNotes({ ANSIBLE_INVENTORY_IGNORE_REGEX: 'x' }, cwd, cwd, NO_SYSTEM)).toEqual([`not read: ${join(cwd, 'ansible.cfg')} sets forks, ignore_patterns; teqlctl follows none of them (of ansible.cfg, only the inventory ignore settings)`]);
  });
});
