// Ansible's omit: `{{ x | default(omit) }}` as a task argument's whole value leaves the argument out
// when x is undefined (the module's default applies); anywhere else it is refused, where written.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { containsOmit, OMIT, withoutOmit } from '../../src/load/omit.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = 'all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      slaves: [eth1, eth2]\n';

function tasksOf(playbook: string, extraVars: string[] = []) {
  const dir = writeCase({ 'inventory.yml': INVENTORY, 'playbook.yml': playbook });
  return loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'), { extraVars }).plays[0]!.tasks.get('r1')!.map((t) => ({ module: t.module, args: t.args }));
}

function problems(files: Record<string, string>): string[] {
  const dir = writeCase({ 'inventory.yml': INVENTORY, ...files });
  return errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'))).map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message} | ${e.hint}`);
}

describe('omit', () => {
  it('leaves out a task argument whose variable is undefined; a defined one is given', () => {
    const play = '- hosts: all\n  tasks:\n    - teql: { device: "{{ dev | default(omit) }}", slaves: "{{ slaves }}" }\n    - link: { dev: eth1, state: up, mtu: "{{ mtu | default(omit) }}" }\n';
    expect(tasksOf(play)).toEqual([
      { module: 'teql', args: expect.objectContaining({ device: 'teql0', slaves: ['eth1', 'eth2'] }) },
      { module: 'link', args: expect.not.objectContaining({ mtu: expect.anything() }) },
    ]);
    expect(tasksOf(play, ['dev=teql1', 'mtu=1400'])).toEqual([
      { module: 'teql', args: expect.objectContaining({ device: 'teql1', slaves: ['eth1', 'eth2'] }) },
      { module: 'link', args: expect.objectContaining({ mtu: 1400 }) },
    ]);
  });

  it('through a variable of the play, as Ansible templates it lazily', () => {
    const play = '- hosts: all\n  vars:\n    the_dev: "{{ dev | default(omit) }}"\n  tasks:\n    - teql: { device: "{{ the_dev }}", slaves: "{{ slaves }}" }\n';
    expect(tasksOf(play)).toEqual([{ module: 'teql', args: expect.objectContaining({ device: 'teql0', slaves: ['eth1', 'eth2'] }) }]);
  });

  it('a required argument left out is said as missing, where the task is', () => {
    expect(problems({ 'playbook.yml': '- hosts: all\n  tasks:\n    - sysctl: { name: net.ipv4.ip_forward, value: "{{ v | default(omit) }}" }\n' })[0]).toMatch(/^3:51 sysctl\.value: sysctl needs a value/);
  });

  it('refused inside text, in an operation, in a when:, a name, a loop, and in a variable teqlctl reads itself', () => {
    const at = (task: string) => problems({ 'playbook.yml': `- hosts: all\n  tasks:\n${task}` });
    expect(at('    - link: { dev: "eth{{ n | default(omit) }}", state: up }\n')[0]).toContain('omit is used as a value here: it only leaves out a task argument whose whole value it is');
    expect(at('    - link: { dev: eth1, state: up, mtu: "{{ (m | default(omit)) | int }}" }\n')[0]).toContain('omit is used as a value here');
    expect(at('    - link: { dev: eth1, state: up }\n      when: c | default(omit)\n')[0]).toContain('gave omit (which only leaves a task argument out), not true or false');
    expect(at('    - name: "{{ n | default(omit) }}"\n      link: { dev: eth1, state: up }\n')[0]).toContain("omit leaves out only a task argument, not a task's name");
    expect(at('    - link: { dev: "{{ item }}", state: up }\n      loop: ["{{ x | default(omit) }}"]\n')[0]).toContain("omit leaves out only a task argument, not a task's loop");
    const port = problems({
      'inventory.yml': 'all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      ansible_port: "{{ p | default(omit) }}"\n',
      'playbook.yml': '- hosts: all\n  tasks:\n    - link: { dev: eth1, state: up }\n',
    });
    expect(port.join('\n')).toContain("variable 'ansible_port'");
    expect(port.join('\n')).toContain('gives omit, which only leaves a task argument out: teqlctl reads the variable itself here');
  });

  it('is removed as a key at any depth of the mappings; as a list item it is refused (Ansible keeps it there and fails: dropped, a misspelt slave made a bundle of one link, a review)', () => {
    expect(withoutOmit({ a: OMIT, b: [1, { c: OMIT, d: 2 }] })).toEqual({ b: [1, { d: 2 }] });
    expect(() => withoutOmit({ b: [1, OMIT] })).toThrow("omit is a list item here: it leaves out only a key of a task's arguments, not an item of a list");
    expect(problems({ 'playbook.yml': '- hosts: all\n  tasks:\n    - teql: { device: teql0, slaves: ["{{ wan2 | default(omit) }}", eth2] }\n' })[0]).toMatch(/^3:13 teql: omit is a list item here/);
    expect(containsOmit({ a: [{ b: OMIT }] })).toBe(true);
    expect(containsOmit({ a: [{ b: 'omit' }] })).toBe(false);
  });
});
