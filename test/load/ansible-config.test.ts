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
      `not read: ${join(cwd, 'ansible.cfg')} sets remote_user, private_key_file, become, ssh_args; teqlctl reads no ansible.cfg (as inventory variables: remote_user -> ansible_user, private_key_file -> ansible_private_key_file, become -> ansible_become, ssh_args -> ansible_ssh_common_args)`,
    ]);
    const elsewhere = writeCase({});
    expect(ansibleConfigNotes({}, elsewhere, home, NO_SYSTEM)).toEqual([`not read: ${join(home, '.ansible.cfg')} sets forks; teqlctl reads no ansible.cfg`]);
    expect(ansibleConfigNotes({ ANSIBLE_CONFIG: join(home, '.ansible.cfg') }, cwd, elsewhere, NO_SYSTEM)).toEqual([`not read: ${join(home, '.ansible.cfg')} sets forks; teqlctl reads no ansible.cfg`]);
  });

  it('notes ANSIBLE_* variables; says nothing when there is neither', () => {
    const none = writeCase({});
    expect(ansibleConfigNotes({ ANSIBLE_REMOTE_USER: 'envuser', ANSIBLE_BECOME: 'true', PATH: '/bin' }, none, none, NO_SYSTEM)).toEqual([
      'not read: the environment sets ANSIBLE_BECOME, ANSIBLE_REMOTE_USER; teqlctl reads no ANSIBLE_* variable (set what they mean in the inventory)',
    ]);
    expect(ansibleConfigNotes({ PATH: '/bin' }, none, none, NO_SYSTEM)).toEqual([]);
  });
});
