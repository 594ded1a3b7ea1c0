// A variable named __proto__ (a valid Python identifier, kept by Ansible like any other) against
// ansible-inventory 2.14.18, found by bench/experiments/inventory-diff.ts: teqlctl set the prototype
// of its variables object instead, and the host had no such variable ({} where Ansible gives 1).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/load/inventory.js';
import { VarScope } from '../../src/load/scope.js';
import { writeCase } from './helpers.js';

describe('a variable named __proto__', () => {
  it('is a variable, in INI, YAML and group_vars/host_vars, with Ansible\'s precedence', () => {
    // ansible-inventory --host r1: {"__proto__": "hv"}; --host r2: {"__proto__": 1}; --host r3: {"__proto__": [1]}
    const dir = writeCase({
      hosts: '[g]\nr1 __proto__=2\nr2 __proto__=1\n[g:vars]\n__proto__ = 3\n',
      'host_vars/r1.yml': '__proto__: hv\n',
      'y/hosts.yml': 'all:\n  hosts:\n    r3:\n      __proto__: [1]\n      constructor: c\n',
    });
    const hosts = loadInventory(join(dir, 'hosts')).inventory.hosts;
    expect(Object.hasOwn(hosts.get('r1')!.vars, '__proto__')).toBe(true);
    expect(hosts.get('r1')!.vars['__proto__']).toBe('hv');
    expect(hosts.get('r2')!.vars['__proto__']).toBe(1);
    const loaded = loadInventory(join(dir, 'y/hosts.yml'));
    const r3 = loaded.inventory.hosts.get('r3')!.vars;
    expect([r3['__proto__'], r3.constructor]).toEqual([[1], 'c']);
    expect(new VarScope(loaded.layers.get('r3')!).lookup('__proto__')).toEqual({ found: true, value: [1] });
  });

  it('unset, it is not found (not Object.prototype)', () => {
    const dir = writeCase({ 'hosts.yml': 'all:\n  hosts:\n    r1: {}\n' });
    const layer = loadInventory(join(dir, 'hosts.yml')).layers.get('r1')!;
    expect(new VarScope(layer).lookup('__proto__')).toEqual({ found: false });
    expect(new VarScope(layer).lookup('toString')).toEqual({ found: false });
  });
});
