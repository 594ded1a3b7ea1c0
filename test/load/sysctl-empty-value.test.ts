// sysctl with an empty value is refused at load, not found out on the router after other steps ran.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { moduleSchemas } from '../../src/load/module-schemas.js';
import { argIssues } from '../../src/load/zod-issues.js';
import { errorsOf, writeCase } from './helpers.js';

const HINT = 'give the value to set, e.g. value: 1; to put back the value it had before teqlctl, write state: absent without a value';

describe('sysctl value', () => {
  it.each([
    ['', 'sysctl.value: the value is empty'],
    ['   ', 'sysctl.value: the value is only blanks'],
    ['\t', 'sysctl.value: the value is only blanks'],
  ])('%j is refused', (value, message) => {
    const r = moduleSchemas.sysctl.safeParse({ name: 'net.ipv4.ip_forward', value }, { reportInput: true });
    expect(r.success).toBe(false);
    expect(argIssues('sysctl', r.error!.issues).map((i) => [i.message, i.hint])).toEqual([[message, HINT]]);
  });

  it('a value with text in it (several numbers, blanks around) is taken', () => {
    expect(moduleSchemas.sysctl.parse({ name: 'net.ipv4.tcp_rmem', value: '4096\t87380 6291456' }).value).toBe('4096\t87380 6291456');
    expect(moduleSchemas.sysctl.parse({ name: 'net.ipv4.ip_forward', value: 0 }).value).toBe('0');
  });

  it('an empty value, written or from a template, is refused at its place in the playbook', () => {
    const dir = writeCase({
      'inventory.yml': 'all:\n  hosts:\n    r1:\n      forward: ""\n',
      'playbook.yml': '- hosts: all\n  tasks:\n    - sysctl: { name: net.ipv4.ip_forward, value: "" }\n    - sysctl: { name: net.ipv4.ip_forward, value: "{{ forward }}" }\n',
    });
    const errors = errorsOf(() => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml')));
    expect(errors.map((e) => `${e.pos?.line}:${e.pos?.col} ${e.message}`)).toEqual([
      '3:51 sysctl.value: the value is empty',
      `4:51 sysctl.value: the value is empty (from {{ forward }}: forward (set at ${join(dir, 'inventory.yml')}:4:7, host r1 in the inventory)) (host r1)`,
    ]);
    expect(errors.map((e) => e.hint)).toEqual([HINT, `${HINT}; the value comes from a variable: change it where it is set, or the template here`]);
  });
});
