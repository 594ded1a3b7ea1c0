// Line breaks that Ansible's Python reads and teqlctl would not: refused at their place, both in an
// INI inventory (str.splitlines) and in YAML files (PyYAML's NEL, LS, PS), found by a review's
// differential test against ansible-inventory 2.14.18.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

function refusal(files: Record<string, string>, inventory: string): string[] {
  const dir = writeCase(files);
  return errorsOf(() => loadInventory(join(dir, inventory))).map((e) => `${e.located.replace(`${dir}/`, '')} | ${e.hint}`);
}

describe('line breaks only Ansible reads', () => {
  it('an INI comment holding U+2028 before a host: the host Ansible would read is not silently dropped', () => {
    expect(refusal({ 'hosts.ini': '[routers]\nr1\n# old\u2028r2 ansible_host=10.0.0.2\n' }, 'hosts.ini')).toEqual([
      "hosts.ini:3:6: the character U+2028: Ansible's INI reader reads it as the end of a line and teqlctl does not, so what follows it would be read apart | replace it with a newline, or remove it",
    ]);
  });

  it.each([['\f', 'U+000C'], ['\v', 'U+000B'], ['\u001c', 'U+001C'], ['\u0085', 'U+0085'], ['\u2029', 'U+2029']])('an INI [g:vars] value with %j in it (Ansible: two variables)', (c, name) => {
    const [e] = refusal({ 'hosts.ini': `[routers]\nr1\n[routers:vars]\nx=1${c}y=2\n` }, 'hosts.ini');
    expect(e).toMatch(new RegExp(`^hosts\\.ini:4:4: the character ${name.replace('+', '\\+')}: `));
  });

  it('a lone carriage return in an INI file; \\r\\n line ends and a last \\r pass', () => {
    expect(refusal({ 'hosts.ini': '[routers]\nr1\rr2\n' }, 'hosts.ini')[0]).toMatch(/^hosts\.ini:2:3: a carriage return \(\\r\) not followed by a newline: /);
    const dir = writeCase({ 'hosts.ini': '[routers]\r\nr1\r\nr2\r' });
    expect([...loadInventory(join(dir, 'hosts.ini')).inventory.hosts.keys()]).toEqual(['r1', 'r2']);
  });

  it('a group_vars YAML file with U+2028 in a comment (Ansible: ansible_port 2222 on a line of its own)', () => {
    expect(refusal({ 'hosts.ini': '[routers]\nr1\n', 'group_vars/routers.yml': 'x: 1  # c\u2028ansible_port: 2222\n' }, 'hosts.ini')).toEqual([
      'group_vars/routers.yml:1:10: the character U+2028: Ansible (YAML 1.1) reads it as the end of a line and teqlctl does not, so what follows it would be read apart | replace it with a newline, or remove it',
    ]);
  });

  it('a JSON variables file keeps it inside a string (Ansible reads JSON first: one character to both)', () => {
    const dir = writeCase({ 'hosts.ini': '[routers]\nr1\n', 'group_vars/routers.json': '{"x": "a\u2028b"}\n' });
    expect(loadInventory(join(dir, 'hosts.ini')).layers.get('r1')!.values.x).toBe('a\u2028b');
  });
});
