// Integers past 2^53, as Debian's kernel.shmmax (18446744073692774399): Ansible's are exact, a
// JavaScript number rounds them (18446744073692774000), and that rounded value is what a sysctl task
// wrote to the router, from INI without a word (a review). They are kept as their digits, as text.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

const SHMMAX = '18446744073692774399';
const PLAY = '- hosts: all\n  tasks:\n    - name: "shmmax {{ shmmax }}"\n      sysctl: { name: kernel.shmmax, value: "{{ shmmax }}" }\n    - sysctl: { name: kernel.shmall, value: 18446744073692774399 }\n';

describe('an integer past 2^53', () => {
  it.each([
    ['an INI host line', 'hosts', `[routers]\nr1 ansible_host=192.0.2.10 shmmax=${SHMMAX}\n`],
    ['an INI [group:vars] section', 'hosts', `[routers]\nr1 ansible_host=192.0.2.10\n[routers:vars]\nshmmax=${SHMMAX}\n`],
    ['a YAML inventory', 'hosts.yml', `routers:\n  hosts:\n    r1:\n      ansible_host: 192.0.2.10\n      shmmax: ${SHMMAX}\n`],
  ])('from %s is written to the router with its exact digits, by a template and written out in the playbook', (_where, file, text) => {
    const dir = writeCase({ [file]: text, 'playbook.yml': PLAY });
    const run = loadRun(join(dir, file), join(dir, 'playbook.yml'));
    const tasks = run.plays[0]!.tasks.get('r1')!;
    expect(tasks.map((t) => [t.name, t.args])).toEqual([
      [`shmmax ${SHMMAX}`, { name: 'kernel.shmmax', value: SHMMAX, state: 'present' }],
      ['sysctl', { name: 'kernel.shmall', value: SHMMAX, state: 'present' }],
    ]);
    expect(run.notes ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining(SHMMAX)]));
  });

  it('in INI, of every base and sign, as Python reads it; a small one stays a number', () => {
    const dir = writeCase({ hosts: '[routers]\nr1 neg=-18446744073692774399 hex=0xFFFFFFFFFFFFFFFFFF small=42 float=1e20\n' });
    const vars = loadInventory(join(dir, 'hosts')).inventory.hosts.get('r1')!.vars;
    expect([vars.neg, vars.hex, vars.small, vars.float]).toEqual(['-18446744073692774399', '4722366482869645213695', 42, 1e20]);
  });

  it('arithmetic on it is refused where it is done, not rounded', () => {
    const dir = writeCase({ hosts: `[routers]\nr1 ansible_host=192.0.2.10 shmmax=${SHMMAX}\n`, 'playbook.yml': '- hosts: all\n  tasks:\n    - sysctl: { name: kernel.shmmax, value: "{{ shmmax | int }}" }\n' });
    const [e] = errorsOf(() => loadRun(join(dir, 'hosts'), join(dir, 'playbook.yml')));
    expect(e!.message).toContain('past 2^53');
  });
});
