// `teql_persist=true` in an INI inventory is the string 'true' (as in Ansible): the shipped
// playbooks convert it (| bool), and a playbook that does not is told where the string was set.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INI = '[routers]\nr1 ansible_host=127.0.0.1\n\n[routers:vars]\nteql_persist=true\n';
const PLAY = (persist: string) => `- hosts: routers\n  persist: "${persist}"\n  tasks:\n    - ping: { to: 192.0.2.1 }\n`;

describe('teql_persist from an INI inventory', () => {
  it('turns persist on through the shipped playbooks\' | bool', () => {
    expect(readFileSync('playbooks/teql.yml', 'utf8')).toContain('persist: "{{ teql_persist | default(false) | bool }}"');
    const dir = writeCase({ 'hosts.ini': INI, 'playbook.yml': PLAY('{{ teql_persist | default(false) | bool }}') });
    const run = loadRun(join(dir, 'hosts.ini'), join(dir, 'playbook.yml'));
    expect(run.plays[0]!.tasks.get('r1')![0]!.persist).toBe(true);
  });

  it('without | bool: refused, naming the INI line that set the string', () => {
    const dir = writeCase({ 'hosts.ini': INI, 'playbook.yml': PLAY('{{ teql_persist | default(false) }}') });
    const [error] = errorsOf(() => loadRun(join(dir, 'hosts.ini'), join(dir, 'playbook.yml')));
    expect(error!.message).toContain(`gave the string 'true', not true or false (from {{ teql_persist | default(false) }}: teql_persist (set at ${join(dir, 'hosts.ini')}:5:1`);
    expect(error!.hint).toContain('{{ x | bool }}');
  });
});
