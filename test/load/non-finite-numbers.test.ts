// YAML's .nan and .inf are floats (YAML 1.1 and 1.2, PyYAML too): a playbook value written so is
// said as what YAML read, not as "the number NaN" (a CLI fuzzer's find: NaN read like a number to give).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

describe('.nan and .inf in a playbook', () => {
  it('are refused at their place, saying what YAML read and how to give text', () => {
    const dir = writeCase({
      'inventory.yml': 'all:\n  hosts:\n    r1:\n',
      'playbook.yml':
        '- hosts: all\n  tasks:\n    - link: { dev: .nan, state: up }\n    - link: { dev: -.inf, state: up }\n    - sysctl: { name: net.ipv4.ip_forward, value: .NaN }\n',
    });
    const errors = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')));
    expect(errors.map((e) => [`${e.pos?.line}:${e.pos?.col} ${e.message}`, e.hint])).toEqual([
      ["3:20 link.dev: expected a string, got not-a-number (YAML's .nan)", 'quote it to give the text ("...")'],
      ["4:20 link.dev: expected a string, got minus infinity (YAML's -.inf)", 'quote it to give the text ("...")'],
      ["5:51 sysctl.value: expected a string or a number, got not-a-number (YAML's .nan)", 'quote it to give the text ("...")'],
    ]);
  });
});
