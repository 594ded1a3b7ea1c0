// `vars:` holding variables where variables stand on their own: Ansible reads it as one variable
// named vars (a reserved name), so what is under it (ansible_user, ansible_become) was dropped
// without a word. A review's fuzzing found it in group_vars and host_vars files, a YAML group's
// vars and an INI host's vars=; a YAML host's own vars: was refused already, in its own words.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const PLAYBOOK = '- hosts: routers\n  tasks:\n    - link: { dev: eth1, state: up }\n';
const YAML_INVENTORY = 'routers:\n  hosts:\n    r1: { ansible_host: 127.0.0.1, ansible_port: 1 }\n';

function errors(files: Record<string, string>, inventory: string) {
  const dir = writeCase({ 'playbook.yml': PLAYBOOK, ...files });
  return errorsOf(() => loadRun(join(dir, inventory), join(dir, 'playbook.yml'))).map((e) => `${e.pos?.file.slice(dir.length + 1)}:${e.pos?.line}:${e.pos?.col}: ${e.message}`);
}

describe("'vars:' holding variables", () => {
  it.each([
    ['a group_vars file', { 'inventory.yml': YAML_INVENTORY, 'group_vars/routers.yml': 'vars:\n  ansible_user: admin\n  ansible_become: true\n' }, 'inventory.yml', 'group_vars/routers.yml:1:1', 'ansible_user, ansible_become'],
    ['a host_vars file', { 'inventory.yml': YAML_INVENTORY, 'host_vars/r1.yml': 'x: 1\nvars: { ansible_user: admin }\n' }, 'inventory.yml', 'host_vars/r1.yml:2:1', 'ansible_user'],
    ["a YAML group's vars", { 'inventory.yml': `${YAML_INVENTORY}  vars:\n    vars: { ansible_user: admin }\n` }, 'inventory.yml', 'inventory.yml:5:5', 'ansible_user'],
    ["an INI host's vars=", { 'hosts.ini': `[routers]\nr1 ansible_host=127.0.0.1 vars="{'ansible_user': 'admin'}"\n` }, 'hosts.ini', 'hosts.ini:2:', 'ansible_user'],
  ])('in %s is refused where it is set, naming what it holds', (_where, files, inventory, at, names) => {
    const errs = errors(files, inventory);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain(at);
    expect(errs[0]).toContain(`holds variables under it (${names}): Ansible reads it as one variable named vars, a reserved name, and what is under it would be ignored`);
  });

  it("a YAML host's own vars: is said once, in its words", () => {
    const errs = errors({ 'inventory.yml': 'routers:\n  hosts:\n    r1:\n      vars: { ansible_host: 127.0.0.1 }\n' }, 'inventory.yml');
    expect(errs).toEqual([expect.stringContaining("host 'r1' has 'vars:' with variables under it")]);
  });

  it('in a group the run does not reach, it does not stop the run (a shared inventory\'s other hosts, as their other problems)', () => {
    const dir = writeCase({
      'playbook.yml': PLAYBOOK,
      'inventory.yml': `${YAML_INVENTORY}db:\n  hosts:\n    d1: { ansible_host: 127.0.0.2 }\n`,
      'group_vars/db.yml': 'vars:\n  ansible_user: postgres\n',
    });
    expect(loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')).plays[0]!.hosts).toEqual(['r1']);
  });
});
