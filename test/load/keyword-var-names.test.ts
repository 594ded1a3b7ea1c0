// A Python keyword is not a variable name where Ansible checks names: its play vars (isidentifier).
// ansible-playbook refuses `vars: { class: x }`; teqlctl took it (a review's fuzzing). In an inventory
// and in -e, Ansible keeps such a name like any other, and so does teqlctl.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const PLAY = (vars: string) => `- hosts: r1\n  vars:\n${vars}  tasks:\n    - ping: { to: "{{ target }}" }\n`;
const INVENTORY = { 'hosts.yml': 'all:\n  hosts:\n    r1: { ansible_host: 192.0.2.1, class: 192.0.2.9 }\n' };

describe('a Python keyword as a variable name', () => {
  it.each(['class', 'None', 'lambda', 'not'])('%s in play vars is refused at its place', (name) => {
    const dir = writeCase({ ...INVENTORY, 'playbook.yml': PLAY(`    target: 192.0.2.9\n    ${name}: 1\n`) });
    const errors = errorsOf(() => loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml')));
    expect(errors.map((e) => [e.pos?.line, e.pos?.col, e.message])).toEqual([[4, 5, `'${name}' in play vars is not a valid variable name: it is a Python keyword, which Ansible refuses there`]]);
  });

  it('in the inventory and in -e it is a variable, as in Ansible', () => {
    const dir = writeCase({ ...INVENTORY, 'playbook.yml': PLAY('    target: "{{ class }}"\n') });
    const run = loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml'), { extraVars: ['lambda=1'] });
    expect(JSON.stringify(run.plays[0]!.tasks.get('r1'))).toContain('192.0.2.9');
  });
});
