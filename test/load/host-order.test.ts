// The order of a play's hosts (and so of its serial: batches) and of groups['g'], against what
// ansible-core 2.14.18 (Debian 12's) gave for the same inventories, run with -f 1 and a debug task
// per play (2026-12-03): a group's hosts level by level, `all`'s starting with its own and
// `ungrouped`'s, a union's terms in the written order, & and ! taking hosts out only.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchPattern } from '../../src/load/host-pattern.js';
import { loadInventory } from '../../src/load/inventory.js';

const dir = 'test/load/good/order';

describe('host order, as Ansible gives it', () => {
  it('a YAML inventory: all, a group with children, unions, & and !', () => {
    const { inventory } = loadInventory(join(dir, 'inventory.yml'));
    const match = (p: string) => matchPattern(p, inventory);
    expect(inventory.groups.get('all')).toEqual(['z1', 'edge0', 'c1', 'w1', 'w2', 'e1']);
    expect(inventory.groups.get('edge')).toEqual(['edge0', 'w2', 'w1', 'e1']);
    expect(inventory.groups.get('ungrouped')).toEqual(['z1']);
    expect(match('all')).toEqual(['z1', 'edge0', 'c1', 'w1', 'w2', 'e1']);
    expect(match('core:edge')).toEqual(['c1', 'w1', 'edge0', 'w2', 'e1']);
    expect(match('edge:!east:&w*')).toEqual(['w2', 'w1']);
    expect(match('w1:core:e1')).toEqual(['w1', 'c1', 'e1']);
  });

  it('an INI inventory: a host above the first section is ungrouped and first in all; children in the order their sections come', () => {
    const { inventory } = loadInventory(join(dir, 'hosts.ini'));
    const match = (p: string) => matchPattern(p, inventory);
    expect(match('routers')).toEqual(['b2', 'b1', 'hub']);
    expect(match('all')).toEqual(['z0', 'b1', 'x9', 'b2', 'hub']);
    expect(match('other:hq')).toEqual(['b1', 'x9', 'hub']);
    expect(inventory.groups.get('ungrouped')).toEqual(['z0']);
  });

  it('a glob that matches all too: all\'s hosts first, as Ansible goes through all and ungrouped before the other groups', () => {
    const { inventory } = loadInventory(join(dir, 'glob.ini'));
    expect(matchPattern('a*', inventory)).toEqual(['u0', 'b1', 'a1', 'a0']);
    expect(matchPattern('*p*', inventory)).toEqual(['u0', 'a1']);
  });

  it('hosts above an INI file\'s first section are ungrouped where they come, before a later source\'s ungrouped hosts', () => {
    const { inventory } = loadInventory([join(dir, 'top.ini'), join(dir, 'ungrouped.yml')]);
    expect(inventory.groups.get('ungrouped')).toEqual(['t1', 'u1']);
    expect(inventory.groups.get('all')).toEqual(['t1', 'u1', 'g1']);
  });
});
