// A play's name is text, as a task's is: a mapping or a list would print as [object Object].
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = 'all:\n  hosts:\n    r1:\n';
const TASKS = '  tasks:\n    - ping: { to: 192.0.2.1 }\n';

describe('a play name', () => {
  it('that is a mapping or a list is refused at the name, as a task name is', () => {
    const dir = writeCase({ 'inventory.yml': INVENTORY, 'playbook.yml': `- name: { a: 1 }\n  hosts: all\n${TASKS}- name: [x, y]\n  hosts: all\n${TASKS}` });
    const errors = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')));
    expect(errors.map((e) => `${e.located} | ${e.hint}`)).toEqual([
      `${join(dir, 'playbook.yml')}:1:9: a play name must be text | write name: followed by text (quote it if it holds a colon or starts with { or [)`,
      `${join(dir, 'playbook.yml')}:5:9: a play name must be text | write name: followed by text (quote it if it holds a colon or starts with { or [)`,
    ]);
    expect(errors[0]!.exitCode).toBe(2);
  });

  it('that is text, a number or missing is taken (missing: the hosts pattern names the play)', () => {
    const dir = writeCase({ 'inventory.yml': INVENTORY, 'playbook.yml': `- name: "{ a: 1 }"\n  hosts: all\n${TASKS}- name: 7\n  hosts: all\n${TASKS}- hosts: all\n${TASKS}` });
    expect(loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')).plays.map((p) => p.name)).toEqual(['{ a: 1 }', '7', 'all']);
  });

  it('that is empty is no name: the hosts pattern for a play, the module for a task, as Ansible shows them (they listed blank, a review)', () => {
    const dir = writeCase({ 'inventory.yml': INVENTORY, 'playbook.yml': '- name: ""\n  hosts: all\n  tasks:\n    - name: ""\n      ping: { to: 192.0.2.1 }\n    - name:\n      ping: { to: 192.0.2.2 }\n' });
    const run = loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
    expect(run.plays.map((p) => p.name)).toEqual(['all']);
    expect(run.plays[0]!.tasks.get('r1')!.map((t) => t.name)).toEqual(['ping', 'ping']);
  });
});
