// INI sections in the order Ansible's ini plugin meets them (checked against ansible-inventory
// 2.14.18 by a review's differential test), and where their problems are said.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { errorsOf, writeCase } from './helpers.js';

function groupsOf(ini: string): Record<string, string[]> {
  const dir = writeCase({ 'hosts.ini': ini });
  return Object.fromEntries(loadInventory(join(dir, 'hosts.ini')).inventory.groups);
}

describe('INI sections', () => {
  it('a group a [g:vars] section named first takes its place among children at once, as in Ansible (p lists b then a: r2 first)', () => {
    const groups = groupsOf('[b:vars]\nx=1\n[p:children]\nb\na\n[a]\nr1\n[b]\nr2\n');
    // ansible-inventory --list: "p": {"children": ["b", "a"]}, and `ansible p` runs r2, then r1.
    expect(groups.p).toEqual(['r2', 'r1']);
    expect(groups.all).toEqual(['r2', 'r1']);
  });

  it('a group not yet named anywhere still takes its place when its section comes', () => {
    expect(groupsOf('[p:children]\nb\na\n[a]\nr1\n[b]\nr2\n').p).toEqual(['r1', 'r2']);
  });

  it('a [g:vars] section of a group no section declares is still refused, even once a children entry linked it', () => {
    const dir = writeCase({ 'hosts.ini': '[b:vars]\nx=1\n[p:children]\nb\n[p]\nr1\n' });
    expect(errorsOf(() => loadInventory(join(dir, 'hosts.ini'))).map((e) => e.located.replace(`${dir}/`, ''))).toEqual([
      "hosts.ini:1:2: invalid INI inventory: section [b:vars] is for group 'b', which no section declares",
    ]);
  });

  it('a group two sections list and none declares is said at the first entry, naming its section', () => {
    const dir = writeCase({ 'hosts.ini': '[p:children]\nc\n[q:children]\nc\n[p]\nr1\n[q]\nr2\n' });
    expect(errorsOf(() => loadInventory(join(dir, 'hosts.ini'))).map((e) => e.located.replace(`${dir}/`, ''))).toEqual([
      "hosts.ini:2:1: invalid INI inventory: section [p:children] lists group 'c', which no section declares",
    ]);
  });

  it('a loop of groups is said at the children entry that closes it, not at a group header', () => {
    const dir = writeCase({ 'hosts.ini': '[a]\nr1\n[b]\nr2\n[a:children]\nb\n[b:children]\na\n' });
    const [e, ...more] = errorsOf(() => loadInventory(join(dir, 'hosts.ini')));
    expect(more).toEqual([]);
    expect(e!.located.replace(`${dir}/`, '')).toBe("hosts.ini:8:1: group 'a' is its own ancestor: a -> b -> a");
    expect(e!.hint).toBe("remove one of the children entries of the loop, as this one ('a' listed as a child of 'b')");
  });

  it('a loop closed by a group declared later is said at its children entry too', () => {
    const dir = writeCase({ 'hosts.ini': '[a:children]\nb\n[b:children]\na\n[a]\nr1\n' });
    const [e] = errorsOf(() => loadInventory(join(dir, 'hosts.ini')));
    // a's children entry b (line 2) waited for b's section; the loop closes at b's entry a (line 4).
    expect(e!.located.replace(`${dir}/`, '')).toBe("hosts.ini:4:1: group 'a' is its own ancestor: a -> b -> a");
  });
});
