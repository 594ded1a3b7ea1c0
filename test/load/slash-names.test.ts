// A group or host named with `/`: Ansible reads group_vars/a/b.yml for a group "a/b" (a path);
// teqlctl read nothing for it and said group_vars/a names no group (a review). Refused at its place.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

describe('a name with /', () => {
  it('is refused for a group and a host, at its line, saying why', () => {
    const dir = writeCase({ 'hosts.ini': '[a/b]\nr1\n[web]\nweb/1 ansible_host=10.0.0.1\n', 'group_vars/a/b.yml': 'v: slash\n' });
    const errors = errorsOf(() => loadInventory(join(dir, 'hosts.ini')));
    expect(errors.map((e) => [e.message, e.pos?.line])).toEqual([["invalid group name 'a/b'", 1], ["invalid host name 'web/1'", 4]]);
    expect(errors[0]!.hint).toContain('nor / (group_vars/ and host_vars/ would read it as a folder)');
  });
});
