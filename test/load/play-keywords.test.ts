// An unsupported play keyword is refused where it is written, with where its content can go
// instead: "remove it" alone dropped variables or tasks that a playbook then skipped without a
// word behind `is defined` (a review).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = { 'hosts.yml': 'all:\n  hosts:\n    r1: { ansible_host: 192.0.2.1 }\n' };

describe('an unsupported play keyword', () => {
  it.each([
    ['vars_files: [site.yml]', "unsupported play keyword 'vars_files'", "move its variables into the play's vars:, into group_vars/ or host_vars/ beside the inventory or the playbook, or give the file with -e @FILE"],
    ['pre_tasks: []', "unsupported play keyword 'pre_tasks'", 'put its tasks into tasks:, in the order they are to run'],
    ['roles: [teql]', "unsupported play keyword 'roles'", "copy the tasks into the play's tasks:, or run that playbook as a run of its own"],
    ['handlers: []', "unsupported play keyword 'handlers'", 'teqlctl has no handlers: a task runs when its when: holds'],
    ['become: true', "unsupported play keyword 'become'", 'set ansible_become in the inventory'],
    ['strategy: free', "unsupported play keyword 'strategy'", "remove it; what it sets is not read by teqlctl (see docs/playbook-language.md for the play's keywords)"],
  ])('%s is refused at its line, saying where its content goes', (line, message, hint) => {
    const dir = writeCase({ ...INVENTORY, 'playbook.yml': `- hosts: r1\n  ${line}\n  tasks:\n    - ping: { to: 192.0.2.9 }\n` });
    const [e, ...rest] = errorsOf(() => loadRun(join(dir, 'hosts.yml'), join(dir, 'playbook.yml')));
    expect(rest).toEqual([]);
    expect([e!.pos?.line, e!.pos?.col, e!.message.startsWith(message), e!.hint]).toEqual([2, 3, true, hint]);
  });
});
