// A host listed again with the port of its first entry, after a variable changed its ansible_port,
// against ansible-inventory 2.14.18 (found by bench/experiments/inventory-diff.ts): Ansible takes the
// port of the first entry only, so the later `h7:2222` changes nothing; teqlctl compared it with the
// host's ansible_port variable and refused it (or, not refused, would have set 2222 again).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

const port = (dir: string, file: string) => loadInventory(join(dir, file)).inventory.hosts.get('h7')!.vars.ansible_port;

describe('a later entry with the port of the first one', () => {
  it('changes nothing: the variable set on the first entry stays (ansible-inventory --host h7: {"ansible_port": 2201})', () => {
    const dir = writeCase({
      'a.yml': 'all:\n  hosts:\n    "h7:2222":\n      ansible_port: 2201\n  children:\n    g:\n      hosts:\n        "h7:2222": {}\n',
      'b.ini': 'h7:2222 ansible_port=2201\n[g]\nh7:2222\n',
      'c.ini': '[g]\nh7:2222\n[k]\nh7 ansible_port=2201\n[m]\nh7:2222\n',
    });
    expect([port(dir, 'a.yml'), port(dir, 'b.ini'), port(dir, 'c.ini')]).toEqual([2201, 2201, 2201]);
  });

  // From a review: the later entry's own ansible_port is the port the host ends with, so that entry's
  // port is no difference either (ansible-inventory: 2201).
  it('changes nothing where that entry sets the same ansible_port itself', () => {
    const dir = writeCase({ 'f.ini': '[g]\nh7:2222\n[k]\nh7:2201 ansible_port=2201\n' });
    expect(port(dir, 'f.ini')).toBe(2201);
  });

  it('another port than the first entry\'s and the host\'s ansible_port is still refused, naming the first entry', () => {
    const dir = writeCase({ 'd.ini': '[g]\nh7:2222 ansible_port=2201\n[k]\nh7:2300\n', 'e.ini': '[g]\nh7:2222 ansible_port=2201\n[k]\nh7:2201\n' });
    expect(errorsOf(() => loadInventory(join(dir, 'd.ini'))).map((e) => e.located.replace(`${dir}/`, ''))).toEqual([
      expect.stringMatching(/^d\.ini:4:1: host 'h7' is given port 2300 here, after its first entry at .*d\.ini:2:1: Ansible takes a host's port from its first entry only/),
    ]);
    // The port it has by then: ignored by Ansible, and no difference (2201).
    expect(port(dir, 'e.ini')).toBe(2201);
  });
});
