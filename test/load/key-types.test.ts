// Mapping keys written plain as numbers or booleans: Ansible's keys are then numbers or booleans
// (PyYAML), teqlctl's objects have text keys. A text index found 9000 here where Ansible found
// nothing and took the default MTU (a review): such a read is refused; a number finds the number.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRun } from '../../src/load/index.js';
import { errorsOf, writeCase } from './helpers.js';

const INVENTORY = "all:\n  hosts:\n    r1:\n      ansible_host: 127.0.0.1\n      mtus: { 100: 9000, 200: 1400 }\n      quoted: { '100': 9000 }\n      onoff: { on: 1 }\n      old: { 010: 8 }\n      vlan: 100\n      jumbo: 9000\n      templated: { 100: '{{ jumbo }}' }\n";

function load(value: string) {
  const dir = writeCase({ 'inventory.yml': INVENTORY, 'playbook.yml': `- hosts: all\n  tasks:\n    - sysctl: { name: net.ipv4.tcp_reordering, value: "${value}" }\n` });
  return () => loadRun(join(dir, 'inventory.yml'), join(dir, 'playbook.yml'));
}
const valueOf = (v: string) => (load(v)().plays[0]!.tasks.get('r1')![0]!.args as { value: unknown }).value;
const refusal = (v: string) => errorsOf(load(v)).map((e) => `${e.message} | ${e.hint}`);

describe('mapping keys Ansible reads as no text', () => {
  it('a text index on a key written as a number is refused (Ansible finds nothing there); the number finds it, in both', () => {
    expect(refusal('{{ mtus[vlan | string] | default(1500) }}')).toEqual([expect.stringMatching(/'mtus\[vlan \| string\]' reads the key '100' as text: Ansible reads that key as the number 100 \(written plain in YAML\), which a text does not find there .*\(host r1\) \| quote the key in YAML and read it as text \(mtus\['100'\]\), so that both read it alike$/)]);
    expect(valueOf('{{ mtus[vlan] }}')).toBe('9000');
    expect(valueOf("{{ quoted['100'] }}")).toBe('9000');
  });

  it('the same where the mapping holds a template (its rendered copy keeps the key types: a review found them lost)', () => {
    expect(refusal('{{ templated[vlan | string] | default(1500) }}')).toEqual([expect.stringContaining("reads the key '100' as text")]);
    expect(valueOf('{{ templated[vlan] }}')).toBe('9000');
  });

  it('a key only YAML 1.1 reads as a boolean or another number is refused by text and by the wrong number', () => {
    expect(refusal("{{ onoff['on'] | default(7) }}")).toEqual([expect.stringContaining("reads the key 'on' as text: Ansible reads that key as the boolean true")]);
    expect(refusal('{{ old[10] }}')).toEqual([expect.stringContaining("reads the key '10': Ansible reads that key as the number 8 (written plain in YAML), which the number 10 does not find there")]);
  });
});
