// YAML merge keys in a play's and a task's own mapping, as PyYAML (so Ansible) reads them: the
// merged entries, the mapping's own winning. They read as a play keyword or a module named "<<"
// (a review's fuzzing).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = '[web]\nr1 ansible_host=10.0.0.1\n';

describe('a merge key (<<) in a playbook', () => {
  it('in a play and in tasks brings in the merged keywords and module, the own ones winning', () => {
    const dir = writeCase({
      'hosts.ini': INVENTORY,
      'pb.yml': '- <<: &play {hosts: web, name: merged play}\n  tasks:\n    - <<: &ping {name: merged task, ping: {to: 192.0.2.1}}\n    - <<: *ping\n      name: own name\n    - <<: [{name: first wins}, {name: second, ping: {to: 192.0.2.2}}]\n',
    });
    const run = loadRun(join(dir, 'hosts.ini'), join(dir, 'pb.yml'));
    expect(run.plays).toHaveLength(1);
    expect(run.plays[0]!.name).toBe('merged play');
    expect(run.plays[0]!.tasks.get('r1')!.map((t) => [t.name, t.module, (t.args as { to: string }).to])).toEqual([
      ['merged task', 'ping', '192.0.2.1'],
      ['own name', 'ping', '192.0.2.1'],
      ['first wins', 'ping', '192.0.2.2'],
    ]);
  });

  it('that names no mapping is refused at the merge key', () => {
    const dir = writeCase({ 'hosts.ini': INVENTORY, 'pb.yml': '- hosts: web\n  tasks:\n    - <<: [{ping: {to: 192.0.2.1}}, 3]\n' });
    const errors = errorsOf(() => loadRun(join(dir, 'hosts.ini'), join(dir, 'pb.yml')));
    expect(errors.map((e) => [e.message, e.pos?.line, e.pos?.col])).toEqual([["a merge key (<<) must name a mapping (an alias such as *defaults), not '3'", 3, 7]]);
  });
});
