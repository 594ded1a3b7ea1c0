// Two YAML documents in one file: said in the file's words, where the second begins (the message
// was the yaml package's own, "please use YAML.parseAllDocuments()": a review's fuzzing).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

describe('a second YAML document in a file', () => {
  it('is refused at its `---`, in the playbook and in the inventory', () => {
    const dir = writeCase({ 'hosts.ini': '[web]\nr1 ansible_host=10.0.0.1\n', 'pb.yml': '- hosts: web\n  tasks: []\n---\n- hosts: web\n  tasks: []\n', 'inv.yml': 'all:\n  hosts:\n    r1:\n---\nfoo: 1\n', 'ok.yml': '- hosts: all\n  tasks: []\n' });
    for (const [inv, pb, line] of [['hosts.ini', 'pb.yml', 3], ['inv.yml', 'ok.yml', 4]] as const) {
      const errors = errorsOf(() => loadRun(join(dir, inv), join(dir, pb)));
      expect(errors.map((e) => [e.message, e.pos?.line, e.hint])).toEqual([['invalid YAML: the file holds a second YAML document here (Ansible reads one per file)', line, 'keep one YAML document per file (remove the second `---`)']]);
    }
  });
});
